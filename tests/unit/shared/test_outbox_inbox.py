"""Delivery rules on a real SQLite file: the outbox publishes what committed, once; the inbox
applies an event once; poison is dead-lettered and retryable errors roll back."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, update

from exemplar import context
from exemplar.bus import BusUnavailable, Delivery, InMemoryBus
from exemplar.db import Database, platform_tables, service_metadata
from exemplar.errors import Poison, RuleViolation, Transient
from exemplar.events import (
    CaseReturnedV1,
    Envelope,
    Event,
    NominationWithdrawnV1,
    decode,
    wrap,
)
from exemplar.inbox import consumer_name, inbox_handler
from exemplar.outbox import OutboxRelay
from exemplar.testing import eventually
from exemplar.uow import UnitOfWork

SUBJECT = "exemplar.nomination.withdrawn.v1"
CONSUMER = "review-nomination-withdrawn-v1"


@dataclass
class Store:
    db: Database
    effect: Table
    known_unit: Table

    async def rows(self, table: Table) -> list:
        async with self.db.sessions() as session:
            return (await session.execute(select(table))).all()

    async def count(self, table: Table) -> int:
        async with self.db.sessions() as session:
            return (await session.execute(select(func.count()).select_from(table))).scalar_one()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    metadata: MetaData = service_metadata()
    platform_tables(metadata)
    # No unique key on the effect: only the inbox can keep a redelivery from applying twice.
    effect = Table("effect", metadata,
                   Column("id", Integer, primary_key=True, autoincrement=True),
                   Column("event_id", String(36), nullable=False),
                   Column("nomination_id", String(36), nullable=False))
    known_unit = Table("known_unit", metadata, Column("unit_id", String(36), primary_key=True))
    db = Database.open(f"sqlite+aiosqlite:///{tmp_path / 'service.db'}", metadata)
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield Store(db=db, effect=effect, known_unit=known_unit)
    await db.close()


def withdrawn(nomination_id: str = "nom-1", unit_id: str = "xa-dak-o") -> NominationWithdrawnV1:
    return NominationWithdrawnV1(nomination_id=nomination_id, revision=1, unit_id=unit_id,
                                 year=2025, reason="Đơn vị rút hồ sơ", withdrawn_by="u-1")


def returned(nomination_id: str = "nom-1") -> CaseReturnedV1:
    return CaseReturnedV1(case_id="case-1", nomination_id=nomination_id, revision=1,
                          unit_id="xa-dak-o", year=2025, reasons=["Thiếu minh chứng"],
                          returned_by="u-2")


async def stage_and_commit(store: Store, *events: Event, relay: OutboxRelay | None = None
                           ) -> list[Envelope]:
    async with UnitOfWork(store.db, source="nomination", relay=relay) as uow:
        envelopes = [uow.stage(event, subject="nom-1") for event in events]
        await uow.commit()
    return envelopes


def naive_utc(at: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; every one is written in UTC."""
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


class FailingBus:
    """The bus port while the broker refuses every publish (connected, but no PubAck)."""

    def __init__(self, *, connected: bool = True) -> None:
        self._connected = connected
        self.attempts = 0

    @property
    def connected(self) -> bool:
        return self._connected

    async def start(self, *, wait: float | None = None) -> None:
        return None

    async def close(self) -> None:
        return None

    async def publish(self, subject: str, data: bytes, *, msg_id: str,
                      headers: dict[str, str] | None = None) -> None:
        self.attempts += 1
        raise BusUnavailable(f"publish {subject} failed: no PubAck")

    async def subscribe(self, consumer, subject, handler) -> None:
        return None

    async def dead_letters(self) -> list:
        return []

    async def replay(self, sequence: int):
        raise KeyError(sequence)


# -- unit of work and outbox -----------------------------------------------------------------

async def test_staged_event_is_in_the_outbox_only_after_commit(store: Store) -> None:
    async with UnitOfWork(store.db, source="nomination") as uow:
        envelope = uow.stage(withdrawn(), subject="nom-1")
        assert await store.count(store.db.outbox) == 0
        await uow.commit()

    [row] = await store.rows(store.db.outbox)
    assert row.id == envelope.id
    assert row.subject == SUBJECT
    assert Envelope.model_validate_json(row.payload) == envelope
    assert row.published_at is None
    assert row.attempts == 0


