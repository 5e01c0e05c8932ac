"""Composition root of the reporting service."""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SpanExporter

from exemplar.bus import Bus
from exemplar.runtime import Runtime, ServiceSpec, build_app

from .api import router
from .config import Settings
from .handlers import SUBSCRIPTIONS
from .store import Base

SERVICE = ServiceSpec(name="reporting", port=8004, app="reporting.main:create_app",
                      migrations="reporting:migrations")


def create_app(settings: Settings | None = None, bus: Bus | None = None, *,
               span_exporter: SpanExporter | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings(), metadata=Base.metadata,
                      subscriptions=SUBSCRIPTIONS, bus=bus, span_exporter=span_exporter)
    return build_app(runtime, title="Exemplar — chỉ tiêu, báo cáo (reporting)",
                     description="Chỉ tiêu hằng năm, báo cáo, kiểm tra, kinh phí, tập huấn.",
                     routers=[router])
