"""Unit of work: one transaction holding a use case's rows, its staged events and, for a
consumer, the inbox row. Committing wakes the outbox relay; nothing is published here."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from opentelemetry import propagate
from opentelemetry.trace import Link, get_current_span, get_tracer
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from . import clock, context, tracing
from .db import Database
from .events import Envelope, Event, wrap

if TYPE_CHECKING:
    from .outbox import OutboxRelay


def now() -> datetime:
    return clock.now()


class UnitOfWork:
    def __init__(self, db: Database, *, source: str, relay: OutboxRelay | None = None) -> None:
        self.db, self.source, self.relay = db, source, relay
        self.session: AsyncSession
        self.cause: Envelope | None = None  # the event being handled, for a consumer
        self.cause_headers: dict[str, str] = {}  # and the headers it came with
        self._staged: list[dict] = []
        self._inbox: list[dict] = []
        self._committed = False
        # Inside a consumer the inbox commits once, with its own row: a use case's commit()
        # then only writes its rows and events into that transaction.
        self.deferred = False
        self._wake_relay = False

    async def __aenter__(self) -> UnitOfWork:
        self.session = self.db.sessions()
        return self

    async def __aexit__(self, *exc_info) -> None:
        if not self._committed:
            await self.session.rollback()
        await self.session.close()

    def stage(self, event: Event, *, subject: str,
              trace: dict[str, str] | None = None) -> Envelope:
        """Write `event` to the outbox in this transaction; the relay publishes it after commit.

        The current trace context is stored with it so the publish joins the same trace.
        Given `trace`, the stored headers of the aggregate's trace (a case keeps its
        submission's, a story its decision's), the event continues that trace instead, in a
        short span linked to the current one: a nomination's steps are separate requests,
        and one trace still shows its whole path."""
        envelope = wrap(event, source=self.source, subject=subject,
                        correlation_id=context.correlation_id.get(),
                        causation_id=context.causation_id.get())
        # Only `traceparent` travels: a client's `tracestate` and `baggage` stay with its
        # request (exemplar.tracing).
        if trace:
            # The service's own provider (its relay's), so the span carries its service.name.
            tracer = self.relay.tracer if self.relay is not None else get_tracer(__name__)
            cause = get_current_span().get_span_context()
            with tracer.start_span(envelope.type, context=propagate.extract(trace),
                                   links=[Link(cause)] if cause.is_valid else None) as span:
                trace_headers = tracing.span_trace(span) or {}
        else:
            trace_headers = tracing.current_trace() or {}
        at = now()
        self._staged.append({
            "id": envelope.id, "subject": envelope.type, "payload": envelope.model_dump_json(),
            "headers": json.dumps(trace_headers), "created_at": at, "next_attempt_at": at,
            "attempts": 0,
        })
        return envelope

    async def already_processed(self, consumer: str, event_id: str) -> bool:
        inbox = self.db.inbox
        row = await self.session.execute(
            select(inbox.c.event_id).where(inbox.c.consumer == consumer,
                                           inbox.c.event_id == event_id))
        return row.first() is not None

    def mark_processed(self, consumer: str, envelope: Envelope) -> None:
        self._inbox.append({"consumer": consumer, "event_id": envelope.id,
                            "subject": envelope.type, "processed_at": now()})

    async def commit(self) -> None:
        if self._staged:
            await self.session.execute(insert(self.db.outbox), self._staged)
            self._wake_relay = True
        if self._inbox:
            await self.session.execute(insert(self.db.inbox), self._inbox)
        self._staged, self._inbox = [], []
        if self.deferred:
            await self.session.flush()
            return
        await self.session.commit()
        self._committed = True
        if self._wake_relay and self.relay is not None:
            self.relay.wake()
        self._wake_relay = False
