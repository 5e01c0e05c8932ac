"""Critique by the Fatherland Front: its reviewers comment on cases under review; the office,
the council and the Front read the comments, the units do not. A refused comment writes
nothing, and every comment is in the audit log."""

from __future__ import annotations

import pytest

from exemplar.testing import auth

from .helpers import CHAIR, FRONT, OFFICE, arrange, open_case

TEXT = "Đề nghị xác minh thêm số hộ chuyển đổi cây trồng tại ấp 3."


async def comment(review, token, case_id: str, body: dict, who: str = FRONT):
    return await review.client.post(f"/cases/{case_id}/comments", json=body,
                                     headers=auth(token(who)))


async def comments(review, token, case_id: str, who: str = OFFICE):
    return await review.client.get(f"/cases/{case_id}/comments", headers=auth(token(who)))


async def audit_count(review, token) -> int:
    response = await review.client.get("/audit", params={"limit": 1000},
                                       headers=auth(token(OFFICE)))
    return len(response.json())


async def refused(review, token, case_id: str, body: dict, status: int,
                  who: str = FRONT) -> dict:
    before = await audit_count(review, token)
    response = await comment(review, token, case_id, body, who=who)
    assert response.status_code == status, response.text
    assert (await comments(review, token, case_id)).json() == []
    assert await audit_count(review, token) == before
    return response.json()


async def test_front_comment_is_read_by_the_office_and_the_council(review, token):
    case = await open_case(review, token)
    response = await comment(review, token, case["id"], {"text": f"  {TEXT}  "})
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["author"], created["author_name"], created["author_unit"],
            created["text"]) == (FRONT, "Hồ Thị Xuân", "mttq-huyen", TEXT)
    for reader in (OFFICE, CHAIR, "ubnd.vice-chair", FRONT):
        listed = await comments(review, token, case["id"], who=reader)
        assert listed.status_code == 200, reader
        assert [c["text"] for c in listed.json()] == [TEXT]
    audit = (await review.client.get("/audit", params={"entity_id": case["id"]},
                                     headers=auth(token(OFFICE)))).json()
    assert audit[-1]["action"] == "case.commented" and audit[-1]["actor"] == FRONT
    assert audit[-1]["data"]["comment_id"] == created["id"]


async def test_the_unit_cannot_read_the_fronts_comments(review, token):
    case = await open_case(review, token)
    assert (await comment(review, token, case["id"], {"text": TEXT})).status_code == 201
    for unit in ("dak-o.officer", "dak-o.head"):
        assert (await comments(review, token, case["id"], who=unit)).status_code == 403


async def test_comments_stay_in_the_order_written(review, token):
    case = await open_case(review, token)
    for text in ("Ý kiến thứ nhất", "Ý kiến thứ hai"):
        assert (await comment(review, token, case["id"], {"text": text})).status_code == 201
    assert [c["text"] for c in (await comments(review, token, case["id"])).json()] == [
        "Ý kiến thứ nhất", "Ý kiến thứ hai"]


@pytest.mark.parametrize("who", [OFFICE, "ubnd.vice-chair", "admin", "dak-o.officer"])
async def test_only_a_front_reviewer_comments(review, token, who):
    case = await open_case(review, token)
    await refused(review, token, case["id"], {"text": TEXT}, 403, who=who)


async def test_a_front_member_of_the_council_comments_too(review, token):
    case = await open_case(review, token)
    response = await comment(review, token, case["id"], {"text": TEXT}, who="mttq.head")
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("status", ["decided", "revoked", "withdrawn"])
async def test_a_case_no_longer_under_review_takes_no_comment(review, token, status):
    case = await open_case(review, token)
    await arrange(review, case["id"], status=status)
    body = await refused(review, token, case["id"], {"text": TEXT}, 409)
    assert body["error"] == "conflict"
    assert body["detail"]["message"].endswith("không còn nhận ý kiến phản biện.")


@pytest.mark.parametrize(("body", "reason"), [
    ({"text": "   "}, "quá ngắn"), ({"text": "x" * 5001}, "quá dài"), ({}, "bắt buộc phải có"),
    ({"text": "Ý kiến\x00 phản biện"}, "chứa ký tự điều khiển không hợp lệ"),
])
async def test_an_empty_overlong_or_garbled_comment_is_refused(review, token, body, reason):
    case = await open_case(review, token)
    answer = await refused(review, token, case["id"], body, 422)
    assert answer["detail"]["fields"] == {"text": reason}


async def test_a_comment_on_an_unknown_case_is_404(review, token):
    response = await comment(review, token, "khong-co", {"text": TEXT})
    assert response.status_code == 404
    assert response.json()["detail"]["message"] == "Không tìm thấy hồ sơ xét duyệt."
    listed = await comments(review, token, "khong-co")
    assert listed.status_code == 404
