"""Per-request or per-event context that logs and staged events pick up."""

from __future__ import annotations

from contextvars import ContextVar

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)
event_id: ContextVar[str | None] = ContextVar("event_id", default=None)
