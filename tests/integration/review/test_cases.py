"""Cases open from submissions, reopen on resubmission, close on withdrawal; units see only
their own; every change is in the hash-chained audit log, and tampering is found."""

from __future__ import annotations

from exemplar.events import NominationWithdrawnV1
from exemplar.testing import auth

from .helpers import OFFICE, get_case, open_case, publish


async def test_submission_opens_a_case_with_the_dossier_and_an_appraisal_due_date(
        review, token):
    case = await open_case(review, token)
    assert case["status"] == "open" and case["status_name"] == "chờ thẩm định"
    assert case["achievements"] == ["Vận động 40 hộ chuyển đổi cây trồng",
                                    "Thu nhập bình quân của ấp tăng 25 %"]
    assert case["due_on"] is not None and case["overdue"] is False
    assert "bien_ban_hop_xet" in case["documents"]


async def test_the_same_submission_twice_opens_one_case(review, token):
    case = await open_case(review, token)
    from .helpers import submitted
    again = submitted(nomination_id=case["nomination_id"])
    await publish(review.runtime.settings.nats_url, again)
    await publish(review.runtime.settings.nats_url, submitted())  # a later, different one
    response = await review.client.get("/cases", headers=auth(token(OFFICE)))
    from exemplar.testing import eventually

    async def two() -> bool:
        page = (await review.client.get("/cases", headers=auth(token(OFFICE)))).json()
        return page["total"] == 2
    await eventually(two, what="the second nomination's case")
    page = (await review.client.get("/cases", headers=auth(token(OFFICE)))).json()
    assert [c["nomination_id"] for c in page["items"]].count(case["nomination_id"]) == 1
    assert response.status_code == 200


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
    from datetime import date, timedelta

    from .helpers import arrange

    deadlines = review.runtime.profile.deadlines
    late = await open_case(review, token)
    assert late["due_on"] == (date.today() + timedelta(days=deadlines.appraisal)).isoformat()
    await open_case(review, token)  # on time
    theirs = await open_case(review, token, unit_id="xa-da-kia", unit_name="UBND xã Đa Kia")
    past = date.today() - timedelta(days=1)
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
