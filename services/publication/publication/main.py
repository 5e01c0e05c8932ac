"""Composition root of the publication service."""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SpanExporter

from exemplar.bus import Bus
from exemplar.runtime import Runtime, ServiceSpec, build_app

from .api import router
from .channels import router as channels
from .config import Settings
from .exchanges import api as exchanges
from .exchanges import tasks as exchanges_tasks
from .freshness import api as freshness
from .freshness import tasks as freshness_tasks
from .handlers import subscriptions
from .portal import api as portal
from .portal import tasks as portal_tasks
from .radio import api as radio
from .radio import tasks as radio_tasks
from .social import api as social
from .social import tasks as social_tasks
from .store import Base
from .stories import store as _story_tables  # noqa: F401  (registers the tables)
from .stories.api import router as stories

FEATURES = (portal, radio, social, freshness, exchanges)
BACKGROUND = [*portal_tasks.BACKGROUND, *radio_tasks.BACKGROUND, *social_tasks.BACKGROUND,
              *freshness_tasks.BACKGROUND, *exchanges_tasks.BACKGROUND]

SERVICE = ServiceSpec(name="publication", port=8003, app="publication.main:create_app",
                      migrations="publication:migrations")


def create_app(settings: Settings | None = None, bus: Bus | None = None, *,
               span_exporter: SpanExporter | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings(), metadata=Base.metadata,
                      subscriptions=subscriptions, bus=bus, span_exporter=span_exporter,
                      background=BACKGROUND)
    return build_app(runtime, title="Exemplar — tuyên truyền, xuất bản (publication)",
                     description="Các kênh tuyên truyền đăng tải gương điển hình tiên tiến.",
                     routers=[router, channels, stories, *(f.router for f in FEATURES)])
