"""Settings of the nomination service."""

from pathlib import Path
from typing import Literal

from exemplar.config import ServiceSettings


class Settings(ServiceSettings):
    # Fixed: a stray SERVICE_NAME must not make this service take another's consumers.
    service_name: Literal["nomination"] = "nomination"
    # Evidence files and generated documents; default: <VAR_DIR>/nomination-files.
    storage_dir: Path | None = None

    def resolved_storage_dir(self) -> Path:
        return self.storage_dir or self.var_dir / "nomination-files"
