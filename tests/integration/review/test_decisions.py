"""The chair's decisions: one decision lists many nominations, is prepared pending and applied
at once by the chair alone, with one `decided` event per nomination carrying only what was
verified; refused when the vote failed, the posting is still open, a complaint is open or the
number is taken — writing nothing; the decision document and the certificates in bulk."""

from __future__ import annotations

import io
import json
import time
import uuid
import zipfile
from datetime import timedelta

import docx
import nats
from sqlalchemy import update

from exemplar.clock import today
from exemplar.events import NominationWithdrawnV1, wrap
from exemplar.testing import auth, eventually

from ..helpers import stream_count, stream_events
from .helpers import (
    CHAIR,
    OFFICE,
    arrange,
    case_of,
    get_case,
    open_case,
    publish,
    submitted,
)

DECIDED = "exemplar.review.decided.v1"
VERIFIED = ["Vận động 40 hộ chuyển đổi cây trồng"]  # the second claim was not verified
LDTT, CSTD = "lao_dong_tien_tien", "chien_si_thi_dua_co_so"
HELD = [{"year": 2024, "award": LDTT, "decision_number": "5/QĐ-UBND"}]
CONTROL = "chứa ký tự điều khiển không hợp lệ"


def claims_only_verified(data: dict) -> bool:
    """Nothing of the unverified claim (“Thu nhập bình quân của ấp tăng 25 %”), nor the
    unit's summary that repeats it (“thu nhập tăng 25 %”), anywhere in an event's data."""
    return "thu nhập" not in json.dumps(data, ensure_ascii=False).lower()
TODAY = today().isoformat()


# -- steps -------------------------------------------------------------------------------------

async def voted_case(review, token, *, result: str = "passed", **changes) -> dict:
    """A case the council has voted on, its first achievement verified, the second not."""
    case = await open_case(review, token, **changes)
    await arrange(review, case["id"], status="voted", council_result=result,
                  verified_claims=VERIFIED)
    return case


def grant(case: dict, **extra) -> dict:
    return {"case_id": case["id"], "grant": True, **extra}


def reject(case: dict, *reasons: str) -> dict:
    return {"case_id": case["id"], "grant": False,
            "reasons": list(reasons) or ["Thành tích chưa tiêu biểu"]}


async def prepare(review, token, items: list[dict], *, number: str | None = None,
                  who: str = OFFICE, **body):
    return await review.client.post("/decisions", headers=auth(token(who)), json={
        "number": number or f"{uuid.uuid4().hex[:6]}/QĐ-UBND", "signed_on": TODAY,
        "items": items, **body})


async def prepared(review, token, items: list[dict], **body) -> dict:
    response = await prepare(review, token, items, **body)
    assert response.status_code == 201, response.text
    return response.json()


async def apply(review, token, decision: dict, who: str = CHAIR):
    return await review.client.post(f"/decisions/{decision['id']}/apply",
                                    headers=auth(token(who)))


async def decided(review, token, items: list[dict], **body) -> dict:
    decision = await prepared(review, token, items, **body)
    response = await apply(review, token, decision)
    assert response.status_code == 200, response.text
    return response.json()


async def audit_entries(review, token) -> int:
    response = await review.client.get("/audit/verify", headers=auth(token(OFFICE)))
    assert response.status_code == 200 and response.json()["ok"], response.text
    return response.json()["entries"]


async def decision_total(review, token) -> int:
    response = await review.client.get("/decisions", headers=auth(token(OFFICE)))
    assert response.status_code == 200, response.text
    return response.json()["total"]


async def events(review, subject: str, count: int) -> list[dict]:
    """The events on `subject` once `count` have arrived (exactly that many, in order)."""
    url = review.runtime.settings.nats_url

    async def arrived() -> bool:
        return await stream_count(url, subject) >= count

    await eventually(arrived, what=f"{count} × {subject}")
    found = await stream_events(url, subject)
    assert len(found) == count, [e["subject"] for e in found]
    return found


