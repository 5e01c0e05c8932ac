"""What every service is made of, composed once: database, bus, relay, consumers, auth,
telemetry, health and errors. A service's create_app() calls `build_app` with its parts."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from opentelemetry.sdk.trace.export import SpanExporter
from sqlalchemy import MetaData

from . import clock, context, rehearsal
from .auth import TokenVerifier, ensure_keys
from .bus import Bus, NatsBus
from .config import ServiceSettings
from .db import Database
from .events import Event
from .inbox import EventHandler, consumer_name, inbox_handler
from .outbox import OutboxRelay
from .profile import Profile, load_profile
from .telemetry import instrument, setup_logging, tracer_provider
from .uow import UnitOfWork
from .web import health_router, install_error_handlers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceSpec:
    """How the `exemplar` command finds a service (entry point group `exemplar.services`)."""

    name: str
    port: int
    app: str  # "nomination.main:create_app", a factory
    migrations: str  # "nomination:migrations", an alembic script location


Handlers = Mapping[type[Event], EventHandler]
Subscriptions = Handlers | Callable[[Profile], Handlers]
# A service's own periodic work (scheduled publishing, deliveries…): run while it runs.
Background = Callable[["Runtime"], Awaitable[None]]


class Runtime:
    def __init__(self, settings: ServiceSettings, *, metadata: MetaData,
                 subscriptions: Subscriptions, bus: Bus | None = None,
                 span_exporter: SpanExporter | None = None,
                 background: Sequence[Background] = ()) -> None:
        self.settings = settings
        self.name = settings.service_name
        self.profile: Profile = load_profile(settings.profile_path)  # invalid → refuse to start
        self.tracer_provider = tracer_provider(
            self.name, otlp_endpoint=settings.otel_exporter_otlp_endpoint, exporter=span_exporter)
        self.db = Database.open(settings.resolved_database_url(), metadata)
        self._owns_bus = bus is None
        self.bus: Bus = bus or NatsBus(
            settings.nats_url, name=self.name, stream=settings.stream_name,
            dlq_stream=settings.dlq_stream_name, max_deliver=settings.max_deliver,
            ack_wait=settings.ack_wait_seconds, tracer_provider=self.tracer_provider)
        self.relay = OutboxRelay(self.db, self.bus, sweep_seconds=settings.relay_sweep_seconds,
                                 batch=settings.relay_batch,
                                 tracer_provider=self.tracer_provider)
        # Handlers that apply the profile's rules are built once it is loaded.
        self.subscriptions = dict(subscriptions(self.profile) if callable(subscriptions)
                                  else subscriptions)
        self.verifier = _verifier(settings)
        self._background = list(background)
        self._tasks: list[asyncio.Task] = []

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db, source=self.name, relay=self.relay)

    async def start(self) -> None:
        await self.bus.start()
        if self.settings.run_relay:
            await self.relay.start()
        if self.settings.run_consumers:
            for event_cls, handle in self.subscriptions.items():
                consumer = consumer_name(self.name, event_cls.type)
                await self.bus.subscribe(consumer, event_cls.type, inbox_handler(
                    db=self.db, consumer=consumer, source=self.name, handle=handle,
                    relay=self.relay))
        if self.settings.run_background:
            self._tasks = [asyncio.create_task(work(self), name=getattr(work, "__name__", ""))
                           for work in self._background]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.relay.stop()
        if self._owns_bus:
            await self.bus.close()
        await self.db.close()
        self.tracer_provider.shutdown()

    async def check_nats(self) -> None:
        if not self.bus.connected:
            raise ConnectionError("NATS is not connected")


def periodic(work: Callable[[Runtime], Awaitable[object]], *,
             every: Callable[[Runtime], float]) -> Background:
    """Run `work` again and again, `every(runtime)` seconds apart, for as long as the service
    runs; a failing round is logged and the next one comes anyway."""

    async def loop(runtime: Runtime) -> None:
        while True:
            try:
                await work(runtime)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("periodic work failed", extra={"work": work.__name__})
            await asyncio.sleep(every(runtime))

    loop.__name__ = work.__name__
    return loop


def _verifier(settings: ServiceSettings) -> TokenVerifier:
    if settings.auth_jwks_url:
        return TokenVerifier(issuer=settings.auth_issuer, audience=settings.auth_audience,
                             jwks_url=settings.auth_jwks_url)
    public = settings.auth_public_key_file
    if public is None:
        _, public = ensure_keys(settings.var_dir / "keys")
    return TokenVerifier(issuer=settings.auth_issuer, audience=settings.auth_audience,
                         public_key=public.read_text())


def build_app(runtime: Runtime, *, title: str, description: str,
              routers: list[APIRouter]) -> FastAPI:
    settings = runtime.settings
    setup_logging(runtime.name, level=settings.log_level, json_logs=settings.log_json)
    rehearsal.check_process(settings.var_dir)  # a shifted clock only in a rehearsal's folder

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        # What start-up loaded lives as long as the service: kept out of the collector's
        # full passes, which otherwise walk it all and add ~100 ms to an unlucky request.
        gc.collect()
        gc.freeze()
        log.info("service started")
        if clock.shift():
            log.warning("rehearsal calendar (%s): today is %s, not %s", clock.SHIFT_VARIABLE,
                        clock.today(), datetime.now(clock.VIETNAM).date())
        try:
            yield
        finally:
            await runtime.stop()
            log.info("service stopped")

    app = FastAPI(title=title, description=description, version="0.1.0", lifespan=lifespan)
    app.state.runtime = runtime
    install_error_handlers(app)

    @app.middleware("http")
    async def correlation(request: Request, call_next):
        cid = request.headers.get("x-correlation-id") or str(uuid.uuid4())
        token = context.correlation_id.set(cid)
        try:
            response = await call_next(request)
        finally:
            context.correlation_id.reset(token)
        response.headers["X-Correlation-ID"] = cid
        return response

    app.include_router(health_router({"database": runtime.db.ping, "nats": runtime.check_nats}))
    for router in routers:
        app.include_router(router)
    instrument(app, runtime.db.engine, runtime.tracer_provider)
    return app


async def _uow(request: Request) -> AsyncIterator[UnitOfWork]:
    async with request.app.state.runtime.uow() as uow:
        yield uow


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


Uow = Annotated[UnitOfWork, Depends(_uow)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
