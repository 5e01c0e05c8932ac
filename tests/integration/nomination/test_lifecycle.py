"""A nomination's life: draft, submit, return, resubmit, decide, escalate, revoke, withdraw;
each event once, with what review, publication and reporting need."""

from __future__ import annotations

import uuid
from datetime import date

import nats
import pytest

from exemplar.events import (
    CaseDecidedV1,
    CaseReturnedV1,
    DecisionRevokedV1,
    ExemplarEscalatedV1,
    NominationSubmittedV1,
    NominationWithdrawnV1,
    wrap,
)
from exemplar.testing import auth, eventually

from ..helpers import NOMINATION, create, stream_events

OFFICER, HEAD = "dak-o.officer", "dak-o.head"




async def review_says(url: str, event) -> None:
    """Publish a review outcome as the review service would."""
    nc = await nats.connect(url)
    envelope = wrap(event, source="review", subject=event.nomination_id)
    await nc.jetstream().publish(event.type, envelope.to_bytes(),
                                 headers={"Nats-Msg-Id": envelope.id})
    await nc.close()


async def submitted(client, token, nomination_id: str, **headers) -> dict:
    response = await client.post(f"/nominations/{nomination_id}/submit",
                                 headers={**auth(token(HEAD)), **headers})
    assert response.status_code == 200, response.text
    return response.json()


async def status_of(client, token, nomination_id: str, status: str):
    response = await client.get(f"/nominations/{nomination_id}", headers=auth(token(OFFICER)))
    body = response.json()
    return body if body["status"] == status else None


async def test_submitted_event_carries_what_the_other_services_need(cluster, token,
                                                                   nats_server):
    client = cluster["nomination"].client
    draft = await create(cluster["nomination"], token(OFFICER))
    assert draft["status"] == "draft" and draft["revision"] == 0
    assert await stream_events(nats_server.url, NominationSubmittedV1.type) == []

    sent = await submitted(client, token, draft["id"])
    assert (sent["status"], sent["revision"]) == ("submitted", 1)

    events = await eventually(lambda: stream_events(nats_server.url,
                                                    NominationSubmittedV1.type))
    assert len(events) == 1
    data = events[0]["data"]
    assert events[0]["subject"] == draft["id"]
    assert {k: data[k] for k in ("unit_id", "unit_kind", "field", "proposed_award",
                                 "commendation_kind", "year", "revision")} == {
        "unit_id": "xa-dak-o", "unit_kind": "commune", "field": "kinh_te",
        "proposed_award": "lao_dong_tien_tien", "commendation_kind": "regular",
        "year": NOMINATION["year"], "revision": 1}
    assert data["nominee"]["kind"] == "individual"
    assert data["nominee"]["gender"] == "female"
    assert data["nominee"]["name"] == "Nguyễn Thị Hoa"
    assert data["nominee"]["subject_id"] == draft["subject_id"]


async def test_returned_then_edited_then_resubmitted_is_revision_2(cluster, token,
                                                                  nats_server):
    client = cluster["nomination"].client
    draft = await create(cluster["nomination"], token(OFFICER))
    await submitted(client, token, draft["id"])
    await review_says(nats_server.url, CaseReturnedV1(
        case_id="c-1", nomination_id=draft["id"], revision=1, unit_id="xa-dak-o",
        year=NOMINATION["year"], reasons=["Thiếu biên bản họp xét"], returned_by="noi-vu"))
    returned = await eventually(lambda: status_of(client, token, draft["id"], "returned"),
                                what="returned")
    assert returned["review_reasons"] == ["Thiếu biên bản họp xét"]

    edit = await client.patch(f"/nominations/{draft['id']}",
                              json={"achievement_summary": "Đã bổ sung biên bản."},
                              headers={**auth(token(OFFICER)),
                                       "If-Match": f'"{returned["version"]}"'})
    assert edit.status_code == 200, edit.text
    again = await submitted(client, token, draft["id"])
    assert (again["status"], again["revision"]) == ("submitted", 2)

    events = await eventually(lambda: _count(nats_server.url, NominationSubmittedV1.type, 2))
    assert [e["data"]["revision"] for e in events] == [1, 2]
    assert events[1]["data"]["achievement_summary"] == "Đã bổ sung biên bản."


