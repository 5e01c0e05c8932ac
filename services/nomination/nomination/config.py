"""Settings of the nomination service."""

from exemplar.config import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "nomination"