def message(response) -> str:
    detail = response.json()["detail"]
    return detail["message"] if isinstance(detail, dict) else detail


def fields(response) -> dict:
    detail = response.json()["detail"]
    return detail.get("fields", {}) if isinstance(detail, dict) else {}


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows
             for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# -- deciding at once --------------------------------------------------------------------------

async def test_one_decision_decides_all_its_nominations_at_once_with_one_event_each(
        review, token):
    title = await voted_case(review, token)
    form = await voted_case(review, token, proposed_award="giay_khen_chu_tich_huyen",
                            nominee={"name": "Lê Văn Bình", "gender": "male"})
    refused = await voted_case(review, token, nominee={"name": "Trần Thị Cúc"})
    decision = await prepared(review, token, [
        grant(title), grant(form), reject(refused, "Thành tích chưa nổi bật so với đơn vị")],
        number="125/QĐ-UBND")
    assert decision["status"] == "pending" and decision["signer"] == "Trần Quốc Hưng"
    assert [i["nominee_name"] for i in decision["items"]] == [
        "Nguyễn Thị Hoa", "Lê Văn Bình", "Trần Thị Cúc"]
    assert (await get_case(review, token, title["id"]))["status"] == "voted"

    response = await apply(review, token, decision)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "applied"
    outcomes = {c["id"]: await get_case(review, token, c["id"]) for c in (title, form, refused)}
    assert [(c["status"], c["outcome"], c["award"]) for c in outcomes.values()] == [
        ("decided", "recognised", "lao_dong_tien_tien"),
        ("decided", "commended", "giay_khen_chu_tich_huyen"),
        ("decided", "rejected", None)]
    assert outcomes[refused["id"]]["reasons"] == ["Thành tích chưa nổi bật so với đơn vị"]
    assert {c["decision_id"] for c in outcomes.values()} == {decision["id"]}

    found = {e["subject"]: e["data"] for e in await events(review, DECIDED, 3)}
    assert set(found) == {c["nomination_id"] for c in (title, form, refused)}
    recognised = found[title["nomination_id"]]
    assert recognised["decision"]["number"] == "125/QĐ-UBND"
    assert recognised["decision"]["signer"] == "Trần Quốc Hưng"
    assert recognised["award_name"] == "Lao động tiên tiến"
    assert recognised["verified_claims"] == VERIFIED  # never the unverified claim
    assert recognised["achievement_summary"] == VERIFIED[0]
    assert all(claims_only_verified(data) for data in found.values())
    assert (recognised["unit_kind"], recognised["fast_track"]) == ("commune", False)
    assert found[form["nomination_id"]]["award_name"] == "Giấy khen của Chủ tịch UBND huyện"
    assert found[refused["nomination_id"]]["reasons"] == [
        "Thành tích chưa nổi bật so với đơn vị"]

    again = await apply(review, token, decision)
    assert again.status_code == 409 and "đã được thi hành" in message(again)
    assert await stream_count(review.runtime.settings.nats_url, DECIDED) == 3


async def test_only_the_chair_applies_a_decision(review, token):
    case = await voted_case(review, token)
    decision = await prepared(review, token, [grant(case)])
    before = await audit_entries(review, token)
    for who in (OFFICE, "admin", "vhtt.head", "mttq.reviewer", "noi-vu.officer"):
        response = await apply(review, token, decision, who=who)
        assert response.status_code == 403, who
    assert (await get_case(review, token, case["id"]))["status"] == "voted"
    assert await audit_entries(review, token) == before
    assert (await apply(review, token, decision)).status_code == 200


async def test_the_chair_may_prepare_a_decision_but_a_council_member_may_not(review, token):
    case = await voted_case(review, token)
    assert (await prepare(review, token, [grant(case)], who="vhtt.head")).status_code == 403
    assert (await prepare(review, token, [grant(case)], who=CHAIR)).status_code == 201