async def _count(url: str, subject: str, n: int):
    events = await stream_events(url, subject)
    return events if len(events) >= n else None


async def test_decision_escalation_and_revocation_show_on_the_nomination_and_subject(
        cluster, token, nats_server):
    client = cluster["nomination"].client
    draft = await create(cluster["nomination"], token(OFFICER))
    await submitted(client, token, draft["id"])
    decision = {"number": "125/QĐ-UBND", "signed_on": date(2024, 12, 20),
                "signer": "Nguyễn Văn A", "signer_title": "Chủ tịch UBND huyện"}
    await review_says(nats_server.url, CaseDecidedV1(
        case_id="c-1", nomination_id=draft["id"], revision=1, unit_id="xa-dak-o",
        unit_name="UBND xã Đắk Ơ", unit_kind="commune", year=NOMINATION["year"],
        nominee=NOMINATION["nominee"], field="kinh_te", outcome="recognised",
        award="lao_dong_tien_tien", award_name="Lao động tiên tiến", decision=decision))
    decided = await eventually(lambda: status_of(client, token, draft["id"], "decided"))
    assert decided["decision"]["number"] == "125/QĐ-UBND"
    assert decided["decision"]["outcome"] == "recognised"

    await review_says(nats_server.url, ExemplarEscalatedV1(
        case_id="c-1", nomination_id=draft["id"], unit_id="xa-dak-o",
        unit_name="UBND xã Đắk Ơ", year=NOMINATION["year"], nominee=NOMINATION["nominee"],
        field="kinh_te", proposed_award="bang_khen_chu_tich_tinh", escalated_by="noi-vu.head",
        escalated_on=date(2024, 12, 28)))

    async def escalated():
        body = (await client.get(f"/nominations/{draft['id']}",
                                 headers=auth(token(OFFICER)))).json()
        return body if body["escalation"] else None

    assert (await eventually(escalated))["escalation"]["proposed_award"] == \
        "bang_khen_chu_tich_tinh"
    subject = (await client.get(f"/subjects/{draft['subject_id']}",
                                headers=auth(token(OFFICER)))).json()
    assert [(a["year"], a["award"], a["revoked"]) for a in subject["history"]] == [
        (NOMINATION["year"], "lao_dong_tien_tien", False)]

    await review_says(nats_server.url, DecisionRevokedV1(
        case_id="c-1", nomination_id=draft["id"], unit_id="xa-dak-o",
        year=NOMINATION["year"], decision_number="125/QĐ-UBND",
        reason="Thành tích không trung thực",
        revocation={**decision, "number": "7/QĐ-UBND", "signed_on": date(2025, 2, 1)}))
    revoked = await eventually(lambda: status_of(client, token, draft["id"], "revoked"))
    assert revoked["revocation"]["reason"] == "Thành tích không trung thực"
    subject = (await client.get(f"/subjects/{draft['subject_id']}",
                                headers=auth(token(OFFICER)))).json()
    assert [a["revoked"] for a in subject["history"]] == [True]


async def test_withdrawn_nomination_cannot_be_submitted(cluster, token, nats_server):
    client = cluster["nomination"].client
    draft = await create(cluster["nomination"], token(OFFICER))
    await submitted(client, token, draft["id"])
    gone = await client.post(f"/nominations/{draft['id']}/withdraw",
                             json={"reason": "Đơn vị rút để bổ sung năm sau"},
                             headers=auth(token(HEAD)))
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"

    again = await client.post(f"/nominations/{draft['id']}/submit", headers=auth(token(HEAD)))
    assert again.status_code == 409
    assert "đã rút" in again.json()["detail"]
    events = await eventually(lambda: _count(nats_server.url, NominationWithdrawnV1.type, 1))
    assert len(events) == 1 and events[0]["data"]["reason"] == "Đơn vị rút để bổ sung năm sau"
    assert len(await stream_events(nats_server.url, NominationSubmittedV1.type)) == 1