async def test_unit_of_work_left_without_commit_stages_nothing(store: Store) -> None:
    async with UnitOfWork(store.db, source="nomination") as uow:
        await uow.session.execute(insert(store.effect).values(event_id="e", nomination_id="n"))
        uow.stage(withdrawn(), subject="nom-1")

    assert await store.count(store.db.outbox) == 0
    assert await store.count(store.effect) == 0


async def test_unit_of_work_failing_midway_rolls_back_rows_and_events(store: Store) -> None:
    with pytest.raises(RuntimeError, match="use case failed"):
        async with UnitOfWork(store.db, source="nomination") as uow:
            await uow.session.execute(
                insert(store.effect).values(event_id="e", nomination_id="n"))
            uow.stage(withdrawn(), subject="nom-1")
            raise RuntimeError("use case failed")

    assert await store.count(store.db.outbox) == 0
    assert await store.count(store.effect) == 0


async def test_relay_publishes_each_row_once_with_the_event_id_as_msg_id(store: Store) -> None:
    bus = InMemoryBus()
    relay = OutboxRelay(store.db, bus)
    first, second = await stage_and_commit(store, withdrawn("nom-1"), withdrawn("nom-2"))

    assert await relay.publish_pending() == 2

    assert sorted(d.msg_id for d in bus.published) == sorted([first.id, second.id])
    by_id = {d.msg_id: d for d in bus.published}
    for envelope in (first, second):
        delivery = by_id[envelope.id]
        assert delivery.subject == SUBJECT
        assert decode(delivery.data)[0] == envelope
    rows = await store.rows(store.db.outbox)
    assert all(row.published_at is not None for row in rows)
    assert await relay.pending() == 0

    assert await relay.publish_pending() == 0
    assert len(bus.published) == 2


async def test_commit_wakes_the_relay_without_waiting_for_the_sweep(store: Store) -> None:
    bus = InMemoryBus()
    relay = OutboxRelay(store.db, bus, sweep_seconds=3600)
    await relay.start()
    try:
        [envelope] = await stage_and_commit(store, withdrawn(), relay=relay)
        await eventually(lambda: _published(bus, envelope.id), timeout=5,
                         what="event published after commit")
        await eventually(lambda: _no_pending(relay), timeout=5, what="row marked published")
    finally:
        await relay.stop()


async def _published(bus: InMemoryBus, msg_id: str) -> bool:
    return any(d.msg_id == msg_id for d in bus.published)


async def _no_pending(relay: OutboxRelay) -> bool:
    return await relay.pending() == 0


async def test_failed_publish_leaves_the_row_for_a_later_attempt(store: Store) -> None:
    bus = FailingBus()
    relay = OutboxRelay(store.db, bus)
    [envelope] = await stage_and_commit(store, withdrawn())
    before = datetime.now(UTC)

    assert await relay.publish_pending() == 1

    assert bus.attempts == 1
    [row] = await store.rows(store.db.outbox)
    assert row.id == envelope.id
    assert row.published_at is None
    assert row.attempts == 1
    assert "no PubAck" in row.last_error
    assert naive_utc(row.next_attempt_at) > naive_utc(before) + timedelta(seconds=0.4)
    assert await relay.pending() == 1


async def test_repeated_failures_back_off_further(store: Store) -> None:
    bus = FailingBus()
    relay = OutboxRelay(store.db, bus)
    await stage_and_commit(store, withdrawn())
    await relay.publish_pending()
    async with store.db.sessions() as session, session.begin():  # make it due again
        await session.execute(update(store.db.outbox).values(
            next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)))
    before = datetime.now(UTC)

    assert await relay.publish_pending() == 1

    [row] = await store.rows(store.db.outbox)
    assert row.attempts == 2
    assert naive_utc(row.next_attempt_at) > naive_utc(before) + timedelta(seconds=0.9)


async def test_disconnected_bus_leaves_events_waiting_until_it_is_back(store: Store) -> None:
    [envelope] = await stage_and_commit(store, withdrawn())
    down = OutboxRelay(store.db, FailingBus(connected=False))

    assert await down.publish_pending() == 0
    [row] = await store.rows(store.db.outbox)
    assert (row.published_at, row.attempts, row.last_error) == (None, 0, None)

    bus = InMemoryBus()
    assert await OutboxRelay(store.db, bus).publish_pending() == 1
    assert [d.msg_id for d in bus.published] == [envelope.id]