async def test_a_failed_vote_cannot_be_granted_but_can_be_rejected(review, token):
    case = await voted_case(review, token, result="failed")
    before = await audit_entries(review, token)
    response = await prepare(review, token, [grant(case)])
    assert response.status_code == 422
    assert "Nguyễn Thị Hoa" in message(response) and "không thông qua" in message(response)
    assert "items.0" in fields(response)
    assert await decision_total(review, token) == 0
    assert await audit_entries(review, token) == before
    await decided(review, token, [reject(case, "Hội đồng không thông qua")])
    assert (await get_case(review, token, case["id"]))["outcome"] == "rejected"


async def test_a_nomination_the_council_has_not_voted_on_cannot_be_granted(review, token):
    case = await open_case(review, token)
    await arrange(review, case["id"], status="appraised", verified_claims=VERIFIED)
    response = await prepare(review, token, [grant(case)])
    assert response.status_code == 422 and "chưa bỏ phiếu" in message(response)
    assert (await prepare(review, token, [reject(case)])).status_code == 201


async def test_a_reused_decision_number_is_refused_and_writes_nothing(review, token):
    first, second = await voted_case(review, token), await voted_case(review, token)
    await prepared(review, token, [grant(first)], number="125/QĐ-UBND")
    before = await audit_entries(review, token)
    response = await prepare(review, token, [grant(second)], number="125/QĐ-UBND")
    assert response.status_code == 409
    assert "125/QĐ-UBND" in message(response) and "number" in fields(response)
    assert await decision_total(review, token) == 1
    assert await audit_entries(review, token) == before
    # nothing of the refused decision holds the second case
    assert (await prepare(review, token, [grant(second)], number="126/QĐ-UBND")).status_code \
        == 201


async def test_a_nomination_on_a_pending_decision_cannot_be_listed_on_another(review, token):
    case = await voted_case(review, token)
    await prepared(review, token, [grant(case)], number="125/QĐ-UBND")
    response = await prepare(review, token, [grant(case)], number="126/QĐ-UBND")
    assert response.status_code == 409 and "125/QĐ-UBND" in message(response)


async def test_an_award_beyond_the_chairs_authority_must_be_proposed_upward(review, token):
    province = await voted_case(review, token, proposed_award="bang_khen_chu_tich_tinh")
    commune = await voted_case(review, token, proposed_award="giay_khen_chu_tich_xa")
    response = await prepare(review, token, [grant(province), grant(commune)])
    assert response.status_code == 422
    assert "UBND tỉnh Bình Phước" in message(response) and "UBND xã Đắk Ơ" in message(response)
    assert {"items.0.award", "items.1.award"} <= set(fields(response))


async def test_a_decision_grants_the_award_appraised_posted_and_voted_on(review, token):
    case = await voted_case(review, token)  # Lao động tiên tiến, voted on
    before = await audit_entries(review, token)
    response = await prepare(review, token, [grant(case, award="giay_khen_chu_tich_huyen")])
    assert response.status_code == 422, response.text
    assert fields(response)["items.0.award"] == (
        "Nguyễn Thị Hoa: chỉ được quyết định “Lao động tiên tiến” như đã đề nghị (hình thức "
        "đã được thẩm định, công khai và Hội đồng bỏ phiếu), không phải “Giấy khen của Chủ "
        "tịch UBND huyện”.")
    assert await decision_total(review, token) == 0
    assert await audit_entries(review, token) == before
    assert (await prepare(review, token, [grant(case, award=LDTT)])).status_code == 201


