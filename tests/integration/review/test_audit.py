"""Every state change lands in the hash-chained audit log; a row changed behind the
service's back is found by the verify endpoint, which names the first broken link."""

from __future__ import annotations

from sqlalchemy import text

from exemplar.events import NominationWithdrawnV1
from exemplar.testing import auth

from .helpers import OFFICE, case_of, open_case, publish


async def _entries(review, token) -> list[dict]:
    response = await review.client.get("/audit", params={"limit": 1000},
                                       headers=auth(token(OFFICE)))
    assert response.status_code == 200, response.text
    return response.json()


async def _verify(review, token) -> dict:
    response = await review.client.get("/audit/verify", headers=auth(token(OFFICE)))
    assert response.status_code == 200, response.text
    return response.json()


async def _tamper(review, statement: str, **params) -> None:
    """What someone with write access to the database could do."""
    async with review.runtime.db.engine.begin() as conn:
        await conn.execute(text(statement), params)


async def _three_entries(review, token) -> list[dict]:
    first = await open_case(review, token)
    await open_case(review, token)
    await publish(review.runtime.settings.nats_url, NominationWithdrawnV1(
        nomination_id=first["nomination_id"], revision=1, unit_id="xa-dak-o", year=2024,
        reason="Rút hồ sơ", withdrawn_by="dak-o.head"))
    await case_of(review, token, first["nomination_id"], status="withdrawn")
    entries = await _entries(review, token)
    assert [e["action"] for e in entries] == ["case.opened", "case.opened", "case.withdrawn"]
    return entries


async def test_chain_links_each_entry_to_the_one_before(review, token):
    entries = await _three_entries(review, token)
    assert entries[0]["prev_hash"] == "0" * 64
    assert [e["prev_hash"] for e in entries[1:]] == [e["hash"] for e in entries[:-1]]
    assert entries[2]["data"]["from"] == "open" and entries[2]["actor"] == "dak-o.head"
    assert await _verify(review, token) == {
        "ok": True, "entries": 3, "first_broken": None, "reason": None, "head_seq": 3,
        "head_hash": entries[2]["hash"]}


async def test_edited_entry_is_named_by_verify(review, token):
    await _three_entries(review, token)
    await _tamper(review, "UPDATE audit_entry SET actor = 'ai-do' WHERE seq = 2")
    result = await _verify(review, token)
    assert (result["ok"], result["first_broken"]) == (False, 2)
    assert "bị sửa" in result["reason"]


async def test_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(review, token):
    """Whoever edits an entry and recomputes its hash still leaves the next link broken."""
    from datetime import datetime

    from review.audit.chain import entry_hash

    entries = await _three_entries(review, token)
    first = entries[0]
    forged = entry_hash(first["prev_hash"], seq=1, at=datetime.fromisoformat(first["at"]),
                        actor="ai-do", action=first["action"], entity=first["entity"],
                        entity_id=first["entity_id"], data=first["data"])
    await _tamper(review, "UPDATE audit_entry SET actor = 'ai-do', hash = :h WHERE seq = 1",
                  h=forged)
    result = await _verify(review, token)
    assert (result["ok"], result["first_broken"]) == (False, 2)
    assert "Liên kết với mục trước không khớp" in result["reason"]


async def test_cut_off_end_is_found_against_a_head_noted_earlier(review, token):
    await _three_entries(review, token)
    head = await _verify(review, token)
    assert (head["head_seq"], len(head["head_hash"])) == (3, 64)
    anchored = await review.client.get("/audit/verify", headers=auth(token(OFFICE)), params={
        "anchor_seq": head["head_seq"], "anchor_hash": head["head_hash"]})
    assert anchored.json()["ok"] is True
    await _tamper(review, "DELETE FROM audit_entry WHERE seq = 3")
    assert (await _verify(review, token))["ok"] is True  # the chain alone cannot tell
    anchored = await review.client.get("/audit/verify", headers=auth(token(OFFICE)), params={
        "anchor_seq": head["head_seq"], "anchor_hash": head["head_hash"]})
    assert (anchored.json()["ok"], anchored.json()["first_broken"]) == (False, 3)
    assert "cắt bớt hoặc viết lại" in anchored.json()["reason"]


async def test_deleted_entry_is_found(review, token):
    await _three_entries(review, token)
    await _tamper(review, "DELETE FROM audit_entry WHERE seq = 2")
    result = await _verify(review, token)
    assert (result["ok"], result["first_broken"]) == (False, 3)


async def test_unit_officer_cannot_read_the_audit_log(review, token):
    response = await review.client.get("/audit/verify", headers=auth(token("dak-o.officer")))
    assert response.status_code == 403


async def test_province_viewer_checks_the_chain_but_cannot_read_the_councils_entries(
        review, token):
    await open_case(review, token)
    viewer = auth(token("tinh.viewer"))
    assert (await review.client.get("/audit", headers=viewer)).status_code == 403
    verified = await review.client.get("/audit/verify", headers=viewer)
    assert (verified.status_code, verified.json()["ok"]) == (200, True)
