"""The inbox: a consumer applies an event at most once.

The event's effects, any events it stages and the `processed_message` row commit in one
transaction; the bus acks only after that commit. A redelivery finds the row and does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from . import context
from .bus import Delivery, Handler
from .db import Database
from .errors import Poison, RuleViolation, Transient
from .events import Event, UndecodableEvent, decode
from .outbox import OutboxRelay
from .uow import UnitOfWork

log = logging.getLogger(__name__)

EventHandler = Callable[[Event, UnitOfWork], Awaitable[None]]


def consumer_name(service: str, subject: str) -> str:
    """`review` + `exemplar.nomination.submitted.v1` → `review-nomination-submitted-v1`."""
    _, producer, event, version = subject.split(".")
    return f"{service}-{producer}-{event.replace('_', '-')}-{version}"


def inbox_handler(*, db: Database, consumer: str, source: str, handle: EventHandler,
                  relay: OutboxRelay | None = None) -> Handler:
    async def on_delivery(delivery: Delivery) -> None:
        try:
            envelope, event = decode(delivery.data)
        except UndecodableEvent as exc:
            raise Poison(str(exc)) from exc
        if envelope.type != delivery.subject:
            raise Poison(f"a {envelope.type} event on subject {delivery.subject}")
        tokens = (context.correlation_id.set(envelope.correlationid),
                  context.causation_id.set(envelope.id), context.event_id.set(envelope.id))
        try:
            async with UnitOfWork(db, source=source, relay=relay) as uow:
                if await uow.already_processed(consumer, envelope.id):
                    log.info("duplicate event skipped", extra={"consumer": consumer})
                    return
                uow.cause, uow.cause_headers, uow.deferred = envelope, delivery.headers, True
                try:
                    await handle(event, uow)
                except RuleViolation as exc:
                    raise Poison(exc.detail) from exc
                uow.mark_processed(consumer, envelope)
                uow.deferred = False
                try:
                    await uow.commit()
                except IntegrityError:
                    # Another replica applied it first; if so this one is a duplicate.
                    async with UnitOfWork(db, source=source) as check:
                        if await check.already_processed(consumer, envelope.id):
                            return
                    raise
        except (OperationalError, InterfaceError, OSError, TimeoutError) as exc:
            raise Transient(f"{type(exc).__name__}: {exc}") from exc
        finally:
            for var, token in zip((context.correlation_id, context.causation_id,
                                   context.event_id), tokens, strict=True):
                var.reset(token)

    return on_delivery
