"""Composition root of the review service."""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SpanExporter

from exemplar.bus import Bus
from exemplar.runtime import Runtime, ServiceSpec, build_app

from .api import router
from .config import Settings
from .handlers import SUBSCRIPTIONS
from .store import Base

SERVICE = ServiceSpec(name="review", port=8002, app="review.main:create_app",
                      migrations="review:migrations")


def create_app(settings: Settings | None = None, bus: Bus | None = None, *,
               span_exporter: SpanExporter | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings(), metadata=Base.metadata,
                      subscriptions=SUBSCRIPTIONS, bus=bus, span_exporter=span_exporter)
    return build_app(runtime, title="Exemplar — xét duyệt, hội đồng, quyết định (review)",
                     description="Thẩm định, phản biện, công khai, bỏ phiếu kín, "
                                 "quyết định khen thưởng.",
                     routers=[router])
