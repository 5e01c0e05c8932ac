"""Composition root of the review service: every feature's routes and tables."""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SpanExporter

from exemplar.bus import Bus
from exemplar.runtime import Runtime, ServiceSpec, build_app

from .appraisal.api import router as appraisal
from .audit.api import router as audit
from .cases.api import router as cases
from .config import Settings
from .council.api import router as council
from .critique.api import router as critique
from .db import Base
from .decisions.api import router as decisions
from .handlers import subscriptions
from .posting import store as _posting_tables  # noqa: F401  (registers the tables)
from .posting.api import router as posting

SERVICE = ServiceSpec(name="review", port=8002, app="review.main:create_app",
                      migrations="review:migrations")
ROUTERS = [cases, appraisal, critique, posting, council, decisions, audit]

__all__ = ["SERVICE", "Base", "create_app"]


def create_app(settings: Settings | None = None, bus: Bus | None = None, *,
               span_exporter: SpanExporter | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings(), metadata=Base.metadata,
                      subscriptions=subscriptions, bus=bus, span_exporter=span_exporter)
    return build_app(runtime, title="Exemplar — xét duyệt, hội đồng, quyết định (review)",
                     description="Thẩm định, phản biện, công khai, bỏ phiếu kín, "
                                 "quyết định khen thưởng, trình tỉnh, thu hồi, nhật ký.",
                     routers=ROUTERS)