async def test_relay_continues_the_trace_the_event_was_staged_in(store: Store) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("submit nomination") as staging:
        await stage_and_commit(store, withdrawn())
    staging_ctx = staging.get_span_context()

    relay = OutboxRelay(store.db, InMemoryBus(), tracer_provider=provider)
    assert await relay.publish_pending() == 1

    [relay_span] = [s for s in exporter.get_finished_spans() if s.name == "outbox relay"]
    assert relay_span.context.trace_id == staging_ctx.trace_id
    assert relay_span.parent is not None
    assert relay_span.parent.span_id == staging_ctx.span_id


# -- inbox -----------------------------------------------------------------------------------

def record_effect(store: Store):
    async def handle(event: Event, uow: UnitOfWork) -> None:
        await uow.session.execute(insert(store.effect).values(
            event_id=uow.cause.id, nomination_id=event.nomination_id))
    return handle


def delivery_of(envelope: Envelope, *, data: bytes | None = None) -> Delivery:
    return Delivery(subject=envelope.type, data=envelope.to_bytes() if data is None else data,
                    headers={}, msg_id=envelope.id)


def incoming(event: Event | None = None, **kwargs) -> Envelope:
    return wrap(event or withdrawn(), source="nomination", subject="nom-1", **kwargs)


async def test_redelivered_event_is_applied_once(store: Store) -> None:
    handler = inbox_handler(db=store.db, consumer=CONSUMER, source="review",
                            handle=record_effect(store))
    envelope = incoming()

    await handler(delivery_of(envelope))
    await handler(delivery_of(envelope))

    effects = await store.rows(store.effect)
    assert [(e.event_id, e.nomination_id) for e in effects] == [(envelope.id, "nom-1")]
    processed = await store.rows(store.db.inbox)
    assert [(p.consumer, p.event_id, p.subject) for p in processed] == [
        (CONSUMER, envelope.id, SUBJECT)]



async def test_replicas_racing_on_one_event_apply_it_once(store: Store) -> None:
    both_checked = asyncio.Barrier(2)

    async def handle(event: Event, uow: UnitOfWork) -> None:
        await asyncio.wait_for(both_checked.wait(), 10)  # both saw "not processed yet"
        await record_effect(store)(event, uow)

    replicas = [inbox_handler(db=store.db, consumer=CONSUMER, source="review", handle=handle)
                for _ in range(2)]
    envelope = incoming()

    await asyncio.wait_for(
        asyncio.gather(*(replica(delivery_of(envelope)) for replica in replicas)), 30)

    assert [e.event_id for e in await store.rows(store.effect)] == [envelope.id]
    assert await store.count(store.db.inbox) == 1

async def test_same_event_is_applied_once_per_consumer(store: Store) -> None:
    envelope = incoming()
    for consumer in (CONSUMER, "reporting-nomination-withdrawn-v1"):
        handler = inbox_handler(db=store.db, consumer=consumer, source="review",
                                handle=record_effect(store))
        await handler(delivery_of(envelope))

    assert await store.count(store.effect) == 2
    assert await store.count(store.db.inbox) == 2


@pytest.mark.parametrize("data", [
    b"\x00\x01 garbage",
    json.dumps({"specversion": "1.0"}).encode(),
    incoming().model_copy(update={"type": "exemplar.nomination.teleported.v1"}).to_bytes(),
    incoming().model_copy(update={"data": {"nomination_id": "nom-1"}}).to_bytes(),
], ids=["garbage", "not-an-envelope", "unknown-type", "invalid-data"])
async def test_undecodable_message_is_poison(store: Store, data: bytes) -> None:
    handler = inbox_handler(db=store.db, consumer=CONSUMER, source="review",
                            handle=record_effect(store))

    with pytest.raises(Poison):
        await handler(Delivery(subject=SUBJECT, data=data, headers={}))

    assert await store.count(store.effect) == 0
    assert await store.count(store.db.inbox) == 0


async def test_rule_violation_in_a_handler_is_poison_and_applies_nothing(store: Store) -> None:
    async def handle(event: Event, uow: UnitOfWork) -> None:
        await record_effect(store)(event, uow)
        uow.stage(returned(), subject="case-1")
        raise RuleViolation("Hồ sơ đã được quyết định, không thể rút.")

    handler = inbox_handler(db=store.db, consumer=CONSUMER, source="review", handle=handle)

    with pytest.raises(Poison, match="không thể rút"):
        await handler(delivery_of(incoming()))

    assert await store.count(store.effect) == 0
    assert await store.count(store.db.inbox) == 0
    assert await store.count(store.db.outbox) == 0


