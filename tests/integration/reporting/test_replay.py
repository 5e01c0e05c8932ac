"""Replaying the stream rebuilds exactly what the consumers had built: figures, every row, the
timeline with its trace ids; also while events keep arriving, and at start when the tables
are older than the projection code."""

from __future__ import annotations

import asyncio
import secrets
from contextlib import AsyncExitStack

import pytest
from sqlalchemy import delete, func, select

from exemplar.events import Envelope
from exemplar.testing import auth, eventually
from reporting.projections import replay
from reporting.projections.replay import VERSION
from reporting.projections.store import ProjectionVersion, Tally

from .steps import ADMIN, ALL_EVENTS, CHAIR, FINANCE, OFFICE, envelope_of, get, send, settled
from .test_projections import busy_nominations
from .test_quotas import scripted_year
from .views import all_handled, figures, fresh_reporting, replay_state, replayed, rows


def traceparent() -> tuple[str, str]:
    trace_id = secrets.token_hex(16)
    return trace_id, f"00-{trace_id}-{secrets.token_hex(8)}-01"


async def send_traced(nats_url: str, envelopes: list[Envelope]) -> dict[str, str]:
    """Each event in a trace of its own, as every service publishes them; event id → trace."""
    traces = {}
    for envelope in envelopes:
        trace_id, header = traceparent()
        await send(nats_url, envelope, traceparent=header)
        traces[envelope.id] = trace_id
    return traces


async def start_replay(reporting, bearer: str):
    return await reporting.client.post("/admin/replay", headers=auth(bearer))


async def test_a_replay_rebuilds_the_same_figures_and_rows(reporting, token):
    await replayed(reporting, token, started_by="startup")  # else asking joins that one
    nats_url = reporting.runtime.settings.nats_url
    envelopes = [envelope_of(e) for e in scripted_year()]
    traces = await send_traced(nats_url, envelopes)
    await settled(nats_url, *ALL_EVENTS)
    office, admin = token(OFFICE), token(ADMIN)
    before, before_rows = await figures(reporting, office), await rows(reporting.runtime)
    assert before["dashboard"]["totals"]["commended"] == 7
    assert {r[0]: r[5] for r in before_rows["timeline_entry"]} == traces  # id → trace id

    started = await start_replay(reporting, admin)
    assert started.status_code == 202, started.text
    assert started.json()["state"] == "running" and started.json()["started_by"] == ADMIN
    state = await replayed(reporting, token, started_by=ADMIN)
    assert (state["read"], state["applied"], state["skipped"]) == (len(envelopes),
                                                                   len(envelopes), 0)
    assert state["last_sequence"] == len(envelopes)
    assert state["finished_at"] >= state["started_at"]

    assert await figures(reporting, office) == before
    assert await rows(reporting.runtime) == before_rows


async def test_only_the_administrator_replays(reporting, token):
    for account in (OFFICE, CHAIR, FINANCE, "dak-o.officer"):
        assert (await start_replay(reporting, token(account))).status_code == 403
        response = await reporting.client.get("/admin/replay", headers=auth(token(account)))
        assert response.status_code == 403
    assert (await reporting.client.post("/admin/replay")).status_code == 401
    assert (await reporting.client.get("/admin/replay")).status_code == 401
    # the one replay there was is the service's own at start, whenever it got going
    assert (await replayed(reporting, token))["started_by"] == "startup"


async def test_a_replay_asked_for_twice_runs_once(reporting, token, monkeypatch):
    monkeypatch.setattr(replay, "BATCH", 25)
    await replayed(reporting, token, started_by="startup")
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, *busy_nominations(60)[0])
    await all_handled(nats_url)
    admin = token(ADMIN)
    first = (await start_replay(reporting, admin)).json()
    second = (await start_replay(reporting, admin)).json()
    assert second["started_at"] == first["started_at"]
    state = await replayed(reporting, token, started_by=ADMIN)
    assert state["read"] == state["applied"] == 240


@pytest.mark.parametrize("consumers", ["caught-up", "behind"])
async def test_a_replay_while_events_keep_arriving_ends_as_if_they_were_read_live(
        start_service, service_databases, nats_server, token, monkeypatch, consumers):
    """Small batches, so the replay's transactions and the consumers' interleave; with
    the consumers behind, both apply the same events at the same time."""
    monkeypatch.setattr(replay, "BATCH", 25)
    history = [envelope_of(e) for e in busy_nominations(60)[0]]  # 240 events
    arriving = [envelope_of(e) for e in [*scripted_year(), *busy_nominations(15)[0]]]
    office = token(OFFICE)

    async with fresh_reporting(start_service, service_databases, nats_server.url,
                               token) as live:
        await send(nats_server.url, *history, *arriving)
        await all_handled(nats_server.url)
        expected, expected_rows = await figures(live, office), await rows(live.runtime)

    async with fresh_reporting(start_service, service_databases, nats_server.url,
                               token) as reporting:
        await send(nats_server.url, *history)
        if consumers == "caught-up":
            await all_handled(nats_server.url)
        assert (await start_replay(reporting, token(ADMIN))).status_code == 202
        for start in range(0, len(arriving), 10):  # in small bursts, while it reads
            await send(nats_server.url, *arriving[start:start + 10])
        state = await replayed(reporting, token, started_by=ADMIN)
        assert len(history) <= state["applied"] <= len(history) + len(arriving)
        await all_handled(nats_server.url)
        assert await figures(reporting, office) == expected
        seen_rows = await rows(reporting.runtime)
    assert seen_rows["tally"] == expected_rows["tally"]
    for table in ("nomination_fact", "decision_fact", "story_fact", "revocation_fact",
                  "escalation_fact", "withdrawal_fact"):
        assert seen_rows[table] == expected_rows[table], table


