"""A nomination's timeline: every event about it, oldest first, with the trace it was sent in;
the same after a replay; read by the staff of the nominating unit and the wide readers."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from exemplar.events import CaseAppraisedV1, CasePostedV1, Envelope
from exemplar.testing import auth

from .steps import (
    ADMIN,
    ALL_EVENTS,
    CHAIR,
    FINANCE,
    OFFICE,
    decided,
    envelope_of,
    escalated,
    get,
    published,
    revoked,
    send,
    settled,
    story_withdrawn,
    submitted,
)
from .test_replay import send_traced, start_replay
from .views import replayed

START = datetime(2024, 9, 2, 8, 0, tzinfo=UTC)


def one_nomination() -> list[Envelope]:
    """Everything that happens to one nomination, an hour apart (in this order)."""
    nomination = submitted()
    decision = decided(nomination)
    case = {"case_id": decision.case_id, "nomination_id": nomination.nomination_id,
            "unit_id": nomination.unit_id, "year": nomination.year}
    story = published(decision)
    events = [
        nomination,
        CaseAppraisedV1(**case, revision=1, verified=3, unverified=0, overstated=0,
                        appraised_by=OFFICE),
        CasePostedV1(**case, opens_on=START.date(), closes_on=START.date() + timedelta(7)),
        decision, story, escalated(decision), revoked(decision), story_withdrawn(story)]
    return [envelope_of(e).model_copy(update={"time": START + timedelta(hours=i)})
            for i, e in enumerate(events)]


async def timeline(reporting, nomination_id: str, bearer: str):
    return await reporting.client.get(f"/nominations/{nomination_id}/timeline",
                                      headers=auth(bearer))


async def sent_and_read(reporting, token) -> tuple[list[Envelope], dict[str, str]]:
    await replayed(reporting, token, started_by="startup")
    nats_url = reporting.runtime.settings.nats_url
    envelopes = one_nomination()
    shuffled = list(envelopes)
    random.Random(7).shuffle(shuffled)  # the order they come in does not matter
    traces = await send_traced(nats_url, shuffled)
    await send(nats_url, *scripted_noise())
    await settled(nats_url, *ALL_EVENTS, CaseAppraisedV1, CasePostedV1)
    return envelopes, traces


def scripted_noise() -> list:
    """Another nomination of the same unit, whose events are not on this timeline."""
    other = submitted()
    return [other, decided(other)]


async def test_the_timeline_lists_every_event_of_the_nomination_in_order(reporting, token):
    envelopes, traces = await sent_and_read(reporting, token)
    nomination_id = envelopes[0].data["nomination_id"]
    entries = await get(reporting, f"/nominations/{nomination_id}/timeline", token(OFFICE))
    assert [e["type"] for e in entries] == [
        "exemplar.nomination.submitted.v1", "exemplar.review.appraised.v1",
        "exemplar.review.posted.v1", "exemplar.review.decided.v1",
        "exemplar.publication.published.v1", "exemplar.review.escalated.v1",
        "exemplar.review.revoked.v1", "exemplar.publication.withdrawn.v1"]
    assert [e["source"] for e in entries] == [
        "nomination", "review", "review", "review", "publication", "review", "review",
        "publication"]
    assert [datetime.fromisoformat(e["time"]) for e in entries] == \
        [START + timedelta(hours=i) for i in range(8)]
    assert [e["event_id"] for e in entries] == [e.id for e in envelopes]
    assert [e["trace_id"] for e in entries] == [traces[e.id] for e in envelopes]
    assert [e["correlation_id"] for e in entries] == [e.correlationid for e in envelopes]
    assert entries[3]["data"]["decision"]["number"] == "215/QĐ-UBND"
    assert entries[6]["data"]["revocation"]["number"] == "230/QĐ-UBND"
    assert {e["data"]["nomination_id"] for e in entries} == {nomination_id}


async def test_the_timeline_is_the_same_after_a_replay(reporting, token):
    envelopes, _ = await sent_and_read(reporting, token)
    nomination_id = envelopes[0].data["nomination_id"]
    before = await get(reporting, f"/nominations/{nomination_id}/timeline", token(OFFICE))
    assert (await start_replay(reporting, token(ADMIN))).status_code == 202
    await replayed(reporting, token, started_by=ADMIN)
    after = await get(reporting, f"/nominations/{nomination_id}/timeline", token(OFFICE))
    assert after == before
    assert all(e["trace_id"] for e in after)


async def test_the_nominating_units_staff_read_the_timeline_and_others_do_not(
        reporting, token):
    envelopes, _ = await sent_and_read(reporting, token)
    nomination_id = envelopes[0].data["nomination_id"]
    for account in ("dak-o.officer", "dak-o.head", OFFICE, CHAIR, "tinh.viewer", ADMIN):
        response = await timeline(reporting, nomination_id, token(account))
        assert response.status_code == 200, (account, response.text)
        assert len(response.json()) == 8
    for account in ("phu-nghia.officer", "tckh.officer", "phu-nghia.head"):
        response = await timeline(reporting, nomination_id, token(account))
        assert response.status_code == 404, account
        assert nomination_id in response.json()["detail"]
    assert (await timeline(reporting, nomination_id, token(FINANCE))).status_code == 403
    response = await reporting.client.get(f"/nominations/{nomination_id}/timeline")
    assert response.status_code == 401


async def test_an_unknown_nomination_has_no_timeline(reporting, token):
    await sent_and_read(reporting, token)
    for account in (OFFICE, "dak-o.officer"):
        response = await timeline(reporting, str(uuid.uuid4()), token(account))
        assert response.status_code == 404
        assert response.json()["detail"].startswith("Không tìm thấy hồ sơ đề nghị")
    response = await timeline(reporting, "not an id!", token(OFFICE))
    assert response.status_code == 422


async def test_a_commune_reads_the_timelines_of_the_units_below_it(reporting, token):
    """The commune's radio station nominates: the commune counts it on its dashboard, and
    its officer reads the timeline; a neighbouring commune does not."""
    station = submitted(unit_id="tth-binh-thang", unit_name="Trạm truyền thanh xã Bình Thắng",
                        unit_kind="commune_radio")
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, station, decided(station))
    await settled(nats_url, *ALL_EVENTS)
    response = await timeline(reporting, station.nomination_id, token("binh-thang.officer"))
    assert response.status_code == 200, response.text
    assert [e["type"] for e in response.json()] == [
        "exemplar.nomination.submitted.v1", "exemplar.review.decided.v1"]
    response = await timeline(reporting, station.nomination_id, token("dak-o.officer"))
    assert response.status_code == 404
