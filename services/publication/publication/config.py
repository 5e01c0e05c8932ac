"""Settings of the publication service."""

from typing import Literal

from exemplar.config import ServiceSettings


class Settings(ServiceSettings):
    # Fixed: a stray SERVICE_NAME must not make this service take another's consumers.
    service_name: Literal["publication"] = "publication"
    # Where the public reaches the portal pages: the base of every published story's URL.
    public_base_url: str = "http://127.0.0.1:8003"
