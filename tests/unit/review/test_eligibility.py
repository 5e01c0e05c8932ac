"""The pure parts of appraisal: each eligibility rule on what was read, findings coverage,
share-cap arithmetic and the ranking order, all from the default profile's numbers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from exemplar.profile import Profile, load_profile
from review.appraisal import eligibility as rules
from review.appraisal.domain import cap_limit, coverage_errors, fold, tally
from review.appraisal.ranking import order, place, ranked
from review.cases.store import Case

LDTT, CSTD, TTLDTT = "lao_dong_tien_tien", "chien_si_thi_dua_co_so", "tap_the_lao_dong_tien_tien"
T0 = datetime(2024, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


def switched(profile: Profile, **thresholds: Any) -> Profile:
    return profile.model_copy(update={
        "thresholds": profile.thresholds.model_copy(update=thresholds)})


def case(**changes: Any) -> Case:
    data: dict[str, Any] = {
        "id": str(uuid.uuid4()), "nomination_id": str(uuid.uuid4()), "revision": 1,
        "unit_id": "xa-dak-o", "unit_name": "UBND xã Đắk Ơ", "year": 2024,
        "nominee": {"kind": "individual", "name": "Nguyễn Thị Hoa", "gender": "female"},
        "nominee_name": "Nguyễn Thị Hoa", "subject_id": "s-1", "proposed_award": LDTT,
        "commendation_kind": "regular", "achievement_summary": "Tóm tắt",
        "claims": [{"criterion": "KT1", "claim": "Vận động 40 hộ chuyển đổi cây trồng"}],
        "history": [], "documents": [], "status": "open", "outcome": None, "award": None,
        "verified_claims": [], "submitted_at": T0, "opened_at": T0, **changes}
    return Case(**data)


def finding(index: int, verdict: str) -> dict[str, Any]:
    return {"achievement": index, "text": f"Thành tích {index}", "verdict": verdict}


# Findings

def test_an_overstated_achievement_blocks_when_the_profile_says_so(profile):
    problems = rules.findings_problems([finding(0, "verified"), finding(1, "overstated")],
                                       profile.thresholds)
    assert [p.rule for p in problems] == ["overstated"]
    assert problems[0].message == "Thành tích số 1 (“Thành tích 1”) bị kê khai quá thực tế."
    lenient = switched(profile, overstated_blocks=False).thresholds
    assert rules.findings_problems([finding(0, "verified"), finding(1, "overstated")],
                                   lenient) == []


def test_fewer_verified_achievements_than_the_minimum_block(profile):
    problems = rules.findings_problems([finding(0, "unverified")], profile.thresholds)
    assert problems == [rules.Problem("min_verified_claims",
                                      "Chỉ 0 thành tích được xác minh, cần ít nhất 1.")]
    strict = switched(profile, min_verified_claims=2).thresholds
    assert [p.rule for p in rules.findings_problems([finding(0, "verified")], strict)] == [
        "min_verified_claims"]


def test_findings_must_cover_every_achievement_exactly_once():
    texts = ["A", "B", "C"]
    assert coverage_errors([0, 1, 2], texts) == {}
    errors = coverage_errors([0, 0, 5], texts)
    assert set(errors) == {"findings[1]", "findings[2]", "findings"}
    assert "đã được đánh giá" in errors["findings[1]"]
    assert "không có trong hồ sơ" in errors["findings[2]"]
    assert errors["findings"] == "chưa đánh giá thành tích số 1 (“B”); thành tích số 2 (“C”)"
    assert "findings[0]" in coverage_errors([-1, 0, 1, 2], texts)


def test_tally_counts_each_verdict():
    assert tally(["verified", "overstated", "verified"]) == {
        "verified": 2, "unverified": 0, "overstated": 1}


# Dossier, award and grounds

def test_missing_documents_are_named_by_their_profile_names(profile):
    award = profile.award(LDTT)
    problems = rules.dossier_problems(["to_trinh"], award, profile)
    assert problems == [rules.Problem("dossier_complete", (
        "Hồ sơ đề nghị “Lao động tiên tiến” còn thiếu: Danh sách đề nghị khen thưởng; "
        "Biên bản họp xét thi đua, khen thưởng."))]
    assert rules.dossier_problems(award.required_documents, award, profile) == []


def test_a_collective_title_is_not_for_an_individual(profile):
    problems = rules.nominee_kind_problems({"kind": "individual"}, profile.award(TTLDTT))
    assert problems[0].message == "“Tập thể lao động tiên tiến” không xét cho cá nhân, " \
                                  "chỉ cho tập thể."


def test_each_ground_in_the_profile_makes_the_nominee_ineligible(profile):
    thresholds = profile.thresholds
    assert [p.rule for p in rules.ineligibility_problems(
        {"disciplined": True, "under_investigation": True}, thresholds,
        open_complaints=2)] == ["disciplined", "under_investigation", "open_complaint"]
    assert rules.ineligibility_problems(None, thresholds, open_complaints=0) == []
    only_discipline = switched(profile, ineligible_when=["disciplined"]).thresholds
    assert [p.rule for p in rules.ineligibility_problems(
        {"disciplined": True, "under_investigation": True}, only_discipline,
        open_complaints=1)] == ["disciplined"]


# One achievement rewarded once

def test_the_same_achievement_written_differently_in_another_pending_case_is_refused(profile):
    mine = case()
    other = case(proposed_award="giay_khen_chu_tich_xa", status="posted",
                 claims=[{"claim": "van dong  40 HO chuyen doi cay trong"}])
    problems = rules.reward_problems(mine, [other], profile)
    assert [p.rule for p in problems] == ["one_reward_per_achievement"]
    assert "“Vận động 40 hộ chuyển đổi cây trồng”" in problems[0].message
    assert "Giấy khen của Chủ tịch UBND xã" in problems[0].detail


def test_the_unit_reads_nothing_of_another_units_nomination(profile):
    mine = case()
    other = case(unit_id="xa-da-kia", unit_name="UBND xã Đa Kia", status="posted")
    problems = rules.reward_problems(mine, [other], profile)
    assert [(p.rule, p.message) for p in problems] == [
        ("one_reward_per_achievement", "Thành tích “Vận động 40 hộ chuyển đổi cây trồng” đã "
         "được đề nghị hoặc khen thưởng ở hồ sơ khác: một thành tích chỉ được khen một lần, "
         "một hình thức."),
        ("already_nominated", "Đối tượng đã có hồ sơ khác đề nghị hoặc được “Lao động tiên "
                              "tiến” năm 2024.")]
    assert all("Đa Kia" in p.detail and p.full == p.detail for p in problems)


def test_a_rejected_or_other_year_case_does_not_count_as_a_reward(profile):
    mine = case()
    rejected = case(status="decided", outcome="rejected")
    last_year = case(year=2023, status="decided", outcome="recognised", award=LDTT)
    returned = case(status="returned")
    assert rules.reward_problems(mine, [rejected, last_year, returned], profile) == []


def test_the_same_award_twice_in_one_year_is_refused(profile):
    mine = case(history=[{"year": 2024, "award": LDTT, "decision_number": "12/QĐ-UBND"}])
    other = case(claims=[{"claim": "Khác hẳn"}], status="appraised")
    problems = rules.reward_problems(mine, [other], profile)
    assert [p.rule for p in problems] == ["already_nominated", "already_held"]
    assert problems[1].message == ("Đối tượng đã được “Lao động tiên tiến” năm 2024 "
                                   "(quyết định 12/QĐ-UBND).")


def test_fold_drops_diacritics_case_and_extra_spaces():
    assert fold("  Đắk   Ơ ") == "dak o"


# Multi-year conditions

def _requires(profile: Profile, mine: Case, others: list[Case], stage: str = "appraisal",
              award=None):
    return rules.requirement_problems(mine, award or profile.award(CSTD), others, profile,
                                      stage=stage)


def test_a_title_requiring_another_is_met_by_history_or_a_granted_case(profile):
    held = case(proposed_award=CSTD, history=[{"year": 2024, "award": LDTT}])
    assert _requires(profile, held, []) == []
    granted = case(status="decided", outcome="recognised", award=LDTT,
                   claims=[{"claim": "Khác"}])
    assert _requires(profile, case(proposed_award=CSTD), [granted], stage="decision") == []


def test_a_pending_case_counts_at_appraisal_but_not_at_the_decision(profile):
    pending = case(status="appraised", claims=[{"claim": "Khác"}])
    mine = case(proposed_award=CSTD)
    assert _requires(profile, mine, [pending]) == []
    [problem] = _requires(profile, mine, [pending], stage="decision")
    assert problem.message == ("Chưa đủ điều kiện “Chiến sĩ thi đua cơ sở”: cần đạt "
                               "“Lao động tiên tiến” năm 2024, còn thiếu năm 2024.")


def test_a_title_granted_by_the_same_decision_counts_as_held(profile):
    mine = case(proposed_award=CSTD)
    assert len(_requires(profile, mine, [], stage="decision")) == 1
    assert rules.requirement_problems(mine, profile.award(CSTD), [], profile, stage="decision",
                                      granting={("s-1", 2024, LDTT)}) == []
    for other in (("s-2", 2024, LDTT), ("s-1", 2023, LDTT), ("s-1", 2024, CSTD)):
        assert len(rules.requirement_problems(mine, profile.award(CSTD), [], profile,
                                              stage="decision", granting={other})) == 1
    unnamed = case(subject_id=None, nominee_name="Nguyễn Thị  Hoa", proposed_award=CSTD)
    assert rules.subject_key(unnamed) == "xa-dak-o/nguyen thi hoa"
    assert rules.requirement_problems(unnamed, profile.award(CSTD), [], profile,
                                      stage="decision",
                                      granting={("xa-dak-o/nguyen thi hoa", 2024, LDTT)}) == []


def test_ad_hoc_commendations_are_no_basis_on_a_regular_basis_only_profile(profile):
    ad_hoc = case(status="decided", outcome="recognised", award=LDTT,
                  commendation_kind="ad_hoc", claims=[{"claim": "Khác"}])
    mine = case(proposed_award=CSTD, history=[{"year": 2024, "award": LDTT}])
    [problem] = _requires(profile, mine, [ad_hoc])
    assert "Khen thưởng đột xuất, chuyên đề không được tính làm căn cứ." in problem.message
    anything = switched(profile, regular_basis_only=False)
    assert _requires(anything, mine, [ad_hoc]) == []


def test_every_year_of_a_multi_year_condition_is_needed(profile):
    award = profile.award(CSTD).model_copy(update={"requires_years": 3})
    mine = case(proposed_award=CSTD, history=[{"year": 2022, "award": LDTT},
                                              {"year": 2024, "award": LDTT}])
    [problem] = _requires(profile, mine, [], award=award)
    assert "3 năm liên tục 2022–2024, còn thiếu năm 2023." in problem.message


# Collective share

def test_a_collective_title_needs_its_share_of_members_holding_the_other(profile):
    award = profile.award(TTLDTT)
    nominee = {"kind": "collective", "member_count": 10}
    assert rules.member_share_problems(nominee, award, {"members_holding": 5}, profile) == []
    [short] = rules.member_share_problems(nominee, award, {"members_holding": 4}, profile)
    assert short.message == ("Chỉ 4/10 thành viên (40 %) đạt “Lao động tiên tiến”, "
                             "“Tập thể lao động tiên tiến” cần ít nhất 50 %.")
    [unknown] = rules.member_share_problems(nominee, award, None, profile)
    assert unknown.rule == "member_share" and "Chưa xác định" in unknown.message


# Share caps and ranking

def test_cap_limit_is_exact_on_the_decimal_the_profile_wrote():
    assert cap_limit(0.15, 20) == 3
    assert cap_limit(0.15, 6) == 0
    assert cap_limit(0.2, 5) == 1


def test_women_go_first_among_otherwise_equal_candidates():
    man = case(nominee={"kind": "individual", "gender": "male"}, submitted_at=T0)
    woman = case(nominee={"kind": "individual", "gender": "female"},
                 submitted_at=T0 + timedelta(hours=1))
    stronger = case(nominee={"kind": "individual", "gender": "male"},
                    verified_claims=["A", "B"], submitted_at=T0 + timedelta(hours=2))
    assert order([man, woman, stronger], women_priority=True) == [stronger, woman, man]
    assert order([man, woman, stronger], women_priority=False) == [stronger, man, woman]


def test_collectives_with_more_women_go_first():
    fewer = case(nominee={"kind": "collective", "women_share": 0.2}, submitted_at=T0)
    more = case(nominee={"kind": "collective", "women_share": 0.6},
                submitted_at=T0 + timedelta(hours=1))
    assert order([fewer, more], women_priority=True) == [more, fewer]


def test_only_the_first_places_are_within_the_cap():
    first, second = case(submitted_at=T0), case(submitted_at=T0 + timedelta(hours=1))
    rows = ranked([second, first], women_priority=True, limit=1)
    assert [(r.rank, r.case, r.within_cap) for r in rows] == [(1, first, True),
                                                              (2, second, False)]
    assert all(r.within_cap for r in ranked([first, second], women_priority=True,
                                            limit=None))


def test_a_candidate_takes_its_place_by_the_ranking():
    man = case(nominee={"kind": "individual", "gender": "male"}, verified_claims=["A"],
               submitted_at=T0)
    woman = case(nominee={"kind": "individual", "gender": "female"}, verified_claims=["A"],
                 submitted_at=T0 + timedelta(hours=1))
    assert place(woman, [man], women_priority=True) == 1
    assert place(man, [woman], women_priority=True) == 2
    assert place(man, [woman], women_priority=False) == 1
    # being appraised: ranked by what this appraisal verifies
    assert place(man, [woman], women_priority=True, verified=2) == 1
    granted = case(status="decided", outcome="recognised", award=CSTD,
                   nominee={"kind": "individual", "gender": "male"}, submitted_at=T0)
    assert place(woman, [granted], women_priority=True, verified=5) == 2  # it keeps its place
