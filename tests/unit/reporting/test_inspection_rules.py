"""The rules of an inspection plan and of the follow-up on its recommendations."""

from __future__ import annotations

from datetime import date

import pytest

from exemplar.errors import Conflict, InvalidTransition, RuleViolation
from exemplar.profile import DEFAULT_PROFILE_PATH, load_profile
from reporting.inspections.domain import (
    Member,
    Recommendation,
    check_editable,
    check_follow_up,
    check_period,
    check_recordable,
    check_recorded_within,
    check_team,
    check_transition,
    check_units_exist,
    recommendations_kept,
)

MAY = date(2024, 5, 10)


def test_a_plan_moves_forward_one_stage_at_a_time():
    check_transition("planned", "in_progress", uninspected={"xa-dak-o": "UBND xã Đắk Ơ"})
    check_transition("in_progress", "done", uninspected={})
    for current, target in (("planned", "done"), ("done", "in_progress"),
                            ("in_progress", "planned")):
        with pytest.raises(InvalidTransition):
            check_transition(current, target, uninspected={})


def test_a_plan_is_done_only_when_every_unit_has_its_findings():
    with pytest.raises(InvalidTransition) as refused:
        check_transition("in_progress", "done", uninspected={"xa-dak-o": "UBND xã Đắk Ơ"})
    assert "UBND xã Đắk Ơ" in refused.value.detail
    assert "xa-dak-o" in refused.value.fields["status"]


def test_the_team_has_exactly_one_leader():
    member = Member(name="A", position="Chuyên viên", unit="Phòng Nội vụ")
    check_team([member, Member(name="B", position="Trưởng phòng", unit="Phòng Nội vụ",
                               leader=True)])
    for team in ([member], [Member("B", "x", "y", True), Member("C", "x", "y", True)]):
        with pytest.raises(RuleViolation) as refused:
            check_team(team)
        assert "team" in refused.value.fields


def test_the_period_lies_in_the_plans_year_in_order():
    check_period(year=2024, period_from=date(2024, 3, 1), period_to=date(2024, 3, 1))
    with pytest.raises(RuleViolation, match="trước ngày bắt đầu"):
        check_period(year=2024, period_from=date(2024, 3, 2), period_to=date(2024, 3, 1))
    with pytest.raises(RuleViolation) as refused:
        check_period(year=2024, period_from=date(2023, 12, 1), period_to=date(2024, 3, 1))
    assert set(refused.value.fields) == {"period_from"}


def test_findings_are_recorded_while_under_way_within_the_period_and_not_ahead():
    ok = dict(inspected_on=MAY, period_from=date(2024, 5, 1), period_to=date(2024, 5, 31),
              today=MAY, recommendations=[Recommendation("Bổ sung hồ sơ", MAY)])
    check_recordable(status="in_progress", **ok)
    for status in ("planned", "done"):
        with pytest.raises(InvalidTransition):
            check_recordable(status=status, **ok)
    for change, field in (({"today": date(2024, 5, 9)}, "inspected_on"),
                          ({"inspected_on": date(2024, 6, 1), "today": date(2024, 6, 1)},
                           "inspected_on"),
                          ({"recommendations": [Recommendation("x", MAY),
                                                Recommendation("y", date(2024, 5, 9))]},
                           "recommendations[1].due_on")):
        with pytest.raises(RuleViolation) as refused:
            check_recordable(status="in_progress", **{**ok, **change})
        assert field in refused.value.fields


def test_a_recommendation_recorded_again_with_the_same_text_keeps_its_follow_up():
    old = [{"text": "Lập chuyên mục", "due_on": "2024-06-30", "status": "in_progress",
            "note": "Đang làm", "updated_by": "dak-o.officer", "updated_at": "2024-05-20"},
           {"text": "Bổ sung hồ sơ", "due_on": "2024-06-30", "status": "done", "note": None,
            "updated_by": "dak-o.officer", "updated_at": "2024-05-21"}]
    kept = recommendations_kept(old, [Recommendation("Lập chuyên mục", date(2024, 7, 31)),
                                      Recommendation("Họp dân", date(2024, 7, 31))])
    assert kept[0] == {**old[0], "due_on": "2024-07-31"}
    assert (kept[1]["status"], kept[1]["note"], kept[1]["updated_by"]) == ("open", None, None)


def test_follow_up_goes_forward_and_done_is_final():
    check_follow_up(number=1, current="open", target="in_progress")
    check_follow_up(number=1, current="open", target="done")
    check_follow_up(number=1, current="in_progress", target="in_progress")  # a newer note
    for current, target in (("in_progress", "open"), ("done", "done"), ("done", "open")):
        with pytest.raises(InvalidTransition, match="Kiến nghị số 2"):
            check_follow_up(number=2, current=current, target=target)


def test_nothing_is_edited_once_done():
    check_editable("in_progress")
    with pytest.raises(Conflict):
        check_editable("done")


def test_an_inspected_unit_exists_on_some_day_of_the_inspection():
    profile = load_profile()
    dak_o, phu_nghia = profile.unit("xa-dak-o"), profile.unit("xa-phu-nghia")  # to 30/06/2025
    check_units_exist([dak_o], period_from=date(2025, 6, 30), period_to=date(2025, 12, 31))
    with pytest.raises(RuleViolation) as refused:
        check_units_exist([dak_o, phu_nghia], period_from=date(2025, 7, 1),
                          period_to=date(2025, 12, 31))
    assert set(refused.value.fields) == {"units[0]", "units[1]"}
    assert "UBND xã Phú Nghĩa" in refused.value.detail
    assert "01/01/2023 đến 30/06/2025" in refused.value.fields["units[1]"]
    after = load_profile(DEFAULT_PROFILE_PATH.parent / "dong-nai-xa-2025.yaml")
    commune = after.unit("xa-bu-gia-map")  # from 01/07/2025
    with pytest.raises(RuleViolation) as refused:
        check_units_exist([commune], period_from=date(2025, 1, 1), period_to=date(2025, 6, 30))
    assert "đến nay" in refused.value.fields["units[0]"]


def test_a_new_period_keeps_the_days_already_inspected_on():
    recorded = {"UBND xã Đắk Ơ": date(2024, 10, 15), "UBND xã Phú Nghĩa": date(2024, 11, 2)}
    check_recorded_within(period_from=date(2024, 10, 15), period_to=date(2024, 11, 2),
                          recorded=recorded)
    with pytest.raises(RuleViolation) as refused:
        check_recorded_within(period_from=date(2024, 10, 16), period_to=date(2024, 11, 1),
                              recorded=recorded)
    assert refused.value.fields == {"period_from": "sau ngày đã kiểm tra UBND xã Đắk Ơ "
                                                   "(15/10/2024)",
                                    "period_to": "trước ngày đã kiểm tra UBND xã Phú Nghĩa "
                                                 "(02/11/2024)"}