async def test_stale_or_missing_if_match_is_refused(cluster, token):
    client = cluster["nomination"].client
    draft = await create(cluster["nomination"], token(OFFICER))
    officer = auth(token(OFFICER))
    first = await client.patch(f"/nominations/{draft['id']}", json={"field": "nong_nghiep"},
                               headers={**officer, "If-Match": '"1"'})
    assert first.status_code == 200 and first.headers["etag"] == '"2"'

    stale = await client.patch(f"/nominations/{draft['id']}", json={"field": "giao_duc"},
                               headers={**officer, "If-Match": '"1"'})
    assert stale.status_code == 412
    missing = await client.patch(f"/nominations/{draft['id']}", json={"field": "giao_duc"},
                                 headers=officer)
    assert missing.status_code == 428
    body = (await client.get(f"/nominations/{draft['id']}", headers=officer)).json()
    assert body["field"] == "nong_nghiep" and body["version"] == 2


async def test_same_idempotency_key_twice_gives_one_nomination(cluster, token, nats_server):
    client = cluster["nomination"].client
    key = {"Idempotency-Key": str(uuid.uuid4())}
    officer = auth(token(OFFICER))
    first = await client.post("/nominations", json=NOMINATION, headers={**officer, **key})
    second = await client.post("/nominations", json=NOMINATION, headers={**officer, **key})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert (await client.get("/nominations", headers=officer)).json()["total"] == 1

    other = await client.post("/nominations", json={**NOMINATION, "year": 2024},
                              headers={**officer, **key})
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]["fields"]

    submit_key = {"Idempotency-Key": str(uuid.uuid4())}
    one = await submitted(client, token, first.json()["id"], **submit_key)
    two = await submitted(client, token, first.json()["id"], **submit_key)
    assert one["revision"] == two["revision"] == 1
    await eventually(lambda: _count(nats_server.url, NominationSubmittedV1.type, 1))
    assert len(await stream_events(nats_server.url, NominationSubmittedV1.type)) == 1


@pytest.mark.parametrize("bad, field", [
    ({"nominee": {"kind": "individual"}}, "nominee.name"),
    ({"nominee": {**NOMINATION["nominee"], "gender": None}}, "nominee.gender"),
    ({"nominee": {"kind": "collective", "name": "Tổ hợp tác"}}, "nominee.member_count"),
    ({"proposed_award": "huan_chuong_lao_dong"}, "proposed_award"),
    ({"proposed_award": "tap_the_lao_dong_tien_tien"}, "proposed_award"),
    ({"field": "thien_van"}, "field"),
    ({"year": 2026}, "year"),
    ({"achievement_summary": "x" * 20001}, "achievement_summary"),
    ({"nominee": {**NOMINATION["nominee"], "name": "N" * 201}}, "nominee.name"),
    ({"commendation_kind": "dac_biet"}, "commendation_kind"),
    ({"claims": [{"criterion": "TC1"}]}, "claims.0.claim"),
    ({"movement_id": str(uuid.uuid4())}, "movement_id"),
    ({"criteria_set_id": str(uuid.uuid4())}, "criteria_set_id"),
    ({"unexpected": 1}, "unexpected"),
])
async def test_bad_input_names_the_field_and_writes_nothing(cluster, token, nats_server, bad,
                                                           field):
    client = cluster["nomination"].client
    officer = auth(token(OFFICER))
    response = await client.post("/nominations", json={**NOMINATION, **bad}, headers=officer)
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]["fields"], response.json()
    assert (await client.get("/nominations", headers=officer)).json()["total"] == 0
    assert (await client.get("/subjects", headers=officer)).json() == []
    assert await cluster["nomination"].runtime.relay.pending() == 0


async def test_another_units_officer_gets_404_and_a_viewer_cannot_write(cluster, token):
    client = cluster["nomination"].client
    draft = await create(cluster["nomination"], token(OFFICER))
    other = auth(token("phu-nghia.officer"))
    other_head = auth(token("phu-nghia.head"))
    assert (await client.get(f"/nominations/{draft['id']}", headers=other)).status_code == 404
    edit = await client.patch(f"/nominations/{draft['id']}", json={"field": "y_te"},
                              headers={**other, "If-Match": '"1"'})
    assert edit.status_code == 404
    send = await client.post(f"/nominations/{draft['id']}/submit", headers=other_head)
    assert send.status_code == 404
    viewer = auth(token("tinh.viewer"))
    assert (await client.get(f"/nominations/{draft['id']}", headers=viewer)).status_code == 404
    assert (await client.post("/nominations", json=NOMINATION,
                              headers=viewer)).status_code == 403
    assert (await client.post(f"/nominations/{draft['id']}/submit",
                              headers=auth(token(OFFICER)))).status_code == 403


