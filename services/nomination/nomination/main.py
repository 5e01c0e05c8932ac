"""Composition root of the nomination service: every feature's routes and tables."""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SpanExporter

from exemplar.bus import Bus
from exemplar.runtime import Runtime, ServiceSpec, build_app

from .config import Settings
from .criteria.api import router as criteria
from .db import Base
from .documents.api import router as documents
from .evidence.api import router as evidence
from .good_deeds.api import router as good_deeds
from .handlers import SUBSCRIPTIONS
from .lists.api import router as lists
from .movements.api import router as movements
from .nominations.api import router as nominations
from .prospects.api import router as prospects
from .subjects.api import router as subjects

SERVICE = ServiceSpec(name="nomination", port=8001, app="nomination.main:create_app",
                      migrations="nomination:migrations")
ROUTERS = [nominations, evidence, documents, lists, subjects, criteria, movements, prospects,
           good_deeds]

__all__ = ["SERVICE", "Base", "create_app"]


def create_app(settings: Settings | None = None, bus: Bus | None = None, *,
               span_exporter: SpanExporter | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings(), metadata=Base.metadata,
                      subscriptions=SUBSCRIPTIONS, bus=bus, span_exporter=span_exporter)
    return build_app(runtime, title="Exemplar — đề nghị khen thưởng (nomination)",
                     description="Đơn vị xây dựng tiêu chí, phát hiện, bồi dưỡng và đề nghị "
                                 "khen thưởng điển hình tiên tiến.", routers=ROUTERS)
