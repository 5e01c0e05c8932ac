"""The review of a nomination end to end, through the HTTP APIs of the nomination and review
services on one real nats-server: submitted → appraised → posted → voted → decided →
escalated, then revoked; and a nomination returned, fixed and resubmitted. Each review event
is on the stream exactly once and carries what publication and reporting need, and the
nomination service shows every outcome to the unit."""

from __future__ import annotations

from datetime import timedelta

from exemplar.clock import today as vietnam_today  # the services' date, not the machine's
from exemplar.testing import auth, eventually

from ..helpers import NOMINATION, stream_count, stream_events
from ..nomination.test_documents import generate, upload_document
from ..nomination.test_evidence import pdf_bytes
from .helpers import CHAIR, FRONT, MEMBERS, OFFICE, case_of

OFFICER, HEAD = "dak-o.officer", "dak-o.head"


async def _submitted_with_dossier(nomination, token, **changes) -> dict:
    """Drafted with the documents Lao động tiên tiến requires, then submitted by the head."""
    client, officer = nomination.client, auth(token(OFFICER))
    draft = await client.post("/nominations", json={**NOMINATION, "year": 2024, **changes},
                              headers=officer)
    assert draft.status_code == 201, draft.text
    nomination_id = draft.json()["id"]
    await generate(client, token(OFFICER), nomination_id, "to_trinh")
    for kind in ("danh_sach_de_nghi", "bien_ban_hop_xet"):
        uploaded = await upload_document(client, token(OFFICER), pdf_bytes(kind), f"{kind}.pdf",
                                         kind=kind, nomination_id=nomination_id)
        assert uploaded.status_code == 201, uploaded.text
    sent = await client.post(f"/nominations/{nomination_id}/submit", headers=auth(token(HEAD)))
    assert sent.status_code == 200, sent.text
    return sent.json()


async def _post(review, token, path: str, body: dict | None = None, who: str = OFFICE,
                expect: int = 200) -> dict:
    response = await review.client.post(path, json=body or {}, headers=auth(token(who)))
    assert response.status_code == expect, response.text
    return response.json() if response.content else {}


async def _nomination_status(nomination, token, nomination_id: str, status: str) -> dict:
    seen: dict = {}

    async def reached() -> bool:
        response = await nomination.client.get(f"/nominations/{nomination_id}",
                                               headers=auth(token(OFFICER)))
        seen.update(response.json(), etag=response.headers.get("ETag"))
        return seen.get("status") == status

    await eventually(reached, what=f"nomination {status}")
    return seen