async def test_listing_filters_and_searches_without_diacritics(cluster, token):
    client = cluster["nomination"].client
    await create(cluster["nomination"], token(OFFICER),
                 nominee={**NOMINATION["nominee"], "name": "Điểu Thị Ơn"})
    await create(cluster["nomination"], token(OFFICER), field="giao_duc",
                 nominee={**NOMINATION["nominee"], "name": "Lê Văn Đắc"})
    await create(cluster["nomination"], token("phu-nghia.officer"))
    officer = auth(token(OFFICER))

    async def names(**params):
        body = (await client.get("/nominations", params=params, headers=officer)).json()
        return sorted(n["nominee"]["name"] for n in body["items"]), body["total"]

    assert await names() == (["Lê Văn Đắc", "Điểu Thị Ơn"], 2)
    assert await names(q="dieu thi on") == (["Điểu Thị Ơn"], 1)
    assert await names(q="ĐẮC") == (["Lê Văn Đắc"], 1)
    assert await names(field="giao_duc") == (["Lê Văn Đắc"], 1)
    assert await names(status="draft", limit=1) == (["Lê Văn Đắc"], 2)  # newest first
    # Drafts are never seen outside their unit, even by the standing office.
    standing = (await client.get("/nominations", headers=auth(token("noi-vu.officer")))).json()
    assert standing["total"] == 0


async def test_the_same_person_is_one_subject_across_nominations(cluster, token):
    first = await create(cluster["nomination"], token(OFFICER))
    second = await create(cluster["nomination"], token(OFFICER), year=2024,
                          nominee={**NOMINATION["nominee"], "name": "nguyễn thị  hoa"})
    assert first["subject_id"] == second["subject_id"]
    other_year_of_birth = await create(cluster["nomination"], token(OFFICER),
                                       nominee={**NOMINATION["nominee"], "birth_year": 1990})
    assert other_year_of_birth["subject_id"] != first["subject_id"]


async def test_claims_cite_only_this_nominations_evidence(cluster, token):
    client = cluster["nomination"].client
    draft = await create(cluster["nomination"], token(OFFICER))
    claims = [{"criterion": "TC1", "claim": "Đạt", "evidence_ids": ["khong-co"]}]
    response = await client.patch(f"/nominations/{draft['id']}", json={"claims": claims},
                                  headers={**auth(token(OFFICER)), "If-Match": '"1"'})
    assert response.status_code == 422
    assert "khong-co" in response.json()["detail"]["fields"]["claims"]
    body = (await client.get(f"/nominations/{draft['id']}", headers=auth(token(OFFICER)))).json()
    assert body["claims"] == [] and body["version"] == 1


async def test_token_of_a_unit_unknown_to_the_profile_gets_422_naming_unit(cluster, key_dir):
    from exemplar.auth import ensure_keys, issue_token

    private, _ = ensure_keys(key_dir)
    stranger = issue_token(private_key=private.read_text(), sub="x.officer", name="X",
                           unit="xa-khong-ton-tai", roles=["unit_officer"],
                           issuer="exemplar-embedded", audience="exemplar")
    client = cluster["nomination"].client
    response = await client.post("/nominations", json=NOMINATION, headers=auth(stranger))
    assert response.status_code == 422
    assert response.json()["detail"]["fields"] == {"unit": "không tồn tại"}
    assert await cluster["nomination"].runtime.relay.pending() == 0


async def test_concurrent_retries_with_one_idempotency_key_make_one_nomination(cluster, token):
    import asyncio

    client = cluster["nomination"].client
    headers = {**auth(token(OFFICER)), "Idempotency-Key": str(uuid.uuid4())}
    answers = await asyncio.gather(*(client.post("/nominations", json=NOMINATION,
                                                 headers=headers) for _ in range(5)))
    assert {a.status_code for a in answers} <= {201, 409}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers if a.status_code == 201}) == 1
    listed = await client.get("/nominations", headers=auth(token(OFFICER)))
    assert listed.json()["total"] == 1


