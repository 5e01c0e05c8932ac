"""Cases open from submissions, reopen on resubmission, close on withdrawal; units see only
their own; every change is in the hash-chained audit log, and tampering is found."""

from __future__ import annotations

from exemplar.clock import today as vietnam_today  # the services' date, not the machine's
from exemplar.events import NominationWithdrawnV1
from exemplar.testing import auth

from .helpers import OFFICE, case_of, get_case, open_case, publish


async def test_submission_opens_a_case_with_the_dossier_and_an_appraisal_due_date(
        review, token):
    case = await open_case(review, token)
    assert case["status"] == "open" and case["status_name"] == "chờ thẩm định"
    assert case["achievements"] == ["Vận động 40 hộ chuyển đổi cây trồng",
                                    "Thu nhập bình quân của ấp tăng 25 %"]
    assert case["due_on"] is not None and case["overdue"] is False
    assert "bien_ban_hop_xet" in case["documents"]


async def test_a_submission_sent_again_changes_nothing(review, token):
    """The same submission re-sent under a new envelope (an outbox replayed after a crash)
    opens no second case, and leaves the case and its audit trail as they were."""
    from exemplar.testing import eventually

    from .helpers import submitted

    event = submitted()
    await publish(review.runtime.settings.nats_url, event)
    case = await case_of(review, token, event.nomination_id)
    await publish(review.runtime.settings.nats_url, event)  # a fresh envelope id, same event
    later = submitted()
    await publish(review.runtime.settings.nats_url, later)
    await case_of(review, token, later.nomination_id)  # consumed after the repeat, in order

    async def repeat_processed() -> bool:
        async with review.runtime.uow() as uow:
            from sqlalchemy import func, select
            inbox = review.runtime.db.inbox
            n = await uow.session.scalar(select(func.count()).select_from(inbox))
        return n == 3
    await eventually(repeat_processed, what="the repeat consumed")
    page = (await review.client.get("/cases", headers=auth(token(OFFICE)))).json()
    assert page["total"] == 2
    assert await get_case(review, token, case["id"]) == case
    audit = (await review.client.get("/audit", params={"entity_id": case["id"]},
                                     headers=auth(token(OFFICE)))).json()
    assert [e["action"] for e in audit] == ["case.opened"]


async def test_withdrawal_overtaking_its_submission_keeps_the_case_withdrawn(review, token):
    from exemplar.testing import eventually

    from .helpers import submitted

    event = submitted()
    await publish(review.runtime.settings.nats_url, NominationWithdrawnV1(
        nomination_id=event.nomination_id, revision=1, unit_id="xa-dak-o", year=2024,
        reason="Đơn vị rút hồ sơ", withdrawn_by="dak-o.head"))

    async def withdrawal_consumed() -> bool:
        audit = await review.client.get("/audit", headers=auth(token(OFFICE)))
        return [e["action"] for e in audit.json()] == ["case.withdrawn"]
    await eventually(withdrawal_consumed, what="the withdrawal, before any submission")
    assert (await review.client.get("/cases", headers=auth(token(OFFICE)))).json()["total"] == 0
    await publish(review.runtime.settings.nats_url, event)
    case = await case_of(review, token, event.nomination_id, status="withdrawn")
    assert (case["nominee"]["name"], case["reasons"]) == ("Nguyễn Thị Hoa",
                                                          ["Đơn vị rút hồ sơ"])
    assert case["due_on"] is None


async def test_unit_officer_sees_only_their_own_units_cases(review, token):
    mine = await open_case(review, token)
    theirs = await open_case(review, token, unit_id="xa-da-kia", unit_name="UBND xã Đa Kia")
    page = (await review.client.get("/cases", params={"unit_id": "xa-da-kia"},
                                    headers=auth(token("dak-o.officer")))).json()
    assert [c["id"] for c in page["items"]] == [mine["id"]]
    other = await review.client.get(f"/cases/{theirs['id']}",
                                    headers=auth(token("dak-o.officer")))
    assert other.status_code == 404
    assert (await get_case(review, token, mine["id"], who="dak-o.officer"))["id"] == mine["id"]


async def test_withdrawal_closes_the_case(review, token):
    case = await open_case(review, token)
    await publish(review.runtime.settings.nats_url, NominationWithdrawnV1(
        nomination_id=case["nomination_id"], revision=1, unit_id="xa-dak-o", year=2024,
        reason="Đơn vị rút để bổ sung", withdrawn_by="dak-o.head"))
    from .helpers import case_of
    closed = await case_of(review, token, case["nomination_id"], status="withdrawn")
    assert closed["reasons"] == ["Đơn vị rút để bổ sung"] and closed["due_on"] is None


async def test_unknown_case_is_404_in_vietnamese(review, token):
    response = await review.client.get("/cases/khong-co", headers=auth(token(OFFICE)))
    assert response.status_code == 404
    assert response.json()["detail"]["message"] == "Không tìm thấy hồ sơ xét duyệt."


async def test_each_stage_runs_against_the_profiles_deadline_and_overdue_cases_are_listed(
        review, token):
    from datetime import timedelta

    from .helpers import arrange

    deadlines = review.runtime.profile.deadlines
    late = await open_case(review, token)
    assert late["due_on"] == (vietnam_today() + timedelta(days=deadlines.appraisal)).isoformat()
    await open_case(review, token)  # on time
    theirs = await open_case(review, token, unit_id="xa-da-kia", unit_name="UBND xã Đa Kia")
    past = vietnam_today() - timedelta(days=1)
    await arrange(review, late["id"], due_on=past)
    await arrange(review, theirs["id"], due_on=past - timedelta(days=3))
    overdue = (await review.client.get("/cases/overdue", headers=auth(token(OFFICE)))).json()
    assert [c["id"] for c in overdue] == [theirs["id"], late["id"]]  # longest overdue first
    assert all(c["overdue"] for c in overdue)
    own = (await review.client.get("/cases/overdue", headers=auth(token("dak-o.officer")))).json()
    assert [c["id"] for c in own] == [late["id"]]
    await arrange(review, late["id"], status="decided", due_on=past)  # a decided case waits
    overdue = (await review.client.get("/cases/overdue", headers=auth(token(OFFICE)))).json()
    assert [c["id"] for c in overdue] == [theirs["id"]]


async def test_a_posted_cases_council_clock_starts_when_the_public_has_had_its_days(
        review, token):
    from datetime import date, timedelta

    from .helpers import arrange

    profile = review.runtime.profile
    case = await open_case(review, token)
    await arrange(review, case["id"], status="appraised", verified_claims=case["achievements"])
    opens = vietnam_today() + timedelta(days=10)  # a posting scheduled ahead
    posted = await review.client.post("/postings", json={
        "title": "Danh sách", "case_ids": [case["id"]], "opens_on": opens.isoformat()},
        headers=auth(token(OFFICE)))
    assert posted.status_code == 201, posted.text
    closes = date.fromisoformat(posted.json()["closes_on"])
    after = await get_case(review, token, case["id"])
    assert after["due_on"] == (closes + timedelta(days=1 + profile.deadlines.council)
                               ).isoformat()
