"""Appraisal by the standing office: every achievement marked, the profile's eligibility rules
enforced with Vietnamese reasons, a case passed to the council or returned to its unit with
one event each, and the ranking that gives women priority within a share cap. A refusal
writes nothing: the case, its appraisals, the audit log and the stream stay as they were."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from exemplar.clock import today as vietnam_today  # the services' date, not the machine's
from exemplar.testing import auth, eventually

from ..helpers import stream_count, stream_events
from .helpers import FRONT, OFFICE, arrange, case_of, get_case, open_case, publish, submitted

LDTT, CSTD, TTLDTT = "lao_dong_tien_tien", "chien_si_thi_dua_co_so", "tap_the_lao_dong_tien_tien"
APPRAISED, RETURNED = "exemplar.review.appraised.v1", "exemplar.review.returned.v1"
CLAIMS = ["Vận động 40 hộ chuyển đổi cây trồng", "Thu nhập bình quân của ấp tăng 25 %"]
REFUSED = "Hồ sơ chưa đủ điều kiện chuyển Hội đồng"


def form(outcome: str = "appraised", verdicts: tuple[str, ...] = ("verified", "verified"),
         **changes: Any) -> dict:
    return {"outcome": outcome,
            "findings": [{"achievement": i, "verdict": v, "note": f"Ghi chú {i}"}
                         for i, v in enumerate(verdicts)],
            "facts": {"disciplined": False, "under_investigation": False}, **changes}


async def appraise(review, token, case_id: str, body: dict, who: str = OFFICE,
                   headers: dict | None = None):
    return await review.client.post(f"/cases/{case_id}/appraisal", json=body,
                                    headers={**auth(token(who)), **(headers or {})})


async def state(review, token, case_id: str) -> dict:
    """What a refusal must leave unchanged."""
    case = await get_case(review, token, case_id)
    audit = await review.client.get("/audit", params={"limit": 1000},
                                    headers=auth(token(OFFICE)))
    appraisals = await review.client.get(f"/cases/{case_id}/appraisals",
                                         headers=auth(token(OFFICE)))
    url = review.runtime.settings.nats_url
    return {"status": case["status"], "etag": case["etag"], "reasons": case["reasons"],
            "audit": len(audit.json()), "appraisals": len(appraisals.json()),
            "events": [await stream_count(url, s) for s in (APPRAISED, RETURNED)]}


async def events_once(review, subject: str) -> dict:
    url = review.runtime.settings.nats_url

    async def published() -> bool:
        return await stream_count(url, subject) >= 1

    await eventually(published, what=subject)
    [envelope] = await stream_events(url, subject)
    return envelope


async def refused(review, token, case_id: str, body: dict, status: int = 422) -> dict:
    before = await state(review, token, case_id)
    response = await appraise(review, token, case_id, body)
    assert response.status_code == status, response.text
    assert await state(review, token, case_id) == before
    return response.json()


# Passing and returning

async def test_appraised_case_goes_to_the_council_with_its_verified_achievements(review, token):
    case = await open_case(review, token)
    response = await appraise(review, token, case["id"], form(
        verdicts=("verified", "unverified"), note="Xác minh tại ấp 3"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["verified_claims"]) == ("appraised", CLAIMS[:1])
    assert response.headers["ETag"] == body["etag"] != case["etag"]
    envelope = await events_once(review, APPRAISED)
    assert envelope["subject"] == case["nomination_id"]
    data = envelope["data"]
    assert (data["case_id"], data["revision"], data["unit_id"], data["year"]) == (
        case["id"], 1, "xa-dak-o", 2024)
    assert (data["verified"], data["unverified"], data["overstated"]) == (1, 1, 0)
    assert (data["note"], data["appraised_by"]) == ("Xác minh tại ấp 3", OFFICE)
    audit = (await review.client.get("/audit", params={"entity_id": case["id"]},
                                     headers=auth(token(OFFICE)))).json()
    assert audit[-1]["action"] == "case.appraised" and audit[-1]["data"]["verified"] == 1
    assert await stream_count(review.runtime.settings.nats_url, APPRAISED) == 1


async def test_returned_case_goes_back_with_reasons_and_reopens_on_resubmission(review, token):
    case = await open_case(review, token)
    response = await appraise(review, token, case["id"], form(
        "returned", ("overstated", "verified"),
        reasons=["Số hộ chuyển đổi bị kê khai quá thực tế"]))
    assert response.status_code == 200, response.text
    overstated = f"Thành tích số 0 (“{CLAIMS[0]}”) bị kê khai quá thực tế."
    assert response.json()["status"] == "returned"
    assert response.json()["reasons"] == ["Số hộ chuyển đổi bị kê khai quá thực tế",
                                          overstated]
    data = (await events_once(review, RETURNED))["data"]
    assert data["reasons"] == response.json()["reasons"] and data["returned_by"] == OFFICE

    await publish(review.runtime.settings.nats_url,
                  submitted(nomination_id=case["nomination_id"], revision=2))
    reopened = await case_of(review, token, case["nomination_id"], revision=2, status="open")
    assert reopened["id"] == case["id"] and reopened["reasons"] == []
    again = await appraise(review, token, case["id"], form())
    assert again.status_code == 200, again.text
    history = (await review.client.get(f"/cases/{case['id']}/appraisals",
                                       headers=auth(token("dak-o.officer")))).json()
    assert [(a["revision"], a["outcome"]) for a in history] == [(1, "returned"),
                                                                (2, "appraised")]
    assert history[0]["findings"][0] == {"achievement": 0, "text": CLAIMS[0],
                                         "verdict": "overstated", "note": "Ghi chú 0"}
    assert await stream_count(review.runtime.settings.nats_url, RETURNED) == 1


async def test_another_units_officer_cannot_read_the_appraisals(review, token):
    case = await open_case(review, token)
    response = await review.client.get(f"/cases/{case['id']}/appraisals",
                                       headers=auth(token("da-kia.officer")))
    assert response.status_code == 404


async def test_returning_without_any_reason_is_refused(review, token):
    case = await open_case(review, token)
    body = await refused(review, token, case["id"], form("returned"))
    assert body["detail"]["fields"] == {"reasons": "cần ít nhất một lý do trả lại"}


# The form itself

@pytest.mark.parametrize(("indexes", "fields"), [
    ([0], {"findings": f"chưa đánh giá thành tích số 1 (“{CLAIMS[1]}”)"}),
    ([0, 0, 1], {"findings[1]": "thành tích số 0 đã được đánh giá ở mục trước"}),
    ([0, 1, 7], {"findings[2]": "thành tích số 7 không có trong hồ sơ (hồ sơ có 2 thành "
                                "tích, số 0–1)"}),
])
async def test_findings_must_mark_every_achievement_exactly_once(review, token, indexes,
                                                                 fields):
    case = await open_case(review, token)
    body = form()
    body["findings"] = [{"achievement": i, "verdict": "verified"} for i in indexes]
    answer = await refused(review, token, case["id"], body)
    assert answer["detail"] == {"message": "Phiếu thẩm định chưa hợp lệ.", "fields": fields}


async def test_a_second_appraisal_of_the_same_revision_is_refused(review, token):
    case = await open_case(review, token)
    assert (await appraise(review, token, case["id"], form())).status_code == 200
    await events_once(review, APPRAISED)
    body = await refused(review, token, case["id"], form("returned", reasons=["Lý do"]),
                         status=409)
    assert body["detail"] == ("Hồ sơ đang ở bước “đã thẩm định”: chỉ thẩm định được hồ sơ "
                              "“chờ thẩm định”.")


async def test_a_stale_etag_is_refused_and_the_current_one_accepted(review, token):
    case = await open_case(review, token)
    before = await state(review, token, case["id"])
    stale = await appraise(review, token, case["id"], form(), headers={"If-Match": '"99"'})
    assert stale.status_code == 412
    assert await state(review, token, case["id"]) == before
    current = await appraise(review, token, case["id"], form(),
                             headers={"If-Match": case["etag"]})
    assert current.status_code == 200, current.text


@pytest.mark.parametrize("who", ["dak-o.officer", FRONT])
async def test_only_the_standing_office_appraises(review, token, who):
    case = await open_case(review, token)
    before = await state(review, token, case["id"])
    response = await appraise(review, token, case["id"], form(), who=who)
    assert response.status_code == 403
    assert await state(review, token, case["id"]) == before


# Eligibility rules

COLLECTIVE = {"kind": "collective", "name": "Tổ sản xuất ấp 3", "gender": None,
              "member_count": 10, "women_share": 0.5}
HELD = [{"year": 2024, "award": LDTT, "decision_number": "5/QĐ-UBND"}]
RULES = [
    ({"documents": ["to_trinh"]}, {}, "dossier_complete",
     "Hồ sơ đề nghị “Lao động tiên tiến” còn thiếu: Danh sách đề nghị khen thưởng; "
     "Biên bản họp xét thi đua, khen thưởng."),
    ({"nominee": {"kind": "household", "gender": None}}, {}, "nominee_kind",
     "“Lao động tiên tiến” không xét cho hộ gia đình, chỉ cho cá nhân."),
    ({"proposed_award": "huan_chuong_lao_dong"}, {}, "award_known",
     "Danh hiệu, hình thức khen thưởng đề nghị “huan_chuong_lao_dong” không có trong quy "
     "định hiện hành."),
    ({}, {"facts": {"disciplined": True}}, "disciplined",
     "Đối tượng đang trong thời gian bị kỷ luật: không đủ điều kiện khen thưởng."),
    ({}, {"facts": {"under_investigation": True}}, "under_investigation",
     "Đối tượng đang bị xem xét kỷ luật, điều tra, thanh tra hoặc kiểm tra: chưa xét khen "
     "thưởng."),
    ({}, {"verdicts": ("verified", "overstated")}, "overstated",
     f"Thành tích số 1 (“{CLAIMS[1]}”) bị kê khai quá thực tế."),
    ({}, {"verdicts": ("unverified", "unverified")}, "min_verified_claims",
     "Chỉ 0 thành tích được xác minh, cần ít nhất 1."),
    ({"history": HELD}, {}, "already_held",
     "Đối tượng đã được “Lao động tiên tiến” năm 2024 (quyết định 5/QĐ-UBND)."),
    ({"proposed_award": CSTD}, {}, "requires",
     "Chưa đủ điều kiện “Chiến sĩ thi đua cơ sở”: cần đạt “Lao động tiên tiến” năm 2024, "
     "còn thiếu năm 2024."),
    ({"proposed_award": TTLDTT, "nominee": COLLECTIVE}, {"facts": {"members_holding": 4}},
     "member_share", "Chỉ 4/10 thành viên (40 %) đạt “Lao động tiên tiến”, “Tập thể lao "
                     "động tiên tiến” cần ít nhất 50 %."),
    ({"proposed_award": CSTD, "history": HELD}, {}, "share_cap",
     "Vượt tỷ lệ cho phép: hồ sơ xếp thứ 1/1 trong các hồ sơ “Chiến sĩ thi đua cơ sở” của "
     "UBND xã Đắk Ơ năm 2024, mà 0 hồ sơ “Lao động tiên tiến” chỉ cho phép 0 (tối đa 15 %)."),
]


@pytest.mark.parametrize(("submission", "change", "rule", "message"), RULES,
                         ids=[r[2] for r in RULES])
async def test_each_rule_refuses_the_appraisal_with_its_reason(review, token, submission,
                                                               change, rule, message):
    case = await open_case(review, token, **submission)
    change = dict(change)
    verdicts = change.pop("verdicts", ("verified",) * len(case["achievements"]))
    body = form(verdicts=verdicts, **change)
    body["facts"] = {"disciplined": False, "under_investigation": False,
                     **change.get("facts", {})}
    answer = await refused(review, token, case["id"], body)
    assert answer["detail"]["message"].startswith(REFUSED)
    assert answer["detail"]["fields"][rule] == message
    eligibility = await review.client.get(f"/cases/{case['id']}/eligibility",
                                          headers=auth(token(FRONT)))
    assert eligibility.json()["eligible"] is (rule in {
        "disciplined", "under_investigation", "overstated", "min_verified_claims"})


async def test_a_clean_case_is_eligible(review, token):
    case = await open_case(review, token)
    response = await review.client.get(f"/cases/{case['id']}/eligibility",
                                       headers=auth(token(OFFICE)))
    assert response.json() == {"eligible": True, "problems": []}
    unit = await review.client.get(f"/cases/{case['id']}/eligibility",
                                   headers=auth(token("dak-o.officer")))
    assert unit.status_code == 403


async def test_an_open_complaint_blocks_the_appraisal(review, token):
    from review.posting.store import Feedback, Posting

    case = await open_case(review, token)
    async with review.runtime.uow() as uow:
        at = datetime.now(UTC)
        posting = Posting(id=str(uuid.uuid4()), title="Danh sách", opens_on=vietnam_today(),
                          closes_on=vietnam_today() + timedelta(days=5), created_by=OFFICE,
                          created_at=at)
        uow.session.add(posting)
        await uow.session.flush()
        uow.session.add(Feedback(
            id=str(uuid.uuid4()), posting_id=posting.id, case_id=case["id"], kind="complaint",
            name="Người dân", contact="0900000000", text="Kê khai không đúng", client="x",
            status="pending", created_at=at))
        await uow.commit()
    answer = await refused(review, token, case["id"], form())
    assert answer["detail"]["fields"]["open_complaint"] == (
        "Hồ sơ đang có 1 khiếu nại, tố cáo chưa giải quyết xong.")


@pytest.mark.parametrize("nominee", [{}, {"subject_id": None, "name": "nguyen thi  HOA"}])
async def test_an_achievement_already_claimed_for_the_same_subject_is_refused(
        review, token, nominee):
    first = await open_case(review, token)
    same = {"subject_id": first["nominee"]["subject_id"], **nominee}
    second = await open_case(review, token, proposed_award="giay_khen_chu_tich_huyen",
                             nominee=same, claims=[{"criterion": "KT1", "claim": CLAIMS[0]}])
    answer = await refused(review, token, second["id"], form(verdicts=("verified",)))
    assert answer["detail"]["fields"]["one_reward_per_achievement"] == (
        f"Thành tích “{CLAIMS[0]}” đã được đề nghị hoặc khen “Lao động tiên tiến” năm 2024 "
        f"trong hồ sơ khác của UBND xã Đắk Ơ: một thành tích chỉ được khen một lần, một "
        f"hình thức.")


async def test_a_unit_never_reads_another_units_nomination_of_the_same_subject(review,
                                                                              token):
    other = await open_case(review, token, unit_id="xa-da-kia", unit_name="UBND xã Đa Kia",
                            submitted_by="da-kia.head")
    mine = await open_case(review, token, nominee={"subject_id": other["nominee"]["subject_id"]})
    returned = await appraise(review, token, mine["id"], form(
        "returned", reasons=["Đối tượng trùng hồ sơ"]))
    assert returned.status_code == 200, returned.text
    assert returned.json()["reasons"] == [
        "Đối tượng trùng hồ sơ",
        *(f"Thành tích “{c}” đã được đề nghị hoặc khen thưởng ở hồ sơ khác: một thành tích "
          f"chỉ được khen một lần, một hình thức." for c in CLAIMS),
        "Đối tượng đã có hồ sơ khác đề nghị hoặc được “Lao động tiên tiến” năm 2024."]
    unit = auth(token("dak-o.officer"))
    seen = [(await review.client.get(f"/cases/{mine['id']}", headers=unit)).json(),
            (await review.client.get(f"/cases/{mine['id']}/appraisals", headers=unit)).json(),
            (await events_once(review, RETURNED))["data"]]
    for body in seen:
        text = json.dumps(body, ensure_ascii=False)
        assert "Đa Kia" not in text and "xa-da-kia" not in text and other["id"] not in text
    assert (await review.client.get(f"/cases/{mine['id']}/eligibility",
                                    headers=unit)).status_code == 403
    office = (await review.client.get(f"/cases/{mine['id']}/eligibility",
                                      headers=auth(token(OFFICE)))).json()["problems"]
    assert {p["rule"]: p["detail"] for p in office}["already_nominated"] == (
        "Đối tượng đã có hồ sơ khác đề nghị hoặc được “Lao động tiên tiến” năm 2024 "
        "(UBND xã Đa Kia).")
    front = (await review.client.get(f"/cases/{mine['id']}/eligibility",
                                     headers=auth(token(FRONT)))).json()["problems"]
    assert [p["detail"] for p in front] == [None] * len(front)


@pytest.mark.parametrize(("change", "field"), [
    ({"note": "Xác minh\x00 tại ấp 3"}, "note"),
    ({"reasons": ["Đủ\x07 điều kiện"]}, "reasons.0"),
    ({"findings": [{"achievement": 0, "verdict": "verified", "note": "Đã\x00 xác minh"},
                   {"achievement": 1, "verdict": "verified"}]}, "findings.0.note"),
])
async def test_control_characters_in_the_appraisal_are_refused(review, token, change, field):
    case = await open_case(review, token)
    answer = await refused(review, token, case["id"], form(**change))
    assert answer["detail"]["fields"] == {field: "chứa ký tự điều khiển không hợp lệ"}


async def test_a_collective_title_needs_the_count_of_members_holding(review, token):
    case = await open_case(review, token, proposed_award=TTLDTT, nominee=COLLECTIVE)
    answer = await refused(review, token, case["id"], form())
    assert answer["detail"]["fields"] == {
        "facts.members_holding": "bắt buộc với “Tập thể lao động tiên tiến”: số thành viên "
                                 "đạt “Lao động tiên tiến”"}
    body = form(facts={"members_holding": 5})
    assert (await appraise(review, token, case["id"], body)).status_code == 200


async def test_a_pending_case_of_the_same_year_meets_a_title_requirement(review, token):
    ldtt = await open_case(review, token, claims=[{"criterion": "KT3", "claim": "Khác"}])
    subject = ldtt["nominee"]["subject_id"]
    cstd = await open_case(review, token, proposed_award=CSTD, nominee={"subject_id": subject})
    rules = await _rules(review, token, cstd["id"])
    assert "requires" not in rules and "share_cap" in rules


async def test_an_ad_hoc_commendation_is_no_basis_for_a_title(review, token):
    ad_hoc = await open_case(review, token, commendation_kind="ad_hoc",
                             claims=[{"criterion": "KT3", "claim": "Cứu người đuối nước"}])
    await arrange(review, ad_hoc["id"], status="decided", outcome="recognised", award=LDTT)
    cstd = await open_case(review, token, proposed_award=CSTD, history=HELD,
                           nominee={"subject_id": ad_hoc["nominee"]["subject_id"]})
    rules = await _rules(review, token, cstd["id"])
    assert rules["requires"].endswith(
        "Khen thưởng đột xuất, chuyên đề không được tính làm căn cứ.")


async def _rules(review, token, case_id: str) -> dict[str, str]:
    response = await review.client.get(f"/cases/{case_id}/eligibility",
                                       headers=auth(token(OFFICE)))
    assert response.status_code == 200, response.text
    return {p["rule"]: p["message"] for p in response.json()["problems"]}


# Share caps and the ranking

async def _open_all(review, token, events: list) -> None:
    for event in events:
        await publish(review.runtime.settings.nats_url, event)

    async def all_open() -> bool:
        page = await review.client.get("/cases", headers=auth(token(OFFICE)))
        return page.json()["total"] == len(events)

    await eventually(all_open, what=f"{len(events)} cases")


def _ldtt_cases(n: int) -> list:
    return [submitted(claims=[{"criterion": "KT1", "claim": f"Thành tích {i}"}])
            for i in range(n)]


async def test_the_share_cap_refuses_only_the_cases_ranked_beyond_its_places(review, token):
    early = datetime.now(UTC) - timedelta(days=1)
    man = submitted(proposed_award=CSTD, history=HELD, submitted_at=early,
                    nominee={"name": "Trần Văn Nam", "gender": "male"})
    woman = submitted(proposed_award=CSTD, history=HELD, nominee={"name": "Lê Thị Lan"})
    await _open_all(review, token, [*_ldtt_cases(7), man, woman])  # 15 % of 7: one place
    him = await case_of(review, token, man.nomination_id)
    her = await case_of(review, token, woman.nomination_id)
    passed = await appraise(review, token, her["id"], form())  # first among equals: a woman
    assert passed.status_code == 200, passed.text
    over = ("Vượt tỷ lệ cho phép: hồ sơ xếp thứ 2/2 trong các hồ sơ “Chiến sĩ thi đua cơ sở” "
            "của UBND xã Đắk Ơ năm 2024, mà 7 hồ sơ “Lao động tiên tiến” chỉ cho phép 1 "
            "(tối đa 15 %).")
    answer = await refused(review, token, him["id"], form())  # as many verified as hers
    assert answer["detail"]["fields"]["share_cap"] == over
    returned = await appraise(review, token, him["id"], form(
        "returned", reasons=["Ngoài số lượng được đề nghị của đơn vị"]))
    assert returned.json()["reasons"] == ["Ngoài số lượng được đề nghị của đơn vị", over]


async def test_ranking_puts_a_woman_first_among_equals_within_the_cap(review, token):
    early = datetime.now(UTC) - timedelta(days=1)
    man = submitted(proposed_award=CSTD, submitted_at=early,
                    nominee={"name": "Trần Văn Nam", "gender": "male"})
    woman = submitted(proposed_award=CSTD, nominee={"name": "Lê Thị Lan"})
    await _open_all(review, token, [*_ldtt_cases(7), man, woman])
    response = await review.client.get("/rankings", params={
        "unit_id": "xa-dak-o", "year": 2024, "award": CSTD}, headers=auth(token(FRONT)))
    assert response.status_code == 200, response.text
    ranking = response.json()
    assert [(r["rank"], r["nominee_name"], r["within_cap"]) for r in ranking["items"]] == [
        (1, "Lê Thị Lan", True), (2, "Trần Văn Nam", False)]
    assert ranking["cap"] == {"among": LDTT, "max_share": 0.15, "among_count": 7, "limit": 1}
    uncapped = (await review.client.get("/rankings", params={
        "unit_id": "xa-dak-o", "year": 2024, "award": LDTT},
        headers=auth(token(OFFICE)))).json()
    assert len(uncapped["items"]) == 7 and all(r["within_cap"] for r in uncapped["items"])
    unit = await review.client.get("/rankings", params={
        "unit_id": "xa-dak-o", "year": 2024, "award": CSTD},
        headers=auth(token("dak-o.officer")))
    assert unit.status_code == 403
