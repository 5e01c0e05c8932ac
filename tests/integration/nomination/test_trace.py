"""A nomination keeps the trace of its first submission, one by one or in a list:
resubmitting and withdrawing it, requests of their own, send their events in that trace. Only
the `traceparent` is kept: a client's `tracestate` and `baggage` stay with its request."""

from __future__ import annotations

import json
from contextlib import AsyncExitStack

from exemplar.events import CaseReturnedV1, NominationSubmittedV1, NominationWithdrawnV1
from exemplar.testing import auth, eventually

from ..helpers import NOMINATION, create
from ..traces import sent_in, traceparent
from .test_lifecycle import HEAD, OFFICER, review_says, status_of, submitted
from .test_lists import csv_file, people, scalar, upload


async def test_resubmission_and_withdrawal_continue_the_first_submissions_trace(
        start_service, token, nats_server):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination")
        client = nomination.client
        draft = await create(nomination, token(OFFICER))
        await submitted(client, token, draft["id"])
        [(_, first)] = await sent_in(nats_server.url, NominationSubmittedV1.type)
        await review_says(nats_server.url, CaseReturnedV1(
            case_id="c-1", nomination_id=draft["id"], revision=1, unit_id="xa-dak-o",
            year=NOMINATION["year"], reasons=["Thiếu biên bản họp xét"], returned_by="noi-vu"))
        await eventually(lambda: status_of(client, token, draft["id"], "returned"),
                         what="returned")
        await submitted(client, token, draft["id"])
        gone = await client.post(f"/nominations/{draft['id']}/withdraw",
                                 json={"reason": "Đơn vị rút để bổ sung năm sau"},
                                 headers=auth(token(HEAD)))
        assert gone.status_code == 200, gone.text

        sent = await sent_in(nats_server.url, NominationSubmittedV1.type, count=2)
        [(resubmission, again)] = sent[1:]
        [(_, withdrawn)] = await sent_in(nats_server.url, NominationWithdrawnV1.type)
        assert resubmission["data"]["revision"] == 2
        assert first[0] == again[0] == withdrawn[0]
        assert len({first[1], again[1], withdrawn[1]}) == 3


async def test_a_listed_nominations_withdrawal_continues_its_submissions_trace(
        start_service, token, nats_server):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination")
        listed = await upload(nomination, token(HEAD), csv_file(people(2)))
        assert listed.status_code == 201, listed.text
        first, _ = listed.json()["nomination_ids"]
        gone = await nomination.client.post(f"/nominations/{first}/withdraw",
                                            json={"reason": "Trùng với đề nghị của ấp"},
                                            headers=auth(token(HEAD)))
        assert gone.status_code == 200, gone.text

        sent = await sent_in(nats_server.url, NominationSubmittedV1.type, count=2)
        [(_, withdrawn)] = await sent_in(nats_server.url, NominationWithdrawnV1.type)
        [submission] = [ids for event, ids in sent if event["data"]["nomination_id"] == first]
        assert withdrawn[0] == submission[0]
        assert withdrawn[1] != submission[1]


async def test_a_nomination_keeps_its_traceparent_without_the_clients_state_or_baggage(
        start_service, token):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination", run_relay=False)
        trace_id, _, header = traceparent()
        listed = await upload(nomination, token(HEAD), csv_file(people(1)), **{
            "traceparent": header, "tracestate": "ban=bi-mat", "baggage": "user=nguyen-van-a"})
        assert listed.status_code == 201, listed.text
        [nomination_id] = listed.json()["nomination_ids"]

        kept = await scalar(nomination, "SELECT trace_headers FROM nomination WHERE id = :id",
                            id=nomination_id)
        kept = json.loads(kept) if isinstance(kept, str) else kept
        assert list(kept) == ["traceparent"]
        assert kept["traceparent"].split("-")[1] == trace_id
