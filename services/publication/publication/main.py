"""Composition root of the publication service."""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SpanExporter

from exemplar.bus import Bus
from exemplar.runtime import Runtime, ServiceSpec, build_app

from .api import router
from .config import Settings
from .handlers import subscriptions
from .store import Base
from .stories import store as _story_tables  # noqa: F401  (registers the tables)
from .stories.api import router as stories

SERVICE = ServiceSpec(name="publication", port=8003, app="publication.main:create_app",
                      migrations="publication:migrations")


def create_app(settings: Settings | None = None, bus: Bus | None = None, *,
               span_exporter: SpanExporter | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings(), metadata=Base.metadata,
                      subscriptions=subscriptions, bus=bus, span_exporter=span_exporter)
    return build_app(runtime, title="Exemplar — tuyên truyền, xuất bản (publication)",
                     description="Các kênh tuyên truyền đăng tải gương điển hình tiên tiến.",
                     routers=[router, stories])
