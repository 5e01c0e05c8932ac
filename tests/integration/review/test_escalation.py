"""After the decision: the standing office proposes an exemplar to the provincial board
(`escalated`, once), and the chair revokes a grant by a decision of its own (`revoked`, once).
Each is refused, writing nothing, when the case is not in a state that allows it."""

from __future__ import annotations

from datetime import timedelta

from exemplar.clock import today
from exemplar.testing import auth

from ..helpers import stream_count
from .helpers import CHAIR, OFFICE, get_case
from .test_decisions import (
    CONTROL,
    VERIFIED,
    audit_entries,
    claims_only_verified,
    decided,
    docx_text,
    events,
    fields,
    grant,
    message,
    prepare,
    reject,
    voted_case,
)

ESCALATED, REVOKED = "exemplar.review.escalated.v1", "exemplar.review.revoked.v1"
TODAY = today().isoformat()
PROVINCE = "bang_khen_chu_tich_tinh"
REASON = "Phát hiện kê khai thành tích không đúng sau khi khen thưởng"


async def granted_case(review, token, number: str = "125/QĐ-UBND") -> dict:
    case = await voted_case(review, token)
    await decided(review, token, [grant(case)], number=number)
    return case


async def escalate(review, token, case: dict, who: str = OFFICE, award: str = PROVINCE,
                   headers: dict | None = None, **body):
    return await review.client.post(
        f"/cases/{case['id']}/escalation", headers={**auth(token(who)), **(headers or {})},
        json={"proposed_award": award, "note": "Tiêu biểu của huyện năm 2024", **body})


async def revoke(review, token, case: dict, number: str = "140/QĐ-UBND", who: str = CHAIR,
                 headers: dict | None = None, **body):
    return await review.client.post(
        f"/cases/{case['id']}/revocation", headers={**auth(token(who)), **(headers or {})},
        json={"number": number, "signed_on": TODAY, "reason": REASON, **body})


# -- escalation --------------------------------------------------------------------------------

async def test_a_decided_exemplar_is_escalated_to_the_province_once(review, token):
    case = await granted_case(review, token)
    response = await escalate(review, token, case)
    assert response.status_code == 200, response.text
    escalated = response.json()
    assert (escalated["status"], escalated["escalated_on"], escalated["escalated_award"]) == (
        "decided", TODAY, PROVINCE)
    [event] = await events(review, ESCALATED, 1)
    data = event["data"]
    assert event["subject"] == case["nomination_id"]
    assert (data["proposed_award"], data["escalated_by"], data["escalated_on"]) == (
        PROVINCE, OFFICE, TODAY)
    assert data["decision"]["number"] == "125/QĐ-UBND"
    assert (data["unit_kind"], data["nominee"]["name"]) == ("commune", "Nguyễn Thị Hoa")
    assert data["verified_claims"] == VERIFIED and claims_only_verified(data)
    audit = (await review.client.get("/audit", params={"entity_id": case["id"]},
                                     headers=auth(token(OFFICE)))).json()
    assert [e["action"] for e in audit].count("case.escalated") == 1


async def test_escalation_is_refused_before_the_decision_and_the_second_time(review, token):
    case = await voted_case(review, token)
    early = await escalate(review, token, case)
    assert early.status_code == 409 and "Nguyễn Thị Hoa" in message(early)
    await decided(review, token, [grant(case)])
    assert (await escalate(review, token, case)).status_code == 200
    before = await audit_entries(review, token)
    again = await escalate(review, token, case)
    assert again.status_code == 409 and "đã được trình cấp trên" in message(again)
    assert await audit_entries(review, token) == before
    await events(review, ESCALATED, 1)


async def test_escalation_needs_an_award_above_the_chair_and_the_standing_office(
        review, token):
    case = await granted_case(review, token)
    before = await audit_entries(review, token)
    for award in ("giay_khen_chu_tich_huyen", "khong_co"):
        response = await escalate(review, token, case, award=award)
        assert response.status_code == 422, award
        assert "proposed_award" in fields(response)
    for who in (CHAIR, "mttq.reviewer", "dak-o.officer"):
        assert (await escalate(review, token, case, who=who)).status_code == 403, who
    assert (await get_case(review, token, case["id"]))["escalated_on"] is None
    assert await audit_entries(review, token) == before


async def test_an_escalation_note_with_control_characters_is_refused(review, token):
    case = await granted_case(review, token)
    before = await audit_entries(review, token)
    response = await escalate(review, token, case, note="Tiêu biểu\x00 của huyện")
    assert response.status_code == 422 and fields(response) == {"note": CONTROL}
    assert (await get_case(review, token, case["id"]))["escalated_on"] is None
    assert await audit_entries(review, token) == before


async def test_escalation_and_revocation_refuse_a_stale_etag(review, token):
    case = await granted_case(review, token)
    etag = (await get_case(review, token, case["id"]))["etag"]
    before = await audit_entries(review, token)
    assert (await escalate(review, token, case, headers={"If-Match": '"999"'})
            ).status_code == 412
    assert (await get_case(review, token, case["id"]))["escalated_on"] is None
    assert await audit_entries(review, token) == before
    escalated = await escalate(review, token, case, headers={"If-Match": etag})
    assert escalated.status_code == 200, escalated.text
    assert escalated.headers["ETag"] == escalated.json()["etag"] != etag
    stale = await revoke(review, token, case, headers={"If-Match": etag})
    assert stale.status_code == 412, stale.text
    assert (await get_case(review, token, case["id"]))["status"] == "decided"
    current = await revoke(review, token, case,
                           headers={"If-Match": escalated.headers["ETag"]})
    assert current.status_code == 200, current.text
    await events(review, REVOKED, 1)


