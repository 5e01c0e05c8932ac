"""The public's feedback on a posted list: taken only while the window is open, limited per
client and hour, moderated by the standing office; a complaint stays open — and blocks the
decision — until it is rejected or resolved."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import httpx
from sqlalchemy import select

from exemplar.clock import today
from exemplar.testing import auth

from .helpers import FRONT, OFFICE
from .test_posting import appraised_case, audit_actions, post_list, strict

COMMENT = {"kind": "comment", "name": "Lê Văn Tám", "contact": "0912 345 678",
           "text": "Chị Hoa rất nhiệt tình với bà con trong ấp."}


async def open_posting(review, token, **body) -> tuple[dict, dict]:
    case = await appraised_case(review, token)
    return await post_list(review, token, [case["id"]], **body), case


async def send(review, posting: dict, client=None, **changes) -> httpx.Response:
    return await (client or review.client).post(
        f"/public/postings/{posting['id']}/feedback", json={**COMMENT, **changes})


async def feedback_of(review, token, posting: dict, who: str = OFFICE) -> list[dict]:
    response = await review.client.get(f"/postings/{posting['id']}/feedback",
                                       headers=auth(token(who)))
    assert response.status_code == 200, response.text
    return response.json()


async def complaints(review, token, case: dict) -> dict:
    response = await review.client.get(f"/cases/{case['id']}/complaints",
                                       headers=auth(token(OFFICE)))
    assert response.status_code == 200, response.text
    return response.json()


def visitor(review, address: str) -> httpx.AsyncClient:
    """A browser at another address, as the service sees it (request.client.host)."""
    transport = httpx.ASGITransport(app=review.app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://review")


async def moderate(review, token, feedback_id: str, action: str, note: str | None = None,
                   who: str = OFFICE) -> httpx.Response:
    return await review.client.post(f"/feedback/{feedback_id}/moderation",
                                    json={"action": action, "note": note},
                                    headers=auth(token(who)))


async def test_feedback_is_taken_as_pending_and_only_the_office_sees_the_contact(
        review, token):
    posting, case = await open_posting(review, token)
    response = await send(review, posting, case_id=case["id"])
    assert response.status_code == 202, response.text
    assert response.json() == {"id": response.json()["id"], "status": "pending"}
    [seen] = await feedback_of(review, token, posting)
    assert (seen["name"], seen["contact"], seen["status"]) == (
        "Lê Văn Tám", "0912 345 678", "pending")
    assert seen["text"] == COMMENT["text"] and seen["case_id"] == case["id"]
    for who in (FRONT, "ubnd.chair"):
        [theirs] = await feedback_of(review, token, posting, who=who)
        assert theirs["contact"] is None and theirs["text"] == COMMENT["text"]
    entries = (await review.client.get("/audit", params={"entity_id": seen["id"]},
                                       headers=auth(token(OFFICE)))).json()
    assert [e["action"] for e in entries] == ["feedback.received"]
    assert entries[0]["actor"] == "public"
    assert "0912" not in str(entries[0]["data"]) and "Tám" not in str(entries[0]["data"])


async def test_a_form_post_gets_a_thank_you_page(review, token):
    posting, case = await open_posting(review, token)
    response = await review.client.post(
        f"/public/postings/{posting['id']}/feedback",
        data={**COMMENT, "kind": "complaint", "case_id": case["id"]})
    assert response.status_code == 202
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    strict(response.text)
    assert "Cảm ơn bạn đã gửi phản ánh, khiếu nại" in response.text
    [stored] = await feedback_of(review, token, posting)
    assert (stored["kind"], stored["name"]) == ("complaint", "Lê Văn Tám")


async def test_invalid_fields_are_422_naming_each_and_store_nothing(review, token):
    posting, _ = await open_posting(review, token)
    response = await send(review, posting, kind="khen", name="", contact=None,
                          text="x" * 5001, case_id="khong-co")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["fields"] == {"kind": "phải là “comment” (góp ý) hoặc “complaint” "
                                        "(khiếu nại)",
                                "case_id": "không có trong danh sách công khai này",
                                "name": "bắt buộc phải có", "contact": "bắt buộc phải có",
                                "text": "quá dài (tối đa 5000 ký tự)"}
    assert "họ và tên (name)" in detail["message"]
    unnamed = await send(review, posting, kind="complaint")
    assert unnamed.status_code == 422
    assert unnamed.json()["detail"]["fields"] == {
        "case_id": "khiếu nại phải chỉ rõ hồ sơ bị khiếu nại"}
    form = await review.client.post(f"/public/postings/{posting['id']}/feedback",
                                    data={**COMMENT, "name": "   "})
    assert form.status_code == 422 and 'aria-invalid="true"' in form.text
    strict(form.text)
    assert await feedback_of(review, token, posting) == []


async def test_feedback_outside_the_window_is_409_and_stores_nothing(review, token):
    closed, _ = await open_posting(review, token,
                                   opens_on=(today() - timedelta(days=5)).isoformat())
    later, _ = await open_posting(review, token,
                                  opens_on=(today() + timedelta(days=1)).isoformat())
    response = await send(review, closed)
    assert response.status_code == 409
    assert "đã kết thúc" in response.json()["detail"]
    response = await send(review, later)
    assert response.status_code == 409
    assert "chưa bắt đầu" in response.json()["detail"]
    assert await feedback_of(review, token, closed) == []
    assert await feedback_of(review, token, later) == []
    unknown = await review.client.post("/public/postings/khong-co/feedback", json=COMMENT)
    assert unknown.status_code == 404


async def test_over_the_hourly_limit_is_429_for_that_client_only(review, token):
    posting, _ = await open_posting(review, token)
    limit = review.runtime.profile.thresholds.feedback_rate_per_hour
    async with visitor(review, "203.0.113.7") as busy, visitor(review, "198.51.100.2") as other:
        for _ in range(limit):
            assert (await send(review, posting, client=busy)).status_code == 202
        refused = await send(review, posting, client=busy)
        assert refused.status_code == 429
        assert "quá số cho phép" in refused.json()["detail"]
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        form = await busy.post(f"/public/postings/{posting['id']}/feedback", data=COMMENT)
        assert form.status_code == 429 and "Retry-After" in form.headers
        assert (await send(review, posting, client=other)).status_code == 202
    assert len(await feedback_of(review, token, posting)) == limit + 1
    from review.posting.store import Feedback

    async with review.runtime.uow() as uow:
        clients = set(await uow.session.scalars(select(Feedback.client)))
    assert clients == {hashlib.sha256(b"203.0.113.7").hexdigest(),
                       hashlib.sha256(b"198.51.100.2").hexdigest()}


async def test_a_complaint_is_open_until_rejected_or_resolved(review, token):
    posting, case = await open_posting(review, token)
    ids = []
    for text in ("Thành tích chưa đúng thực tế", "Chị Hoa đang bị xem xét kỷ luật"):
        response = await send(review, posting, kind="complaint", case_id=case["id"],
                               text=text)
        ids.append(response.json()["id"])
    await send(review, posting, case_id=case["id"])  # a comment blocks nothing
    assert (await complaints(review, token, case))["open"] == 2
    unfounded, founded = ids
    no_reason = await moderate(review, token, unfounded, "reject")
    assert no_reason.status_code == 422 and "note" in no_reason.json()["detail"]["fields"]
    assert (await moderate(review, token, unfounded, "reject",
                           "Đã xác minh: không có căn cứ")).json()["status"] == "rejected"
    assert (await complaints(review, token, case))["open"] == 1
    early = await review.client.post(f"/feedback/{founded}/resolution",
                                     json={"resolution": "Đã giải quyết"},
                                     headers=auth(token(OFFICE)))
    assert early.status_code == 409
    assert (await moderate(review, token, founded, "accept")).json()["status"] == "accepted"
    assert (await complaints(review, token, case))["open"] == 1
    again = await moderate(review, token, founded, "reject", "Đổi ý")
    assert again.status_code == 409 and "đã được kiểm duyệt" in again.json()["detail"]
    resolved = await review.client.post(f"/feedback/{founded}/resolution",
                                         json={"resolution": "Đã xác minh, chưa có kỷ luật"},
                                         headers=auth(token(OFFICE)))
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    listed = await complaints(review, token, case)
    assert listed["open"] == 0
    assert [c["status"] for c in listed["items"]] == ["rejected", "resolved"]
    actions = await audit_actions(review, token)
    assert [a for a in actions if a.startswith("feedback.") and a != "feedback.received"] == [
        "feedback.rejected", "feedback.accepted", "feedback.resolved"]


async def test_the_front_reads_feedback_but_only_the_office_moderates(review, token):
    posting, case = await open_posting(review, token)
    sent = (await send(review, posting, kind="complaint", case_id=case["id"])).json()
    for who in (FRONT, "dak-o.officer", "ubnd.chair"):
        assert (await moderate(review, token, sent["id"], "accept", who=who)
                ).status_code == 403, who
        assert (await review.client.post(f"/feedback/{sent['id']}/resolution",
                                         json={"resolution": "Xong"},
                                         headers=auth(token(who)))).status_code == 403
    assert len(await feedback_of(review, token, posting, who=FRONT)) == 1
    unit = await review.client.get(f"/postings/{posting['id']}/feedback",
                                   headers=auth(token("dak-o.officer")))
    assert unit.status_code == 403
    assert (await review.client.get(f"/cases/{case['id']}/complaints",
                                    headers=auth(token("dak-o.officer")))).status_code == 403
    [still] = await feedback_of(review, token, posting)
    assert still["status"] == "pending"
