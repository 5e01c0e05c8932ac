"""The role matrix of review, as each user meets it: a unit sees only its own cases and cannot
act on them; the Front comments but neither votes nor decides; only the chair decides."""

from __future__ import annotations

import pytest

from exemplar.clock import today as vietnam_today  # the services' date, not the machine's
from exemplar.testing import auth

from .helpers import CHAIR, FRONT, OFFICE, arrange, open_case

TODAY = vietnam_today().isoformat()


async def _session_with(review, token, case_id: str) -> str:
    created = await review.client.post("/sessions", json={
        "title": "Phiên họp", "held_on": TODAY, "case_ids": [case_id]},
        headers=auth(token(OFFICE)))
    assert created.status_code == 201, created.text
    session_id = created.json()["id"]
    opened = await review.client.post(f"/sessions/{session_id}/open",
                                      json={"present": ["ubnd.chair", "noi-vu.head"]},
                                      headers=auth(token(OFFICE)))
    assert opened.status_code == 200, opened.text
    return session_id


@pytest.mark.parametrize("who", ["dak-o.officer", "dak-o.head", FRONT, "tinh.viewer"])
async def test_only_the_standing_office_appraises(review, token, who):
    case = await open_case(review, token)
    response = await review.client.post(f"/cases/{case['id']}/appraisal", json={
        "outcome": "appraised", "findings": [{"achievement": 0, "verdict": "verified"},
                                             {"achievement": 1, "verdict": "verified"}],
        "facts": {"disciplined": False, "under_investigation": False}},
        headers=auth(token(who)))
    assert response.status_code in (403, 404), response.text
    after = await review.client.get(f"/cases/{case['id']}", headers=auth(token(OFFICE)))
    assert after.json()["status"] == "open"


async def test_front_comments_but_neither_votes_nor_decides(review, token):
    case = await open_case(review, token)
    await arrange(review, case["id"], status="posted")
    comment = await review.client.post(f"/cases/{case['id']}/comments",
                                       json={"text": "Đề nghị xác minh thêm."},
                                       headers=auth(token(FRONT)))
    assert comment.status_code == 201, comment.text
    session_id = await _session_with(review, token, case["id"])
    vote = await review.client.post(f"/sessions/{session_id}/items/{case['id']}/ballots",
                                    json={"choice": "yes"}, headers=auth(token(FRONT)))
    assert vote.status_code == 403
    decision = await review.client.post("/decisions", json={
        "number": "1/QĐ-UBND", "signed_on": TODAY,
        "items": [{"case_id": case["id"], "grant": False, "reasons": ["Không đạt"]}]},
        headers=auth(token(FRONT)))
    assert decision.status_code == 403


@pytest.mark.parametrize("who", [OFFICE, "ubnd.vice-chair", "admin", FRONT, "dak-o.head"])
async def test_only_the_chair_applies_a_decision(review, token, who):
    case = await open_case(review, token)
    await arrange(review, case["id"], status="voted", council_result="passed",
                  verified_claims=case["achievements"])
    prepared = await review.client.post("/decisions", json={
        "number": "7/QĐ-UBND", "signed_on": TODAY,
        "items": [{"case_id": case["id"], "grant": True}]}, headers=auth(token(OFFICE)))
    assert prepared.status_code == 201, prepared.text
    path = f"/decisions/{prepared.json()['id']}/apply"
    refused = await review.client.post(path, headers=auth(token(who)))
    assert refused.status_code == 403
    assert (await review.client.get(f"/cases/{case['id']}",
                                    headers=auth(token(OFFICE)))).json()["status"] == "voted"
    applied = await review.client.post(path, headers=auth(token(CHAIR)))
    assert applied.status_code == 200, applied.text


async def test_unit_cannot_read_the_councils_deliberation(review, token):
    case = await open_case(review, token)
    for path in (f"/cases/{case['id']}/comments", "/sessions", "/audit"):
        response = await review.client.get(path, headers=auth(token("dak-o.officer")))
        assert response.status_code == 403, path


async def test_a_chair_role_of_another_council_does_not_decide_here(review, token, key_dir):
    """An identity provider may give `chair` to every commune's chairman: only this council's
    chair (the profile's) applies its decisions."""
    from exemplar.auth import issue_token

    case = await open_case(review, token)
    await arrange(review, case["id"], status="voted", council_result="passed",
                  verified_claims=case["achievements"])
    prepared = await review.client.post("/decisions", json={
        "number": "8/QĐ-UBND", "signed_on": TODAY,
        "items": [{"case_id": case["id"], "grant": True}]}, headers=auth(token(OFFICE)))
    assert prepared.status_code == 201, prepared.text
    settings = review.runtime.settings
    other_chair = issue_token(
        private_key=(key_dir / "private.pem").read_text(), sub="xa-da-kia.chair",
        name="Chủ tịch UBND xã Đa Kia", unit="xa-da-kia", roles=["chair"],
        issuer=settings.auth_issuer, audience=settings.auth_audience)
    refused = await review.client.post(f"/decisions/{prepared.json()['id']}/apply",
                                       headers=auth(other_chair))
    assert refused.status_code == 403
    assert "Chủ tịch Hội đồng" in refused.json()["detail"]