async def test_failing_handler_rolls_back_so_a_retry_applies_the_event(store: Store) -> None:
    failures = [ConnectionError("database went away")]

    async def handle(event: Event, uow: UnitOfWork) -> None:
        await record_effect(store)(event, uow)
        uow.stage(returned(), subject="case-1")
        if failures:
            raise failures.pop()

    handler = inbox_handler(db=store.db, consumer=CONSUMER, source="review", handle=handle)
    envelope = incoming()

    with pytest.raises(Transient) as raised:  # retried, never dead-lettered for it
        await handler(delivery_of(envelope))
    assert isinstance(raised.value.__cause__, ConnectionError)
    assert await store.count(store.effect) == 0
    assert await store.count(store.db.inbox) == 0
    assert await store.count(store.db.outbox) == 0

    await handler(delivery_of(envelope))

    assert [e.event_id for e in await store.rows(store.effect)] == [envelope.id]
    assert await store.count(store.db.inbox) == 1
    assert await store.count(store.db.outbox) == 1


async def test_handler_bug_is_not_mistaken_for_an_outage(store: Store) -> None:
    async def handle(event: Event, uow: UnitOfWork) -> None:
        raise ValueError("a bug in the projector")

    handler = inbox_handler(db=store.db, consumer=CONSUMER, source="review", handle=handle)
    with pytest.raises(ValueError):  # counted towards max_deliver, then dead-lettered
        await handler(delivery_of(incoming()))


async def test_use_case_commit_inside_a_consumer_commits_once_with_the_inbox_row(
        store: Store) -> None:
    async def handle(event: Event, uow: UnitOfWork) -> None:
        await record_effect(store)(event, uow)
        uow.stage(returned(), subject="case-1")
        await uow.commit()  # a use case that commits, as service functions do

    handler = inbox_handler(db=store.db, consumer=CONSUMER, source="review", handle=handle)
    envelope = incoming()
    await handler(delivery_of(envelope))
    await handler(delivery_of(envelope))

    assert [e.event_id for e in await store.rows(store.effect)] == [envelope.id]
    assert await store.count(store.db.inbox) == 1
    assert await store.count(store.db.outbox) == 1


async def test_event_on_a_foreign_subject_is_poison(store: Store) -> None:
    handler = inbox_handler(db=store.db, consumer=CONSUMER, source="review",
                            handle=record_effect(store))
    delivery = delivery_of(incoming())
    with pytest.raises(Poison):
        await handler(Delivery(subject="exemplar.review.decided.v1", data=delivery.data,
                               headers={}, msg_id=delivery.msg_id))
    assert await store.count(store.effect) == 0


async def test_events_staged_by_a_handler_continue_the_correlation(store: Store) -> None:
    async def handle(event: Event, uow: UnitOfWork) -> None:
        uow.stage(returned(event.nomination_id), subject="case-1")

    handler = inbox_handler(db=store.db, consumer=CONSUMER, source="review", handle=handle)
    cause = incoming(correlation_id="corr-from-the-http-request")

    await handler(delivery_of(cause))

    [row] = await store.rows(store.db.outbox)
    staged = Envelope.model_validate_json(row.payload)
    assert staged.type == "exemplar.review.returned.v1"
    assert staged.source == "review"
    assert staged.correlationid == "corr-from-the-http-request"
    assert staged.causationid == cause.id
    assert staged.id != cause.id
    assert context.correlation_id.get() is None
    assert context.causation_id.get() is None


async def test_events_staged_outside_a_handler_start_a_new_correlation(store: Store) -> None:
    [envelope] = await stage_and_commit(store, withdrawn())
    assert envelope.correlationid == envelope.id
    assert envelope.causationid is None


# -- the in-memory bus with the inbox ----------------------------------------------------------

def unit_must_be_known(store: Store):
    async def handle(event: Event, uow: UnitOfWork) -> None:
        known = (await uow.session.execute(
            select(store.known_unit).where(store.known_unit.c.unit_id == event.unit_id))).first()
        if known is None:
            raise RuleViolation(f"Đơn vị {event.unit_id} không tồn tại.")
        await record_effect(store)(event, uow)
    return handle