async def test_what_was_never_submitted_stays_inside_the_unit(cluster, token):
    client = cluster["nomination"].client
    viewer = auth(token("tinh.viewer"))
    draft = await create(cluster["nomination"], token(OFFICER))
    assert (await client.get(f"/subjects/{draft['subject_id']}", headers=viewer)).status_code \
        == 404
    assert (await client.get("/subjects", params={"q": "hoa"}, headers=viewer)).json() == []
    gone = await client.post(f"/nominations/{draft['id']}/withdraw",
                             json={"reason": "Nhập nhầm"}, headers=auth(token(HEAD)))
    assert gone.status_code == 200
    assert (await client.get(f"/nominations/{draft['id']}", headers=viewer)).status_code == 404
    assert (await client.get("/nominations", headers=viewer)).json()["total"] == 0

    sent = await create(cluster["nomination"], token(OFFICER), year=2024)
    await submitted(client, token, sent["id"])
    assert (await client.get(f"/subjects/{sent['subject_id']}", headers=viewer)).status_code \
        == 200


async def test_review_outcomes_only_move_forward(cluster, token, nats_server):
    client = cluster["nomination"].client
    draft = await create(cluster["nomination"], token(OFFICER))
    await submitted(client, token, draft["id"])
    decision = {"number": "9/QĐ-UBND", "signed_on": date(2024, 12, 20), "signer": "A"}
    # The revocation arrives before the decision it revokes: retried until it can apply.
    await review_says(nats_server.url, DecisionRevokedV1(
        case_id="c", nomination_id=draft["id"], unit_id="xa-dak-o", year=NOMINATION["year"],
        decision_number="9/QĐ-UBND", reason="Sai sự thật",
        revocation={**decision, "number": "10/QĐ-UBND"}))
    await review_says(nats_server.url, CaseDecidedV1(
        case_id="c", nomination_id=draft["id"], revision=1, unit_id="xa-dak-o",
        unit_name="UBND xã Đắk Ơ", unit_kind="commune", year=NOMINATION["year"],
        nominee=NOMINATION["nominee"], field="kinh_te", outcome="recognised",
        award="lao_dong_tien_tien", decision=decision))
    revoked = await eventually(lambda: status_of(client, token, draft["id"], "revoked"),
                               timeout=30, what="revoked after the decision")
    assert revoked["decision"]["number"] == "9/QĐ-UBND"
    # A late return of the same revision changes nothing now.
    await review_says(nats_server.url, CaseReturnedV1(
        case_id="c", nomination_id=draft["id"], revision=1, unit_id="xa-dak-o",
        year=NOMINATION["year"], reasons=["muộn"], returned_by="noi-vu"))
    await eventually(lambda: _count(nats_server.url, CaseReturnedV1.type, 1))
    await eventually(lambda: _inbox_has(cluster, CaseReturnedV1.type), what="return consumed")
    assert (await status_of(client, token, draft["id"], "revoked")) is not None
    subject = (await client.get(f"/subjects/{draft['subject_id']}",
                                headers=auth(token(OFFICER)))).json()
    assert [a["revoked"] for a in subject["history"]] == [True]


async def _inbox_has(cluster, subject: str) -> bool:
    from sqlalchemy import func, select

    runtime = cluster["nomination"].runtime
    async with runtime.uow() as uow:
        inbox = runtime.db.inbox
        return (await uow.session.execute(select(func.count()).select_from(inbox)
                                          .where(inbox.c.subject == subject))).scalar_one() > 0


async def test_patch_with_null_or_create_citing_files_is_422(cluster, token):
    client = cluster["nomination"].client
    draft = await create(cluster["nomination"], token(OFFICER))
    response = await client.patch(f"/nominations/{draft['id']}", json={"field": None},
                                  headers={**auth(token(OFFICER)), "If-Match": '"1"'})
    assert response.status_code == 422 and "field" in response.json()["detail"]["fields"]
    cited = [{"criterion": "TC1", "claim": "Đạt", "evidence_ids": ["e-1"]}]
    response = await client.post("/nominations", json={**NOMINATION, "claims": cited},
                                 headers=auth(token(OFFICER)))
    assert response.status_code == 422 and "claims" in response.json()["detail"]["fields"]
