"""The rules of a budget estimate: its lines, its states, the allocation against it."""

from __future__ import annotations

import pytest

from exemplar.errors import InvalidTransition, RuleViolation
from exemplar.profile import load_profile
from reporting.budgets.domain import Line, check_action, check_allocation, check_lines

TASKS = load_profile().budget.tasks


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
