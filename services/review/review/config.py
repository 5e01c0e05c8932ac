"""Settings of the review service."""

from exemplar.config import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "review"