async def test_a_fast_track_grants_another_award_only_if_it_allows_the_fast_track(
        review, token):
    province = await ad_hoc_case(review, token, proposed_award="bang_khen_chu_tich_tinh")
    form = await ad_hoc_case(review, token, nominee={"name": "Lê Văn Bình"})
    response = await prepare(review, token, [grant(form, award=LDTT)], fast_track=True)
    assert response.status_code == 422, response.text
    assert "rút gọn" in fields(response)["items.0.award"]
    assert await decision_total(review, token) == 0
    decision = await prepared(review, token, [grant(province, award="giay_khen_chu_tich_huyen")],
                              fast_track=True)
    assert decision["items"][0]["award"] == "giay_khen_chu_tich_huyen"


async def test_bad_decision_input_gets_a_clear_4xx_and_writes_nothing(review, token):
    case = await voted_case(review, token)
    before = await audit_entries(review, token)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    unknown = await prepare(review, token, [grant(case), {"case_id": "khong-co",
                                                          "grant": True}])
    assert unknown.status_code == 404 and "khong-co" in message(unknown)
    cases = [
        ([grant(case), grant(case)], {}, "items.1.case_id"),
        ([grant(case)], {"signed_on": tomorrow}, "signed_on"),
        ([{"case_id": case["id"], "grant": False}], {}, "items.0.reasons"),
        ([grant(case, award="khong_co")], {}, "items.0.award"),
        ([], {}, "items"),
        ([grant(case)], {"number": "x" * 51}, "number"),
        ([grant(case)], {"number": "   "}, "number"),
        ([grant(case)], {"signed_on": "2023-12-31"}, "signed_on"),  # before the year 2024
        ([grant(case)], {"number": "125\x00/QĐ-UBND"}, "number"),
        ([grant(case)], {"signer": "Trần\x00Quốc Hưng"}, "signer"),
        ([{"case_id": case["id"], "grant": False, "reasons": ["Chưa\x00 tiêu biểu"]}], {},
         "items.0.reasons.0"),
    ]
    for items, body, field in cases:
        response = await prepare(review, token, items, **body)
        assert response.status_code == 422, (field, response.text)
        assert field in fields(response), (field, response.text)
    for field, value in (("number", "125\x00/QĐ-UBND"), ("signer", "Trần\x00Quốc Hưng")):
        response = await prepare(review, token, [grant(case)], **{field: value})
        assert fields(response) == {field: CONTROL}
    early = await prepare(review, token, [grant(case)], signed_on="2023-12-31")
    assert fields(early) == {"signed_on": "Ngày ký quyết định không được trước năm đề nghị "
                                          "khen thưởng (2024): sớm nhất là ngày 01/01/2024."}
    assert await decision_total(review, token) == 0
    assert await audit_entries(review, token) == before
    assert (await get_case(review, token, case["id"]))["status"] == "voted"


async def test_unknown_decision_is_404(review, token):
    response = await review.client.post("/decisions/khong-co/apply",
                                        headers=auth(token(CHAIR)))
    assert response.status_code == 404 and message(response) == "Không tìm thấy quyết định."


async def test_a_withdrawn_nomination_stops_the_apply_until_the_decision_is_redone(
        review, token):
    kept, withdrawn = await voted_case(review, token), await voted_case(review, token)
    decision = await prepared(review, token, [grant(kept), grant(withdrawn)],
                              number="125/QĐ-UBND")
    await publish(review.runtime.settings.nats_url, NominationWithdrawnV1(
        nomination_id=withdrawn["nomination_id"], revision=1, unit_id="xa-dak-o", year=2024,
        reason="Đơn vị rút hồ sơ", withdrawn_by="dak-o.head"))
    await case_of(review, token, withdrawn["nomination_id"], status="withdrawn")
    response = await apply(review, token, decision)
    assert response.status_code == 409 and "đơn vị đã rút" in message(response)
    assert (await get_case(review, token, kept["id"]))["status"] == "voted"  # none applied

    cancelled = await review.client.delete(f"/decisions/{decision['id']}",
                                           headers=auth(token(OFFICE)))
    assert cancelled.status_code == 204
    gone = await review.client.get(f"/decisions/{decision['id']}", headers=auth(token(OFFICE)))
    assert gone.status_code == 404
    redone = await decided(review, token, [grant(kept)], number="125/QĐ-UBND")
    again = await review.client.delete(f"/decisions/{redone['id']}",
                                       headers=auth(token(OFFICE)))
    assert again.status_code == 409
    await events(review, DECIDED, 1)


