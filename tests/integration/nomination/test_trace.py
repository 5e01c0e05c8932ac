"""A nomination keeps the trace of its first submission: resubmitting and withdrawing it,
requests of their own, send their events in that trace."""

from __future__ import annotations

from contextlib import AsyncExitStack

from exemplar.events import CaseReturnedV1, NominationSubmittedV1, NominationWithdrawnV1
from exemplar.testing import auth, eventually

from ..helpers import NOMINATION, create
from ..traces import sent_in
from .test_lifecycle import HEAD, OFFICER, review_says, status_of, submitted


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
