"""The rules of a budget estimate: who prepares it, its lines, its states, the allocation
against it."""

from __future__ import annotations

import pytest

from exemplar.auth import Principal
from exemplar.errors import Forbidden, InvalidTransition, RuleViolation
from exemplar.profile import DEFAULT_PROFILE_PATH, load_profile
from reporting.budgets.access import check_preparer, default_unit
from reporting.budgets.domain import Line, check_action, check_allocation, check_lines

DISTRICT = load_profile()
COMMUNE = load_profile(DEFAULT_PROFILE_PATH.parent / "dong-nai-xa-2025.yaml")
TASKS = DISTRICT.budget.tasks


def user(profile, account: str) -> Principal:
    a = profile.account(account)
    return Principal(sub=a.id, name=a.name, unit=a.unit, roles=frozenset(a.roles))


def test_the_standing_office_prepares_the_home_government_s_estimate_and_a_unit_its_own():
    for profile, account, unit_id in ((DISTRICT, "noi-vu.officer2", "ubnd-huyen"),
                                      (DISTRICT, "noi-vu.head", "ubnd-huyen"),
                                      (DISTRICT, "noi-vu.head", "phong-noi-vu"),
                                      (DISTRICT, "dak-o.officer", "xa-dak-o"),
                                      (COMMUNE, "vhxh.officer", "xa-bu-gia-map"),
                                      (COMMUNE, "tram-y-te.head", "tram-y-te")):
        check_preparer(user(profile, account), profile, unit_id)
    for profile, account, unit_id in ((DISTRICT, "dak-o.officer", "ubnd-huyen"),
                                      (DISTRICT, "dak-o.officer", "xa-phu-nghia"),
                                      (DISTRICT, "noi-vu.head", "xa-dak-o"),
                                      (COMMUNE, "xa.officer", "xa-bu-gia-map")):
        with pytest.raises(Forbidden) as refused:
            check_preparer(user(profile, account), profile, unit_id)
        assert set(refused.value.fields) == {"unit_id"}, (account, unit_id)


def test_an_estimate_with_no_unit_named_is_the_user_s_own_unit_s_or_the_district_s():
    assert default_unit(user(DISTRICT, "dak-o.officer"), DISTRICT) == "xa-dak-o"
    assert default_unit(user(DISTRICT, "noi-vu.head"), DISTRICT) == "phong-noi-vu"
    assert default_unit(user(DISTRICT, "noi-vu.officer2"), DISTRICT) == "ubnd-huyen"


def test_lines_are_the_profiles_tasks_each_once_and_never_the_bonus():
    check_lines(TASKS, [Line("tuyen_truyen", 5_000_000), Line("hoi_nghi", 0)])
    with pytest.raises(RuleViolation) as refused:
        check_lines(TASKS, [Line("hoi_nghi", 1), Line("mua_xe", 1), Line("khen_thuong", 1),
                            Line("hoi_nghi", 2)])
    assert refused.value.fields == {
        "lines[1].task": "không có nhiệm vụ 'mua_xe'",
        "lines[2].task": "dòng tiền thưởng được tính tự động từ các quyết định khen thưởng, "
                         "không nhập tay",
        "lines[3].task": "nhiệm vụ 'hoi_nghi' đã có ở dòng trước"}


@pytest.mark.parametrize(("action", "allowed"), [
    ("edit", {"draft"}), ("submit", {"draft"}), ("allocate", {"submitted"}),
    ("return", {"submitted"})])
def test_each_action_has_its_state(action, allowed):
    for status in ("draft", "submitted", "allocated"):
        if status in allowed:
            check_action(action, status)
        else:
            with pytest.raises(InvalidTransition):
                check_action(action, status)


def test_an_allocation_is_per_line_of_the_estimate_and_its_total_is_their_sum():
    lines = [Line("hoi_nghi", 3_000_000), Line("khen_thuong", 7_440_000)]
    assert check_allocation(["hoi_nghi", "khen_thuong"], lines, None) == 10_440_000
    assert check_allocation(["hoi_nghi", "khen_thuong"], lines, 10_440_000) == 10_440_000
    with pytest.raises(RuleViolation, match=r"10\.000\.000 đồng khác tổng các dòng 10\.440\.000"):
        check_allocation(["hoi_nghi", "khen_thuong"], lines, 10_000_000)
    with pytest.raises(RuleViolation) as refused:
        check_allocation(["hoi_nghi"], lines, None)
    assert refused.value.fields == {"lines[1].task": "dự toán không có dòng 'khen_thuong'"}