# -- the public posting and complaints ---------------------------------------------------------

async def posted_case(review, token) -> tuple[dict, dict]:
    """A case on a public posting whose window is open today."""
    case = await open_case(review, token)
    await arrange(review, case["id"], status="appraised", verified_claims=VERIFIED)
    response = await review.client.post("/postings", headers=auth(token(OFFICE)), json={
        "title": "Công khai danh sách đề nghị khen thưởng", "case_ids": [case["id"]]})
    assert response.status_code == 201, response.text
    return case, response.json()


async def complain(review, posting: dict, case: dict) -> None:
    response = await review.client.post(f"/public/postings/{posting['id']}/feedback", json={
        "kind": "complaint", "case_id": case["id"], "name": "Người dân ấp 3",
        "contact": "0912 345 678", "text": "Thành tích vận động 40 hộ là chưa đúng."})
    assert response.status_code == 202, response.text


async def close_posting(review, posting: dict) -> None:
    """The posting window as if it ended yesterday."""
    from review.posting.store import Posting

    async with review.runtime.uow() as uow:
        await uow.session.execute(update(Posting).where(Posting.id == posting["id"])
                                  .values(closes_on=today() - timedelta(days=1)))
        await uow.commit()


async def test_a_grant_waits_for_the_public_posting_to_end(review, token):
    case, posting = await posted_case(review, token)
    await arrange(review, case["id"], status="voted", council_result="passed")
    response = await prepare(review, token, [grant(case)])
    assert response.status_code == 409
    assert "đang trong thời gian công khai" in message(response)
    await close_posting(review, posting)
    assert (await prepare(review, token, [grant(case)])).status_code == 201


async def test_an_open_complaint_blocks_the_decision_until_it_is_settled(review, token):
    case, posting = await posted_case(review, token)
    await complain(review, posting, case)
    await close_posting(review, posting)
    await arrange(review, case["id"], status="voted", council_result="passed")
    before = await audit_entries(review, token)
    for items in ([grant(case)], [reject(case)]):
        response = await prepare(review, token, items)
        assert response.status_code == 409
        assert "Nguyễn Thị Hoa" in message(response) and "khiếu nại" in message(response)
    assert await decision_total(review, token) == 0
    assert await audit_entries(review, token) == before

    feedback = (await review.client.get(f"/postings/{posting['id']}/feedback",
                                        headers=auth(token(OFFICE)))).json()
    [complaint] = [f for f in feedback if f["kind"] == "complaint"]
    moderated = await review.client.post(
        f"/feedback/{complaint['id']}/moderation", headers=auth(token(OFFICE)),
        json={"action": "reject", "note": "Đã xác minh tại ấp: thành tích đúng."})
    assert moderated.status_code == 200, moderated.text
    await decided(review, token, [grant(case)])


async def test_a_complaint_after_preparation_stops_the_apply(review, token):
    case, posting = await posted_case(review, token)
    decision = await prepared(review, token, [reject(case, "Chưa tiêu biểu")])
    await complain(review, posting, case)
    response = await apply(review, token, decision)
    assert response.status_code == 409
    assert "Nguyễn Thị Hoa" in message(response) and "khiếu nại" in message(response)
    assert (await get_case(review, token, case["id"]))["status"] == "posted"
    page = (await review.client.get(f"/decisions/{decision['id']}",
                                    headers=auth(token(OFFICE)))).json()
    assert page["status"] == "pending"
    assert await stream_count(review.runtime.settings.nats_url, DECIDED) == 0


