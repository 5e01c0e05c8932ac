"""Rebuild every projection from the stream, from its first event.

Projections are idempotent and do not depend on the order events come in, so the live
consumers may go on while a replay runs: whichever applies an event first, the other
changes nothing. Figures fill in again as the replay reads; the finished replay equals what
the consumers had built."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from opentelemetry import propagate, trace
from sqlalchemy import delete

from exemplar.events import UndecodableEvent, decode
from exemplar.runtime import Runtime
from exemplar.uow import now

from .projector import EVENTS, project
from .store import PROJECTIONS, ProjectionVersion

log = logging.getLogger(__name__)
BATCH = 500  # events per transaction
# Raise when what the projections derive changes: each service then rebuilds on start.
VERSION = 1
SUBJECTS = [cls.type for cls in EVENTS]


@dataclass
class ReplayStatus:
    state: str = "idle"  # idle, running, finished, failed
    started_at: datetime | None = None
    finished_at: datetime | None = None
    read: int = 0  # messages read from the stream
    applied: int = 0  # events projected
    skipped: int = 0  # undecodable messages, left to the dead-letter tools
    last_sequence: int | None = None
    error: str | None = None
    started_by: str | None = None


def _trace_id(headers: dict[str, str]) -> str | None:
    span = trace.get_current_span(propagate.extract(headers))
    context = span.get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


async def _apply(runtime: Runtime, batch: list) -> None:
    async with runtime.uow() as uow:
        for envelope, event, trace_id in batch:
            await project(uow.session, envelope, event, trace_id=trace_id)
        await uow.commit()


async def rebuild(runtime: Runtime, status: ReplayStatus) -> None:
    async with runtime.uow() as uow:
        for model in reversed(PROJECTIONS):
            await uow.session.execute(delete(model))
        await uow.commit()
    batch: list = []
    async for delivery in runtime.bus.history(SUBJECTS):
        status.read += 1
        status.last_sequence = delivery.sequence
        try:
            envelope, event = decode(delivery.data)
        except UndecodableEvent:
            status.skipped += 1
            continue
        batch.append((envelope, event, _trace_id(delivery.headers)))
        if len(batch) >= BATCH:
            await _apply(runtime, batch)
            status.applied += len(batch)
            batch = []
    if batch:
        await _apply(runtime, batch)
        status.applied += len(batch)


class Replayer:
    """One replay at a time per service process; its progress is readable while it runs."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.status = ReplayStatus()
        self._task: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, *, by: str) -> ReplayStatus:
        if not self.running:
            self.status = ReplayStatus(state="running", started_at=now(), started_by=by)
            self._task = asyncio.create_task(self._run(self.status), name="replay")
        return self.status

    async def _run(self, status: ReplayStatus) -> None:
        try:
            await rebuild(self.runtime, status)
            status.state = "finished"
        except Exception as exc:
            log.exception("replay failed")
            status.state, status.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            status.finished_at = now()

    async def rebuild_if_outdated(self) -> None:
        """At start: tables built by older projection code (or never) are rebuilt."""
        async with self.runtime.uow() as uow:
            built = await uow.session.get(ProjectionVersion, "reporting")
            if built is not None and built.version >= VERSION:
                return
        log.info("projections outdated, replaying the stream", extra={"version": VERSION})
        self.start(by="startup")
        status = await self.wait()
        if status.state != "finished":
            return
        async with self.runtime.uow() as uow:
            row = await uow.session.get(ProjectionVersion, "reporting")
            if row is None:
                uow.session.add(ProjectionVersion(name="reporting", version=VERSION,
                                                  built_at=now()))
            else:
                row.version, row.built_at = VERSION, now()
            await uow.commit()

    async def wait(self) -> ReplayStatus:
        if self._task is not None:
            await asyncio.shield(self._task)
        return self.status

    async def stop(self) -> None:
        if self.running:
            self._task.cancel()