async def test_in_memory_bus_dead_letters_poison_at_once_and_replays_it(store: Store) -> None:
    bus = InMemoryBus(max_deliver=5)
    handler = inbox_handler(db=store.db, consumer=CONSUMER, source="review",
                            handle=unit_must_be_known(store))
    await bus.subscribe(CONSUMER, SUBJECT, handler)
    envelope = incoming()

    await bus.publish(SUBJECT, envelope.to_bytes(), msg_id=envelope.id)

    [letter] = await bus.dead_letters()
    assert letter.consumer == CONSUMER
    assert letter.msg_id == envelope.id
    assert letter.deliveries == 1
    assert letter.error.startswith("poison:")
    assert "xa-dak-o không tồn tại" in letter.error
    assert await store.count(store.effect) == 0

    async with store.db.sessions() as session, session.begin():  # the rule can pass now
        await session.execute(insert(store.known_unit).values(unit_id="xa-dak-o"))
    replayed = await bus.replay(letter.sequence)

    assert replayed.sequence == letter.sequence
    assert await bus.dead_letters() == []
    assert [e.event_id for e in await store.rows(store.effect)] == [envelope.id]


async def test_in_memory_bus_dead_letters_garbage_without_retrying(store: Store) -> None:
    bus = InMemoryBus(max_deliver=5)
    handler = inbox_handler(db=store.db, consumer=CONSUMER, source="review",
                            handle=record_effect(store))
    await bus.subscribe(CONSUMER, SUBJECT, handler)

    await bus.publish(SUBJECT, b"not an event", msg_id="m-1")

    [letter] = await bus.dead_letters()
    assert (letter.deliveries, letter.data) == (1, b"not an event")
    assert "not an event envelope" in letter.error


async def test_in_memory_bus_retries_a_failing_handler_then_dead_letters(store: Store) -> None:
    calls = []

    async def handle(event: Event, uow: UnitOfWork) -> None:
        calls.append(event)
        raise ValueError("projector bug")

    bus = InMemoryBus(max_deliver=3)
    await bus.subscribe(CONSUMER, SUBJECT, inbox_handler(
        db=store.db, consumer=CONSUMER, source="review", handle=handle))
    envelope = incoming()

    await bus.publish(SUBJECT, envelope.to_bytes(), msg_id=envelope.id)

    assert len(calls) == 3
    [letter] = await bus.dead_letters()
    assert letter.deliveries == 3
    assert "projector bug" in letter.error
    assert await store.count(store.db.inbox) == 0


async def test_database_outage_is_retried_but_never_dead_lettered(store: Store) -> None:
    async def handle(event: Event, uow: UnitOfWork) -> None:
        raise ConnectionError("database went away")

    bus = InMemoryBus(max_deliver=3)
    await bus.subscribe(CONSUMER, SUBJECT, inbox_handler(
        db=store.db, consumer=CONSUMER, source="review", handle=handle))
    envelope = incoming()

    await bus.publish(SUBJECT, envelope.to_bytes(), msg_id=envelope.id)

    assert await bus.dead_letters() == []
    assert [(c, d.msg_id) for c, d in bus.stalled] == [(CONSUMER, envelope.id)]


async def test_in_memory_bus_dead_letter_sequences_stay_unique_after_a_replay() -> None:
    async def always_poison(delivery: Delivery) -> None:
        raise Poison("never valid")

    bus = InMemoryBus()
    await bus.subscribe(CONSUMER, SUBJECT, always_poison)
    await bus.publish(SUBJECT, b"first", msg_id="m-1")
    await bus.publish(SUBJECT, b"second", msg_id="m-2")

    await bus.replay(1)  # still poison: dead-lettered again

    letters = await bus.dead_letters()
    assert sorted(d.data for d in letters) == [b"first", b"second"]
    assert len({d.sequence for d in letters}) == 2, [(d.sequence, d.data) for d in letters]


async def test_in_memory_bus_replay_of_an_unknown_dead_letter_raises_key_error() -> None:
    with pytest.raises(KeyError):
        await InMemoryBus().replay(99)


async def test_outbox_to_inbox_end_to_end_on_the_in_memory_bus(store: Store) -> None:
    bus = InMemoryBus()
    await bus.subscribe(CONSUMER, SUBJECT, inbox_handler(
        db=store.db, consumer=CONSUMER, source="review", handle=record_effect(store)))
    relay = OutboxRelay(store.db, bus)
    [envelope] = await stage_and_commit(store, withdrawn("nom-7"))

    await relay.publish_pending()

    effects = await store.rows(store.effect)
    assert [(e.event_id, e.nomination_id) for e in effects] == [(envelope.id, "nom-7")]
    assert await bus.dead_letters() == []


def test_consumer_name_joins_service_producer_event_and_version() -> None:
    assert consumer_name("review", "exemplar.nomination.submitted.v1") == (
        "review-nomination-submitted-v1")
    assert consumer_name("reporting", "exemplar.nomination.good_deed_reported.v1") == (
        "reporting-nomination-good-deed-reported-v1")

