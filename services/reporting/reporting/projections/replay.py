"""Rebuild every projection from the stream, from its first event.

Projections are idempotent and do not depend on the order events come in, so the live
consumers may go on while a replay runs: whichever applies an event first, the other
changes nothing. Figures fill in again as the replay reads; the finished replay equals what
the consumers had built."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, text
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.events import UndecodableEvent, decode
from exemplar.runtime import Runtime
from exemplar.uow import now

from .projector import EVENTS, project, trace_id_of
from .store import PROJECTIONS, ProjectionLock, ProjectionVersion

log = logging.getLogger(__name__)
BATCH = 500  # events per transaction
# Raise when what the projections derive changes: each service then rebuilds on start.
# 2: a nomination's stories count one by one; 3: grants for the bonus line; 4: publicised
# and escalated counted by the day they happened
VERSION = 4
SUBJECTS = [cls.type for cls in EVENTS]


@dataclass
class ReplayStatus:
    state: str = "idle"  # idle, running, finished, failed, cancelled
    started_at: datetime | None = None
    finished_at: datetime | None = None
    read: int = 0  # messages read from the stream
    applied: int = 0  # events projected
    skipped: int = 0  # undecodable messages, left to the dead-letter tools
    failed: int = 0  # events the projector could not store (see the log)
    last_sequence: int | None = None
    error: str | None = None
    started_by: str | None = None


async def exclusive(session: AsyncSession) -> None:
    """Let no consumer move a tally during this transaction. Every consumer's first write
    is its lock row (`projector._lock`), so this waits for those in flight and holds new
    ones back: on PostgreSQL a consumer's transaction would otherwise straddle the
    emptying (its figures moved from facts just deleted) or deadlock with a batch over
    the same nominations. SQLite runs one writer at a time anyway."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(text(
            f"LOCK TABLE {ProjectionLock.__tablename__} IN EXCLUSIVE MODE"))


async def _apply(runtime: Runtime, batch: list) -> int:
    """Project a batch in one transaction; if it fails, one event per transaction, so an
    event the projector cannot store (its consumer dead-lettered it too) costs only itself.
    Returns the number of events left out."""
    try:
        await _transaction(runtime, batch)
        return 0
    except (OperationalError, InterfaceError, OSError):
        raise  # the database is away: the replay fails and is started again
    except Exception:
        log.warning("a replay batch failed, applying its events one by one", exc_info=True)
    failed = 0
    for item in batch:
        try:
            await _transaction(runtime, [item])
        except (OperationalError, InterfaceError, OSError):
            raise
        except Exception:
            failed += 1
            log.exception("event left out of the replay", extra={"event_id": item[0].id})
    return failed


async def _transaction(runtime: Runtime, batch: list) -> None:
    async with runtime.uow() as uow:
        await exclusive(uow.session)
        for envelope, event, trace_id in batch:
            await project(uow.session, envelope, event, trace_id=trace_id)
        await uow.commit()


async def rebuild(runtime: Runtime, status: ReplayStatus) -> None:
    async with runtime.uow() as uow:
        await exclusive(uow.session)
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
        batch.append((envelope, event, trace_id_of(delivery.headers)))
        if len(batch) >= BATCH:
            await _count(status, batch, await _apply(runtime, batch))
            batch = []
    if batch:
        await _count(status, batch, await _apply(runtime, batch))


async def _count(status: ReplayStatus, batch: list, failed: int) -> None:
    status.applied += len(batch) - failed
    status.failed += failed


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

    async def current(self) -> bool:
        """The tables are built by this projection code and no replay is emptying them."""
        if self.running:
            return False
        async with self.runtime.uow() as uow:
            built = await uow.session.get(ProjectionVersion, "reporting")
            return built is not None and built.version >= VERSION

    async def rebuild_if_outdated(self) -> None:
        """At start: tables built by older projection code (or never) are rebuilt, once the
        broker answers (the service starts before it does); a failed rebuild is tried again
        until one finishes, since only then is the version written."""
        async with self.runtime.uow() as uow:
            built = await uow.session.get(ProjectionVersion, "reporting")
            if built is not None and built.version >= VERSION:
                return
        log.info("projections outdated, replaying the stream", extra={"version": VERSION})
        failures = 0
        try:
            while True:
                with contextlib.suppress(TimeoutError):  # not yet: the replay fails, waits
                    await self.runtime.bus.start(wait=60.0)
                self.start(by="startup")
                if (await self.wait()).state == "finished":
                    break
                failures += 1
                await asyncio.sleep(min(30.0, 0.5 * 2 ** failures))
        except asyncio.CancelledError:  # the service stops: so does the replay it started
            await self.stop()
            raise
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
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self.status.state = "cancelled"