# -- fast track --------------------------------------------------------------------------------

async def ad_hoc_case(review, token, **changes) -> dict:
    case = await open_case(review, token, **{"commendation_kind": "ad_hoc",
                                             "proposed_award": "giay_khen_chu_tich_huyen",
                                             **changes})
    await arrange(review, case["id"], status="appraised", verified_claims=VERIFIED)
    return case


async def test_an_ad_hoc_commendation_is_fast_tracked_and_recorded_as_such(review, token):
    case = await ad_hoc_case(review, token)
    decision = await prepared(review, token, [grant(case)], fast_track=True)
    assert decision["fast_track"] is True
    await apply(review, token, decision)
    after = await get_case(review, token, case["id"])
    assert (after["status"], after["outcome"], after["fast_track"]) == (
        "decided", "commended", True)
    [event] = await events(review, DECIDED, 1)
    assert event["data"]["fast_track"] is True
    assert event["data"]["commendation_kind"] == "ad_hoc"


async def test_fast_track_is_refused_for_a_regular_nomination(review, token):
    case = await open_case(review, token, proposed_award="giay_khen_chu_tich_huyen")
    await arrange(review, case["id"], status="appraised", verified_claims=VERIFIED)
    not_allowed = await ad_hoc_case(review, token, proposed_award="lao_dong_tien_tien")
    before = await audit_entries(review, token)
    response = await prepare(review, token, [grant(case)], fast_track=True)
    assert response.status_code == 422 and "đột xuất" in message(response)
    response = await prepare(review, token, [grant(not_allowed)], fast_track=True)
    assert response.status_code == 422 and "rút gọn" in message(response)
    assert await decision_total(review, token) == 0
    assert await audit_entries(review, token) == before


async def test_a_fast_track_waits_for_the_public_posting_to_end(review, token):
    case = await ad_hoc_case(review, token)
    response = await review.client.post("/postings", headers=auth(token(OFFICE)), json={
        "title": "Công khai khen thưởng đột xuất", "case_ids": [case["id"]]})
    assert response.status_code == 201, response.text
    posting = response.json()
    before = await audit_entries(review, token)
    refused = await prepare(review, token, [grant(case)], fast_track=True)
    assert refused.status_code == 409, refused.text
    assert "đang trong thời gian công khai" in message(refused)
    assert await decision_total(review, token) == 0
    assert await audit_entries(review, token) == before
    await close_posting(review, posting)
    await decided(review, token, [grant(case)], fast_track=True)
    assert (await get_case(review, token, case["id"]))["fast_track"] is True


async def test_fast_track_still_needs_the_appraisal(review, token):
    case = await open_case(review, token, commendation_kind="ad_hoc",
                           proposed_award="giay_khen_chu_tich_huyen")
    response = await prepare(review, token, [grant(case)], fast_track=True)
    assert response.status_code == 422 and "chưa được thẩm định" in message(response)


# -- the profile's rules at the decision ----------------------------------------------------

async def voted_cases(review, token, count: int, **changes) -> list[dict]:
    return [await voted_case(review, token, claims=[{"criterion": "KT1",
                                                     "claim": f"Thành tích {i}"}], **changes)
            for i in range(count)]


async def test_one_decision_grants_a_title_and_the_title_it_requires(review, token):
    ldtt = await voted_case(review, token)
    subject = ldtt["nominee"]["subject_id"]
    cstd = await voted_case(review, token, proposed_award=CSTD, nominee={"subject_id": subject},
                            claims=[{"criterion": "KT3", "claim": "Sáng kiến sấy hạt điều"}])
    await voted_cases(review, token, 6)  # 7 × Lao động tiên tiến: one place for CSTĐCS
    alone = await prepare(review, token, [grant(cstd)])
    assert alone.status_code == 422 and "còn thiếu năm 2024" in message(alone)
    assert await decision_total(review, token) == 0
    decision = await decided(review, token, [grant(ldtt), grant(cstd)], number="125/QĐ-UBND")
    assert [i["case_status"] for i in decision["items"]] == ["decided", "decided"]
    after = await get_case(review, token, cstd["id"])
    assert (after["outcome"], after["award"]) == ("recognised", CSTD)


