"""The outbox relay: publishes staged events after commit, marks them on the broker's ack.

Woken by every commit that staged events, and sweeping on a timer for anything left behind
(a crash, a broker outage, another replica's rows). On PostgreSQL rows are claimed with
FOR UPDATE SKIP LOCKED so replicas share the work; SQLite has one writer, so there the rows
are read, published, then marked in a second short transaction.

A batch is published concurrently, in created order; a row that fails is retried later, so
the stream's order is not guaranteed across retries: consumers order by the aggregate's own
revision, never by arrival.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from datetime import timedelta

from opentelemetry import propagate, trace
from sqlalchemy import func, select, update

from .bus import Bus
from .db import Database
from .uow import now

log = logging.getLogger(__name__)


def retry_after(attempts: int) -> timedelta:
    return timedelta(seconds=min(60.0, 0.5 * 2 ** max(0, attempts - 1)))


class OutboxRelay:
    def __init__(self, db: Database, bus: Bus, *, sweep_seconds: float = 2.0, batch: int = 200,
                 tracer_provider: trace.TracerProvider | None = None) -> None:
        self.db, self.bus = db, bus
        self.sweep_seconds, self.batch = sweep_seconds, batch
        self.tracer = trace.get_tracer("exemplar.outbox", tracer_provider=tracer_provider)
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
            # that lands as the wake-up completes, and stop() would then wait forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.sweep_seconds):
                    await self._wake.wait()
            self._wake.clear()
            try:
                while await self.publish_pending() >= self.batch:
                    pass
            except Exception:  # the database is away: the next sweep tries again
                log.exception("outbox relay pass failed")

    async def publish_pending(self) -> int:
        """One pass: publish up to `batch` due rows. Returns how many were attempted."""
        if not self.bus.connected:
            return 0
        outbox = self.db.outbox
        query = (select(outbox.c.id, outbox.c.subject, outbox.c.payload, outbox.c.headers,
                        outbox.c.attempts)
                 .where(outbox.c.published_at.is_(None), outbox.c.next_attempt_at <= now())
                 .order_by(outbox.c.created_at).limit(self.batch))
        if self.db.is_postgres:
            async with self.db.sessions() as session, session.begin():
                rows = (await session.execute(
                    query.with_for_update(skip_locked=True))).all()
                outcomes = await self._publish_all(rows)
                await self._record(session, rows, outcomes)
            return len(rows)
        async with self.db.sessions() as session:
            rows = (await session.execute(query)).all()
        outcomes = await self._publish_all(rows)
        async with self.db.sessions() as session, session.begin():
            await self._record(session, rows, outcomes)
        return len(rows)

    async def _publish_all(self, rows) -> list[BaseException | None]:
        return await asyncio.gather(*(self._publish(row) for row in rows),
                                    return_exceptions=True)

    async def _publish(self, row) -> None:
        parent = propagate.extract(json.loads(row.headers))
        with self.tracer.start_as_current_span("outbox relay", context=parent,
                                                attributes={"messaging.message.id": row.id}):
            await self.bus.publish(row.subject, row.payload.encode(), msg_id=row.id)

    async def _record(self, session, rows, outcomes) -> None:
        outbox, at = self.db.outbox, now()
        done = [row.id for row, err in zip(rows, outcomes, strict=True) if err is None]
        if done:
            await session.execute(update(outbox).where(outbox.c.id.in_(done))
                                  .values(published_at=at))
        for row, err in zip(rows, outcomes, strict=True):
            if err is not None:
                log.warning("outbox publish failed", extra={"event_id": row.id,
                                                            "error": repr(err)})
                await session.execute(
                    update(outbox).where(outbox.c.id == row.id).values(
                        attempts=row.attempts + 1, last_error=repr(err)[:2000],
                        next_attempt_at=at + retry_after(row.attempts + 1)))

    async def pending(self) -> int:
        async with self.db.sessions() as session:
            return (await session.execute(
                select(func.count()).select_from(self.db.outbox)
                .where(self.db.outbox.c.published_at.is_(None)))).scalar_one()
