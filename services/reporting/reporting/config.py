"""Settings of the reporting service."""

from exemplar.config import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "reporting"
