"""A nomination is never lost between services and never applied twice."""

from __future__ import annotations

import json
import uuid
from contextlib import AsyncExitStack

import nats
import pytest

from exemplar import services
from exemplar.events import NominationSubmittedV1, wrap
from exemplar.testing import eventually

from .helpers import NOMINATION, cases, counts, pending, submit

OFFICER, STANDING = "dak-o.officer", "noi-vu.officer"


async def everyone_has(cluster, token, n: int) -> bool:
    return (len(await cases(cluster["review"], token(STANDING))) >= n
            and len(await pending(cluster["publication"], token(STANDING))) >= n
            and sum((await counts(cluster["reporting"], token(STANDING))).values()) >= n)


async def test_one_nomination_is_recorded_once_by_each_service_in_one_trace(cluster, token):
    nomination = await submit(cluster["nomination"], token)

    await eventually(lambda: everyone_has(cluster, token, 1), what="all three consumers")
    review_cases = await cases(cluster["review"], token(STANDING))
    assert [c["nomination_id"] for c in review_cases] == [nomination["id"]]
    assert [p["nomination_id"] for p in await pending(cluster["publication"], token(STANDING))] \
        == [nomination["id"]]
    assert await counts(cluster["reporting"], token(STANDING)) == {"xa-dak-o": 1}

    spans = cluster.spans.get_finished_spans()
    http = next(s for s in spans if s.name == "POST /nominations/{nomination_id}/submit"
                and s.resource.attributes["service.name"] == "nomination")
    trace = [s for s in spans if s.context.trace_id == http.context.trace_id]
    published = [s for s in trace if s.name == f"{NominationSubmittedV1.type} publish"]
    processed = {s.resource.attributes["service.name"] for s in trace
                 if s.name == f"{NominationSubmittedV1.type} process"}
    assert len(published) == 1
    assert published[0].resource.attributes["service.name"] == "nomination"
    assert processed == {"review", "publication", "reporting"}
    assert any(s.name.startswith("INSERT") or "INSERT" in s.name for s in trace
               if s.resource.attributes["service.name"] == "review"), "review's SQL span"


async def test_nominations_submitted_while_nats_is_down_all_arrive_once(cluster, token,
                                                                         nats_server):
    nats_server.stop()
    await eventually(lambda: _disconnected(cluster), what="services notice NATS is down")
    submitted = [(await submit(cluster["nomination"], token,
                               achievement_summary=f"Thành tích số {i}"))["id"]
                 for i in range(20)]
    assert len(set(submitted)) == 20

    nats_server.start()
    await eventually(lambda: everyone_has(cluster, token, 20), timeout=60,
                     what="20 nominations everywhere")
    review_ids = [c["nomination_id"] for c in await cases(cluster["review"], token(STANDING))]
    pending_ids = [p["nomination_id"]
                   for p in await pending(cluster["publication"], token(STANDING))]
    assert sorted(review_ids) == sorted(submitted)
    assert sorted(pending_ids) == sorted(submitted)
    assert await counts(cluster["reporting"], token(STANDING)) == {"xa-dak-o": 20}


async def _disconnected(cluster) -> bool:
    return not any(s.runtime.bus.connected for s in cluster.services.values())


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing naks or acks."""


async def test_consumer_killed_after_commit_before_ack_changes_nothing_on_redelivery(
        start_service, token):
    from exemplar.bus import NatsBus

    class DiesAfterCommit(NatsBus):
        async def subscribe(self, consumer, subject, handler):
            async def commit_then_die(delivery):
                await handler(delivery)  # effects and inbox row are committed here
                raise Killed()

            await super().subscribe(consumer, subject, commit_then_die)

    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination")
        dying = DiesAfterCommit(nomination.runtime.settings.nats_url, name="review",
                                ack_wait=1.0)
        stack.push_async_callback(dying.close)
        first = await start_service(stack, "review", bus=dying)

        sent = await submit(nomination, token)
        await eventually(lambda: _cases_for(first, token, sent["id"]), what="case committed")
        await dying.close()  # the dead process's connection goes away without an ack

        second = await start_service(stack, "review")
        info = await eventually(lambda: _consumer_settled(second), timeout=30,
                                what="redelivered and acked")
        # delivered twice (consumer sequence) for one stream message: it was redelivered
        assert info.delivered.consumer_seq == info.delivered.stream_seq + 1
        assert len(await _cases_for(second, token, sent["id"])) == 1


async def _cases_for(review, token, nomination_id: str) -> list[dict]:
    return [c for c in await cases(review, token(STANDING))
            if c["nomination_id"] == nomination_id]


async def _consumer_settled(review):
    nc = await nats.connect(review.runtime.settings.nats_url)
    try:
        info = await nc.jetstream().consumer_info("EXEMPLAR",
                                                  "review-nomination-submitted-v1")
    finally:
        await nc.close()
    settled = info.num_ack_pending == 0 and info.num_pending == 0 and info.delivered.stream_seq
    return info if settled else None


def _submitted_envelope() -> bytes:
    event = NominationSubmittedV1(
        nomination_id=str(uuid.uuid4()), revision=1, unit_id="xa-phu-nghia",
        unit_name="UBND xã Phú Nghĩa", unit_kind="commune", year=2023,
        nominee=NOMINATION["nominee"], field="kinh_te", proposed_award="lao_dong_tien_tien",
        commendation_kind="regular", achievement_summary="Thành tích",
        submitted_by="phu-nghia.officer", submitted_at="2023-11-20T08:00:00Z")
    return wrap(event, source="nomination", subject=event.nomination_id).to_bytes()


@pytest.mark.parametrize("same_msg_id", [True, False], ids=["same-msg-id", "new-msg-id"])
async def test_same_event_published_twice_has_one_effect(cluster, nats_server, token,
                                                         same_msg_id):
    data = _submitted_envelope()
    event_id = json.loads(data)["id"]
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    await js.publish(NominationSubmittedV1.type, data, headers={"Nats-Msg-Id": event_id})
    second = event_id if same_msg_id else f"{event_id}-again"
    ack = await js.publish(NominationSubmittedV1.type, data, headers={"Nats-Msg-Id": second})
    assert bool(ack.duplicate) is same_msg_id
    await nc.close()

    await eventually(lambda: everyone_has(cluster, token, 1), what="applied")
    for name in ("review", "publication", "reporting"):
        settled = await eventually(lambda name=name: _all_acked(nats_server.url, name),
                                   what=f"{name} consumed both copies")
        assert settled
    assert len(await cases(cluster["review"], token(STANDING))) == 1
    assert len(await pending(cluster["publication"], token(STANDING))) == 1
    assert await counts(cluster["reporting"], token(STANDING)) == {"xa-phu-nghia": 1}


async def _all_acked(url: str, service: str) -> bool:
    nc = await nats.connect(url)
    try:
        info = await nc.jetstream().consumer_info(
            "EXEMPLAR", f"{service}-nomination-submitted-v1")
        stream = await nc.jetstream().stream_info("EXEMPLAR")
    finally:
        await nc.close()
    return (info.num_ack_pending == 0 and info.num_pending == 0
            and info.delivered.stream_seq == stream.state.last_seq)


def test_every_service_is_installed():
    assert list(services.installed()) == ["nomination", "review", "publication", "reporting"]
