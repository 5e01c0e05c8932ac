"""Staging an event in an aggregate's stored trace: the outbox row carries a new span of that
trace, linked to the request that staged it, exported or not. The stored trace is the
`traceparent` alone, never a client's `tracestate` or `baggage`."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from opentelemetry import context, propagate
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import select

from exemplar.bus import InMemoryBus
from exemplar.db import Database, platform_tables, service_metadata
from exemplar.events import CaseAppraisedV1
from exemplar.outbox import OutboxRelay
from exemplar.telemetry import tracer_provider
from exemplar.tracing import current_trace, delivered_trace
from exemplar.uow import UnitOfWork

STORED_TRACE, STORED_SPAN = secrets.token_hex(16), secrets.token_hex(8)
STORED = {"traceparent": f"00-{STORED_TRACE}-{STORED_SPAN}-01"}
CLIENTS = {"tracestate": "ban=bi-mat", "baggage": "user=nguyen-van-a"}


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    metadata = service_metadata()
    platform_tables(metadata)
    database = Database.open(f"sqlite+aiosqlite:///{tmp_path / 'review.db'}", metadata)
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database
    await database.close()


def appraised() -> CaseAppraisedV1:
    return CaseAppraisedV1(case_id="case-1", nomination_id="nom-1", revision=1,
                           unit_id="xa-dak-o", year=2024, verified=2, unverified=0,
                           overstated=0, note=None, appraised_by="noi-vu.head")


async def staged_in_request(db: Database, provider, trace: dict[str, str] | None
                            ) -> tuple[tuple[str, str], tuple[str, str]]:
    """Stage one event inside a request's span: ((trace, span) of the request, (trace, span)
    of the outbox row's traceparent)."""
    relay = OutboxRelay(db, InMemoryBus(), tracer_provider=provider)
    with provider.get_tracer("test").start_as_current_span("POST /cases/{id}/appraisal") as req:
        async with UnitOfWork(db, source="review", relay=relay) as uow:
            uow.stage(appraised(), subject="nom-1", trace=trace)
            await uow.commit()
    async with db.sessions() as session:
        [headers] = (await session.execute(select(db.outbox.c.headers))).scalars().all()
    _, row_trace, row_span, _ = json.loads(headers)["traceparent"].split("-")
    ctx = req.get_span_context()
    return (f"{ctx.trace_id:032x}", f"{ctx.span_id:016x}"), (row_trace, row_span)


async def test_an_event_staged_with_a_stored_trace_continues_it_in_a_span_of_its_own(db):
    # No exporter: spans are not recorded, the ids still travel.
    request, row = await staged_in_request(db, tracer_provider("review"), STORED)
    assert row[0] == STORED_TRACE != request[0]
    assert row[1] not in (STORED_SPAN, request[1])


async def test_the_span_is_a_child_of_the_stored_context_linked_to_the_request(db):
    spans = InMemorySpanExporter()
    request, row = await staged_in_request(db, tracer_provider("review", exporter=spans),
                                           STORED)
    [span] = [s for s in spans.get_finished_spans() if s.name == CaseAppraisedV1.type]
    assert (f"{span.context.trace_id:032x}", f"{span.context.span_id:016x}") == row
    assert f"{span.parent.span_id:016x}" == STORED_SPAN
    assert [(f"{link.context.trace_id:032x}", f"{link.context.span_id:016x}")
            for link in span.links] == [request]
    assert span.resource.attributes["service.name"] == "review"


async def test_without_a_stored_trace_the_event_stays_in_the_request_trace(db):
    request, row = await staged_in_request(db, tracer_provider("review"), None)
    assert row == request


def test_a_delivered_trace_is_its_traceparent_alone():
    assert delivered_trace({**STORED, **CLIENTS, "Nats-Msg-Id": "m-1"}) == STORED
    assert delivered_trace({"traceparent": "00-khong-hop-le", **CLIENTS}) is None
    assert delivered_trace({"Nats-Msg-Id": "m-1"}) is None


def test_the_current_trace_leaves_the_clients_state_and_baggage_out():
    assert current_trace() is None
    token = context.attach(propagate.extract({**STORED, **CLIENTS}))  # as a request arrives
    try:
        with tracer_provider("nomination").get_tracer("test").start_as_current_span("submit"):
            kept = current_trace()
    finally:
        context.detach(token)
    assert list(kept) == ["traceparent"]
    assert kept["traceparent"].split("-")[1] == STORED_TRACE


@pytest.mark.parametrize("stored", [False, True])
async def test_a_clients_baggage_and_state_never_reach_an_event(db, stored):
    """Whatever a client sends along with its traceparent stays with its request."""
    provider = tracer_provider("review", exporter=InMemorySpanExporter())
    sent = {"traceparent": f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01",
            "tracestate": "vendor=secret", "baggage": "user=someone-else"}
    token = context.attach(propagate.extract(sent))
    try:
        stored_trace = {"traceparent": f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"}
        await staged_in_request(db, provider, stored_trace if stored else None)
    finally:
        context.detach(token)
    async with db.sessions() as session:
        [headers] = (await session.execute(select(db.outbox.c.headers))).scalars().all()
    assert list(json.loads(headers)) == ["traceparent"]
