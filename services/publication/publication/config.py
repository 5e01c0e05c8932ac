"""Settings of the publication service."""

from exemplar.config import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "publication"