async def test_a_rejected_nomination_is_not_escalated(review, token):
    case = await voted_case(review, token)
    await decided(review, token, [reject(case)])
    response = await escalate(review, token, case)
    assert response.status_code == 409 and "công nhận hoặc khen thưởng" in message(response)


# -- revocation --------------------------------------------------------------------------------

async def test_revocation_by_the_chair_revokes_the_grant_once(review, token):
    case = await granted_case(review, token)
    for who in (OFFICE, "admin", "vhtt.head"):
        assert (await revoke(review, token, case, who=who)).status_code == 403, who
    response = await revoke(review, token, case)
    assert response.status_code == 200, response.text
    revocation = response.json()
    assert (revocation["kind"], revocation["number"], revocation["status"]) == (
        "revocation", "140/QĐ-UBND", "applied")
    assert revocation["items"][0]["case_status"] == "revoked"
    after = await get_case(review, token, case["id"])
    assert (after["status"], after["reasons"]) == ("revoked", [REASON])
    [event] = await events(review, REVOKED, 1)
    assert event["subject"] == case["nomination_id"]
    assert (event["data"]["decision_number"], event["data"]["reason"]) == (
        "125/QĐ-UBND", REASON)
    assert event["data"]["revocation"]["number"] == "140/QĐ-UBND"

    again = await revoke(review, token, case, number="141/QĐ-UBND")
    assert again.status_code == 409 and "đã bị thu hồi" in message(again)
    assert (await escalate(review, token, case)).status_code == 409
    listed = (await review.client.get("/decisions", params={"kind": "revocation"},
                                      headers=auth(token(OFFICE)))).json()
    assert [d["number"] for d in listed["items"]] == ["140/QĐ-UBND"]
    document = await review.client.get(f"/decisions/{revocation['id']}/document.docx",
                                       headers=auth(token(OFFICE)))
    assert document.status_code == 200
    text = docx_text(document.content)
    assert "Số: 140/QĐ-UBND" in text and "Thu hồi Lao động tiên tiến" in text
    assert "125/QĐ-UBND" in text and REASON in text
    await events(review, REVOKED, 1)


async def test_revocation_is_refused_for_a_rejected_or_undecided_nomination(review, token):
    rejected = await voted_case(review, token)
    await decided(review, token, [reject(rejected)])
    undecided = await voted_case(review, token)
    before = await audit_entries(review, token)
    for case in (rejected, undecided):
        response = await revoke(review, token, case)
        assert response.status_code == 409 and "chỉ thu hồi" in message(response)
    assert await audit_entries(review, token) == before
    assert await stream_count(review.runtime.settings.nats_url, REVOKED) == 0


async def test_a_revocation_is_not_signed_before_the_decision_it_revokes(review, token):
    case = await granted_case(review, token)
    response = await review.client.post(
        f"/cases/{case['id']}/revocation", headers=auth(token(CHAIR)),
        json={"number": "140/QĐ-UBND", "reason": REASON,
              "signed_on": (today() - timedelta(days=1)).isoformat()})
    assert response.status_code == 422 and "signed_on" in fields(response)
    assert (await get_case(review, token, case["id"]))["status"] == "decided"


async def test_bad_revocation_input_gets_a_clear_422_and_writes_nothing(review, token):
    case = await granted_case(review, token)
    before = await audit_entries(review, token)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    for body, expected in (
            ({"signed_on": tomorrow}, {"signed_on": "sau ngày hôm nay"}),
            ({"signed_on": "2023-12-31"}, {"signed_on": "trước năm 2024"}),
            ({"reason": "Kê khai\x00 sai"}, {"reason": CONTROL}),
            ({"number": "140\x00/QĐ-UBND"}, {"number": CONTROL})):
        response = await revoke(review, token, case, **body)
        assert response.status_code == 422, (body, response.text)
        assert fields(response) == expected
    assert (await get_case(review, token, case["id"]))["status"] == "decided"
    assert await audit_entries(review, token) == before
    assert await stream_count(review.runtime.settings.nats_url, REVOKED) == 0


async def test_a_revocation_cannot_reuse_a_decision_number(review, token):
    case = await granted_case(review, token, number="125/QĐ-UBND")
    pending = await voted_case(review, token)
    assert (await prepare(review, token, [grant(pending)], number="130/QĐ-UBND")
            ).status_code == 201
    before = await audit_entries(review, token)
    for number in ("125/QĐ-UBND", "130/QĐ-UBND"):
        response = await revoke(review, token, case, number=number)
        assert response.status_code == 409 and number in message(response)
        assert "number" in fields(response)
    assert (await get_case(review, token, case["id"]))["status"] == "decided"
    assert await audit_entries(review, token) == before
    total = (await review.client.get("/decisions", headers=auth(token(OFFICE)))).json()
    assert total["total"] == 2
    # and a decision cannot take the revocation's number either
    assert (await revoke(review, token, case)).status_code == 200
    other = await voted_case(review, token)
    response = await prepare(review, token, [grant(other)], number="140/QĐ-UBND")
    assert response.status_code == 409 and "number" in fields(response)
    assert await stream_count(review.runtime.settings.nats_url, REVOKED) == 1
