"""Composition root of the nomination service."""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SpanExporter

from exemplar.bus import Bus
from exemplar.runtime import Runtime, ServiceSpec, build_app

from .api import router
from .config import Settings
from .handlers import SUBSCRIPTIONS
from .store import Base

SERVICE = ServiceSpec(name="nomination", port=8001, app="nomination.main:create_app",
                      migrations="nomination:migrations")


def create_app(settings: Settings | None = None, bus: Bus | None = None, *,
               span_exporter: SpanExporter | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings(), metadata=Base.metadata,
                      subscriptions=SUBSCRIPTIONS, bus=bus, span_exporter=span_exporter)
    return build_app(runtime, title="Exemplar — đề nghị khen thưởng (nomination)",
                     description="Đơn vị xây dựng tiêu chí, phát hiện, bồi dưỡng và đề nghị "
                                 "khen thưởng điển hình tiên tiến.", routers=[router])
