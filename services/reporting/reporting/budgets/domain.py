"""The rules of a budget estimate.

    draft ──submit (the unit)──▶ submitted ──allocate (finance)──▶ allocated
      ▲                              │
      └──────return (finance, with a reason)

A unit edits its estimate only as a draft. Lines are the profile's tasks, each once; the bonus
line (khen_thuong) is computed, never typed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from exemplar.errors import InvalidTransition, RuleViolation

from .bonus import TASK as BONUS_TASK

# Far above any unit's yearly estimate for the plan (millions of đồng), far below what a
# BIGINT or a JSON number holds exactly: a typo of a few extra zeros is refused.
MAX_VND = 100_000_000_000


class Status(StrEnum):
    draft = "draft"
    submitted = "submitted"
    allocated = "allocated"


STATUS_NAMES = {Status.draft: "dự thảo", Status.submitted: "đã gửi cơ quan tài chính",
                Status.allocated: "đã phân bổ"}
ACTIONS = {"edit": ({Status.draft}, "sửa"), "submit": ({Status.draft}, "gửi"),
           "allocate": ({Status.submitted}, "phân bổ"),
           "return": ({Status.submitted}, "trả lại")}


@dataclass(frozen=True)
class Line:
    task: str
    amount: int  # VND
    note: str | None = None


def check_action(action: str, status: str) -> None:
    allowed, verb = ACTIONS[action]
    if status not in allowed:
        raise InvalidTransition(
            f"Dự toán đang ở trạng thái “{STATUS_NAMES[Status(status)]}”, không {verb} được.",
            fields={"status": status})


def check_lines(tasks: Mapping[str, str], lines: Sequence[Line]) -> None:
    wrong: dict[str, str] = {}
    for i, line in enumerate(lines):
        if line.task == BONUS_TASK:
            wrong[f"lines[{i}].task"] = ("dòng tiền thưởng được tính tự động từ các quyết định "
                                         "khen thưởng, không nhập tay")
        elif line.task not in tasks:
            wrong[f"lines[{i}].task"] = f"không có nhiệm vụ '{line.task}'"
        elif any(other.task == line.task for other in lines[:i]):
            wrong[f"lines[{i}].task"] = f"nhiệm vụ '{line.task}' đã có ở dòng trước"
    if wrong:
        raise RuleViolation("Các dòng dự toán không hợp lệ.", fields=wrong)


def check_allocation(estimated: Sequence[str], lines: Sequence[Line], total: int | None) -> int:
    """`estimated`: the tasks of the estimate (the bonus line included when it has one).
    Returns the total allocated: the sum of the lines, which `total`, when given, must be."""
    wrong: dict[str, str] = {}
    for i, line in enumerate(lines):
        if line.task not in estimated:
            wrong[f"lines[{i}].task"] = f"dự toán không có dòng '{line.task}'"
        elif any(other.task == line.task for other in lines[:i]):
            wrong[f"lines[{i}].task"] = f"dòng '{line.task}' đã có ở trên"
    if wrong:
        raise RuleViolation("Các dòng phân bổ không khớp với dự toán.", fields=wrong)
    summed = sum(line.amount for line in lines)
    if total is not None and total != summed:
        raise RuleViolation(f"Tổng phân bổ {total:,} đồng khác tổng các dòng {summed:,} đồng."
                            .replace(",", "."),
                            fields={"total": f"phải bằng tổng các dòng ({summed})"})
    return summed