async def test_the_share_cap_at_the_decision_follows_the_ranking(review, token):
    await voted_cases(review, token, 7)  # 15 % of 7 × Lao động tiên tiến: one place
    man = await voted_case(review, token, proposed_award=CSTD, history=HELD,
                           nominee={"name": "Trần Văn Nam", "gender": "male"})
    woman = await voted_case(review, token, proposed_award=CSTD, history=HELD,
                             nominee={"name": "Lê Thị Lan"})  # submitted after him
    refused = await prepare(review, token, [grant(man)])
    assert refused.status_code == 422, refused.text
    assert fields(refused)["items.0"] == (
        "Trần Văn Nam: Vượt tỷ lệ cho phép: hồ sơ xếp thứ 2/2 trong các hồ sơ “Chiến sĩ thi "
        "đua cơ sở” của UBND xã Đắk Ơ năm 2024, mà 7 hồ sơ “Lao động tiên tiến” chỉ cho "
        "phép 1 (tối đa 15 %).")
    assert await decision_total(review, token) == 0
    await decided(review, token, [grant(woman), reject(man, "Ngoài tỷ lệ cho phép")])
    assert (await get_case(review, token, woman["id"]))["outcome"] == "recognised"


# -- documents ---------------------------------------------------------------------------------

async def test_the_decision_document_carries_the_number_the_names_and_the_annex(
        review, token):
    granted = await voted_case(review, token)
    refused = await voted_case(review, token, nominee={"name": "Trần Thị Cúc"})
    decision = await prepared(review, token, [
        grant(granted), reject(refused, "Thành tích chưa được xác minh đầy đủ")],
        number="125/QĐ-UBND")
    response = await review.client.get(f"/decisions/{decision['id']}/document.docx",
                                       headers=auth(token("mttq.reviewer")))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    text = docx_text(response.content)
    for expected in ("Số: 125/QĐ-UBND", "QUYẾT ĐỊNH", "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN BÙ GIA MẬP",
                     "Luật Thi đua, Khen thưởng", "98/2023/NĐ-CP", "Điều 1.", "Điều 3.",
                     "PHỤ LỤC", "Nguyễn Thị Hoa", "Trần Thị Cúc", "Lao động tiên tiến",
                     "Thành tích chưa được xác minh đầy đủ", "Trần Quốc Hưng"):
        assert expected in text, expected
    unit = await review.client.get(f"/decisions/{decision['id']}/document.docx",
                                   headers=auth(token("dak-o.officer")))
    assert unit.status_code == 403


async def test_certificates_come_one_per_grant_once_the_decision_is_applied(review, token):
    title = await voted_case(review, token)
    form = await voted_case(review, token, proposed_award="giay_khen_chu_tich_huyen",
                            nominee={"name": "Lê Văn Bình", "gender": "male"})
    refused = await voted_case(review, token, nominee={"name": "Trần Thị Cúc"})
    decision = await prepared(review, token, [grant(title), grant(form), reject(refused)],
                              number="125/QĐ-UBND")
    path = f"/decisions/{decision['id']}/certificates.zip"
    early = await review.client.get(path, headers=auth(token(OFFICE)))
    assert early.status_code == 409 and "chưa được thi hành" in message(early)
    await apply(review, token, decision)
    response = await review.client.get(path, headers=auth(token("tinh.viewer")))
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        texts = [docx_text(archive.read(n)) for n in names]
        first = docx.Document(io.BytesIO(archive.read(names[0])))
    assert names == ["0001-nguyen-thi-hoa.docx", "0002-le-van-binh.docx"]
    assert "CÔNG NHẬN DANH HIỆU" in texts[0] and "LAO ĐỘNG TIÊN TIẾN" in texts[0]
    assert "TẶNG GIẤY KHEN" in texts[1] and "Ông Lê Văn Bình" in texts[1]
    for text in texts:
        assert "125/QĐ-UBND" in text and "Trần Quốc Hưng" in text
        assert "Đã có thành tích vận động 40 hộ chuyển đổi cây trồng" in text
        assert "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN BÙ GIA MẬP" in text
    section = first.sections[0]
    assert section.page_width > section.page_height  # landscape