async def _tally_rows(runtime) -> int:
    async with runtime.uow() as uow:
        return (await uow.session.execute(select(func.count()).select_from(Tally))).scalar()


async def test_a_service_finding_no_projection_version_rebuilds_on_start(
        start_service, token):
    office = token(OFFICE)
    async with AsyncExitStack() as stack:
        first = await start_service(stack, "reporting")
        await replayed(first, token, started_by="startup")
        nats_url = first.runtime.settings.nats_url
        await send(nats_url, *scripted_year())
        await settled(nats_url, *ALL_EVENTS)
        expected = await figures(first, office)
        async with first.runtime.uow() as uow:
            assert (await uow.session.get(ProjectionVersion, "reporting")).version == VERSION
            await uow.session.execute(delete(ProjectionVersion))
            await uow.session.execute(delete(Tally))
            await uow.commit()
        emptied = await figures(first, office)
        assert emptied["dashboard"]["totals"]["commended"] == 0  # the deletion shows
        assert emptied["quotas"]["summary"]["met"] == 0

    async with AsyncExitStack() as stack:  # the same database and stream
        again = await start_service(stack, "reporting")
        state = await replayed(again, token, started_by="startup")
        assert state["applied"] == len(scripted_year())
        assert await figures(again, office) == expected
        async with again.runtime.uow() as uow:
            assert (await uow.session.get(ProjectionVersion, "reporting")).version == VERSION


async def test_a_service_finding_an_older_projection_version_rebuilds_on_start(
        start_service, token):
    office = token(OFFICE)
    async with AsyncExitStack() as stack:
        first = await start_service(stack, "reporting")
        await replayed(first, token, started_by="startup")
        nats_url = first.runtime.settings.nats_url
        await send(nats_url, *scripted_year())
        await settled(nats_url, *ALL_EVENTS)
        expected = await figures(first, office)
        async with first.runtime.uow() as uow:
            (await uow.session.get(ProjectionVersion, "reporting")).version = VERSION - 1
            await uow.session.execute(delete(Tally))
            await uow.commit()

    async with AsyncExitStack() as stack:
        again = await start_service(stack, "reporting")
        await replayed(again, token, started_by="startup")
        assert await figures(again, office) == expected


async def test_a_service_with_current_projections_does_not_replay_on_start(
        start_service, token):
    async with AsyncExitStack() as stack:
        first = await start_service(stack, "reporting")
        await replayed(first, token, started_by="startup")
    async with AsyncExitStack() as stack:
        again = await start_service(stack, "reporting")
        state = await replay_state(again, token(ADMIN))
        assert state["state"] == "idle" and state["started_by"] is None
        assert await _tally_rows(again.runtime) == 0


async def test_quota_warnings_wait_while_the_figures_are_rebuilt(reporting, token):
    """The hourly warning round asks whether the tables are current: not while a replay
    runs, yes once it has finished."""
    replayer = reporting.app.state.replayer
    await replayed(reporting, token, started_by="startup")
    await eventually(replayer.current, what="the version written after the start's replay")
    replayer.start(by=ADMIN)
    assert not await replayer.current()
    await replayer.wait()
    assert await replayer.current()


async def test_figures_say_they_are_being_rebuilt_and_no_report_is_made_meanwhile(
        reporting, token, monkeypatch):
    """While a replay refills the tables, the figures say so and a yearly report (a record
    someone signs) is refused until it has finished."""
    await replayed(reporting, token, started_by="startup")
    gate = asyncio.Event()

    async def held(runtime, status):
        await gate.wait()

    monkeypatch.setattr(replay, "rebuild", held)
    replayer = reporting.app.state.replayer
    replayer.start(by=ADMIN)
    office = token(OFFICE)
    assert (await get(reporting, "/quotas", office, year=2024))["rebuilding"] is True
    assert (await get(reporting, "/dashboard", office, year=2024))["rebuilding"] is True
    response = await reporting.client.get("/reports/annual", params={"year": 2024},
                                          headers=auth(office))
    assert response.status_code == 503
    assert response.json()["error"] == "figures_rebuilding"
    gate.set()
    await replayer.wait()
    assert (await get(reporting, "/quotas", office, year=2024))["rebuilding"] is False
    response = await reporting.client.get("/reports/annual", params={"year": 2024},
                                          headers=auth(office))
    assert response.status_code == 200
