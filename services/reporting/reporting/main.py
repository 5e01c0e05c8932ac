"""Composition root of the reporting service."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SpanExporter

from exemplar.bus import Bus
from exemplar.clock import today
from exemplar.runtime import Runtime, ServiceSpec, build_app, periodic

from .admin.api import router as admin_router
from .annual.api import router as annual_router
from .budgets.api import router as budgets_router
from .config import Settings
from .dashboard.api import router as dashboard_router
from .handlers import SUBSCRIPTIONS
from .inspections.api import router as inspections_router
from .projections.replay import Replayer
from .projections.store import Base
from .quotas import service as quotas
from .quotas.api import router as quotas_router
from .timeline.api import router as timeline_router
from .training.api import router as training_router

SERVICE = ServiceSpec(name="reporting", port=8004, app="reporting.main:create_app",
                      migrations="reporting:migrations")


def create_app(settings: Settings | None = None, bus: Bus | None = None, *,
               span_exporter: SpanExporter | None = None) -> FastAPI:
    settings = settings or Settings()
    replayer: list[Replayer] = []

    async def rebuild_if_outdated(_: Runtime) -> None:
        await replayer[0].rebuild_if_outdated()

    async def warn_quotas(runtime: Runtime) -> None:
        # Never on figures a replay is rebuilding: a unit that met its quota would be
        # warned, and its period's one warning spent.
        if not await replayer[0].current():
            return
        async with runtime.uow() as uow:
            await quotas.warn_at_risk(uow, runtime.profile, on=today())

    async def stop_replay_on_exit(_: Runtime) -> None:
        """Runs until the service stops, then cancels an admin's replay still running."""
        try:
            await asyncio.Event().wait()
        finally:
            await replayer[0].stop()

    runtime = Runtime(settings, metadata=Base.metadata, subscriptions=SUBSCRIPTIONS, bus=bus,
                      span_exporter=span_exporter, background=[
                          rebuild_if_outdated, stop_replay_on_exit,
                          periodic(warn_quotas, every=lambda r: r.settings.quota_check_seconds),
                      ])
    replayer.append(Replayer(runtime))
    app = build_app(runtime, title="Exemplar — chỉ tiêu, báo cáo (reporting)",
                    description="Chỉ tiêu hằng năm, báo cáo, kiểm tra, kinh phí, tập huấn.",
                    routers=[quotas_router, dashboard_router, timeline_router, admin_router,
                             inspections_router, training_router, budgets_router,
                             annual_router])
    app.state.replayer = replayer[0]
    return app