async def test_nomination_goes_from_submission_to_the_province_and_is_revoked(cluster, token):
    nomination, review = cluster["nomination"], cluster["review"]
    url = review.runtime.settings.nats_url
    sent = await _submitted_with_dossier(nomination, token)
    case = await case_of(review, token, sent["id"])
    case_id = case["id"]

    await _post(review, token, f"/cases/{case_id}/appraisal", {
        "outcome": "appraised",
        "findings": [{"achievement": 0, "verdict": "verified", "note": "Đã xác minh tại ấp"}],
        "facts": {"disciplined": False, "under_investigation": False}})
    await _post(review, token, f"/cases/{case_id}/comments",
                {"text": "Đồng ý, đề nghị nhân rộng."}, who=FRONT, expect=201)
    days = review.runtime.profile.thresholds.public_posting_days
    opens = (vietnam_today() - timedelta(days=days + 1)).isoformat()  # posted and already over
    await _post(review, token, "/postings", {"title": "Danh sách đề nghị khen thưởng 2024",
                                             "case_ids": [case_id], "opens_on": opens},
                expect=201)

    session = await _post(review, token, "/sessions", {
        "title": "Phiên họp xét khen thưởng năm 2024", "held_on": vietnam_today().isoformat(),
        "case_ids": [case_id]}, expect=201)
    await _post(review, token, f"/sessions/{session['id']}/open", {"present": MEMBERS})
    for member in MEMBERS:
        await _post(review, token, f"/sessions/{session['id']}/items/{case_id}/ballots",
                    {"choice": "yes" if member != "ldld.head" else "abstain"}, who=member,
                    expect=201)
    await _post(review, token, f"/sessions/{session['id']}/close")
    assert (await case_of(review, token, sent["id"], status="voted"))["council_result"] == (
        "passed")

    decision = await _post(review, token, "/decisions", {
        "number": "125/QĐ-UBND", "signed_on": vietnam_today().isoformat(),
        "items": [{"case_id": case_id, "grant": True}]}, expect=201)
    await _post(review, token, f"/decisions/{decision['id']}/apply", who=CHAIR)
    decided = await _nomination_status(nomination, token, sent["id"], "decided")
    assert decided["decision"]["number"] == "125/QĐ-UBND"

    await _post(review, token, f"/cases/{case_id}/escalation",
                {"proposed_award": "bang_khen_chu_tich_tinh", "note": "Tiêu biểu của huyện"})

    async def escalated() -> bool:
        return await stream_count(url, "exemplar.review.escalated.v1") == 1

    await eventually(escalated, what="escalated on the stream")
    await _post(review, token, f"/cases/{case_id}/revocation", {
        "number": "140/QĐ-UBND", "signed_on": vietnam_today().isoformat(),
        "reason": "Phát hiện kê khai thành tích không đúng sau khi khen thưởng"}, who=CHAIR)
    await _nomination_status(nomination, token, sent["id"], "revoked")

    for event in ("appraised", "posted", "decided", "escalated", "revoked"):
        assert await stream_count(url, f"exemplar.review.{event}.v1") == 1, event
    [envelope] = await stream_events(url, "exemplar.review.decided.v1")
    data = envelope["data"]
    assert envelope["subject"] == sent["id"]
    assert (data["unit_id"], data["unit_kind"], data["year"], data["field"]) == (
        "xa-dak-o", "commune", 2024, "kinh_te")
    assert (data["outcome"], data["award"], data["award_name"]) == (
        "recognised", "lao_dong_tien_tien", "Lao động tiên tiến")
    assert data["nominee"]["name"] == NOMINATION["nominee"]["name"]
    assert data["decision"]["number"] == "125/QĐ-UBND"
    assert data["verified_claims"] == [NOMINATION["achievement_summary"]]
    audit = await review.client.get("/audit/verify", headers=auth(token(OFFICE)))
    assert audit.json()["ok"] is True and audit.json()["entries"] >= 8


async def test_returned_nomination_is_fixed_and_resubmitted(cluster, token):
    nomination, review = cluster["nomination"], cluster["review"]
    sent = await _submitted_with_dossier(nomination, token)
    case = await case_of(review, token, sent["id"])
    await _post(review, token, f"/cases/{case['id']}/appraisal", {
        "outcome": "returned",
        "findings": [{"achievement": 0, "verdict": "overstated",
                      "note": "Chỉ 25 hộ chuyển đổi, không phải 40"}],
        "facts": {"disciplined": False, "under_investigation": False},
        "reasons": ["Số hộ chuyển đổi bị kê khai quá thực tế"]})
    returned = await _nomination_status(nomination, token, sent["id"], "returned")
    assert "Số hộ chuyển đổi bị kê khai quá thực tế" in returned["review_reasons"]

    fixed = await nomination.client.patch(
        f"/nominations/{sent['id']}",
        json={"achievement_summary": "Vận động 25 hộ chuyển đổi cây trồng."},
        headers={**auth(token(OFFICER)), "If-Match": returned["etag"]})
    assert fixed.status_code == 200, fixed.text
    again = await nomination.client.post(f"/nominations/{sent['id']}/submit",
                                         headers=auth(token(HEAD)))
    assert again.status_code == 200, again.text
    reopened = await case_of(review, token, sent["id"], revision=2, status="open")
    assert (reopened["id"], reopened["achievements"]) == (
        case["id"], ["Vận động 25 hộ chuyển đổi cây trồng."])
    url = review.runtime.settings.nats_url
    assert await stream_count(url, "exemplar.review.returned.v1") == 1
