"""Settings base every service extends. Built inside create_app, never at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """What every service reads from the environment (unprefixed, upper case)."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    service_name: str = "exemplar"
    database_url: str = ""
    nats_url: str = "nats://127.0.0.1:4222"
    stream_name: str = "EXEMPLAR"
    dlq_stream_name: str = "EXEMPLAR_DLQ"
    # A consumer gives up on a message after this many deliveries and dead-letters it.
    max_deliver: int = 8
    ack_wait_seconds: float = 30.0
    relay_sweep_seconds: float = 2.0
    relay_batch: int = 200
    var_dir: Path = Path("var")
    profile_path: Path | None = None
    # Auth: an OIDC JWKS URL in production; else the embedded key pair under var/keys.
    auth_jwks_url: str = ""
    auth_public_key_file: Path | None = None
    auth_issuer: str = "exemplar-embedded"
    auth_audience: str = "exemplar"
    otel_exporter_otlp_endpoint: str = ""
    log_level: str = "INFO"
    log_json: bool = True
    run_consumers: bool = Field(default=True, description="start the event consumers")
    run_relay: bool = Field(default=True, description="start the outbox relay")
    run_background: bool = Field(default=True, description="start the service's periodic work "
                                 "(scheduled publishing, deliveries…)")

    def resolved_database_url(self) -> str:
        """The configured database, or SQLite under var/ named after the service."""
        if self.database_url:
            return self.database_url
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{(self.var_dir / f'{self.service_name}.db').resolve()}"
