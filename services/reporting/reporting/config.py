"""Settings of the reporting service."""

from typing import Literal

from exemplar.config import ServiceSettings


class Settings(ServiceSettings):
    # Fixed: a stray SERVICE_NAME must not make this service take another's consumers.
    service_name: Literal["reporting"] = "reporting"
    quota_check_seconds: float = 3600.0  # how often units short of a quota are looked for