# -- in bulk -----------------------------------------------------------------------------------

async def bulk_cases(review, count: int) -> list[str]:
    """`count` submissions published at once; their cases, voted and passed."""
    from review.cases.store import Case

    url = review.runtime.settings.nats_url
    sent = [submitted(nominee={"name": f"Nguyễn Văn Thành {i:04d}", "gender": "male"})
            for i in range(count)]
    nc = await nats.connect(url, connect_timeout=5)
    try:
        js = nc.jetstream()
        for event in sent:
            envelope = wrap(event, source="nomination", subject=event.nomination_id)
            await js.publish(envelope.type, envelope.model_dump_json().encode(),
                             headers={"Nats-Msg-Id": envelope.id}, timeout=5)
    finally:
        await nc.close()
    ids = [e.nomination_id for e in sent]

    async def opened() -> list[str]:
        async with review.runtime.uow() as uow:
            found = list(await uow.session.scalars(
                Case.__table__.select().with_only_columns(Case.id)
                .where(Case.nomination_id.in_(ids))))
            return found if len(found) == count else []

    case_ids = await eventually(opened, timeout=120, what=f"{count} cases opened")
    async with review.runtime.uow() as uow:
        await uow.session.execute(update(Case).where(Case.id.in_(case_ids)).values(
            status="voted", council_result="passed", verified_claims=VERIFIED))
        await uow.commit()
    return case_ids


async def test_a_thousand_nominations_are_decided_and_certified_in_single_requests(
        review, token):
    case_ids = await bulk_cases(review, 1000)
    items = [{"case_id": i, "grant": True} for i in case_ids]
    started = time.monotonic()
    decision = await prepared(review, token, items, number="999/QĐ-UBND")
    prepared_in = time.monotonic() - started
    started = time.monotonic()
    response = await apply(review, token, decision)
    applied_in = time.monotonic() - started
    assert response.status_code == 200, response.text
    started = time.monotonic()
    document = await review.client.get(f"/decisions/{decision['id']}/document.docx",
                                       headers=auth(token(OFFICE)))
    documented_in = time.monotonic() - started
    started = time.monotonic()
    certificates = await review.client.get(f"/decisions/{decision['id']}/certificates.zip",
                                           headers=auth(token(OFFICE)))
    certified_in = time.monotonic() - started
    print(f"1,000 items: prepared {prepared_in:.1f} s, applied {applied_in:.1f} s, "
          f"document {documented_in:.1f} s, certificates {certified_in:.1f} s")
    assert document.status_code == 200 and "Nguyễn Văn Thành 0999" in docx_text(
        document.content)
    assert certificates.status_code == 200
    with zipfile.ZipFile(io.BytesIO(certificates.content)) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names)) == 1000
        for name in (names[0], names[500], names[-1]):  # 0501-nguyen-van-thanh-0665.docx
            number = name.removesuffix(".docx").rsplit("-", 1)[1]
            assert f"Nguyễn Văn Thành {number}" in docx_text(archive.read(name))
    url = review.runtime.settings.nats_url

    async def all_decided() -> bool:
        return await stream_count(url, DECIDED) >= 1000

    await eventually(all_decided, timeout=60, what="1,000 decided events")
    assert await stream_count(url, DECIDED) == 1000
    assert max(prepared_in, applied_in, documented_in, certified_in) < 60
