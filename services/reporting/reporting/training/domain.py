"""What makes a training session valid: a day within the years the service reports on; known
units, each once, at least one person each, and no more names than people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from exemplar.errors import RuleViolation
from exemplar.profile import Profile

# The years every report, quota and budget of the service covers (their `year` parameters).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def check_held_on(held_on: date) -> None:
    if not FIRST_DAY <= held_on <= LAST_DAY:
        raise RuleViolation(
            f"Ngày tập huấn {held_on:%d/%m/%Y} nằm ngoài khoảng ngày hợp lệ "
            f"({FIRST_DAY:%d/%m/%Y} – {LAST_DAY:%d/%m/%Y}).",
            fields={"held_on": f"phải từ {FIRST_DAY:%d/%m/%Y} đến {LAST_DAY:%d/%m/%Y}"})


@dataclass(frozen=True)
class Attendance:
    unit_id: str
    count: int
    names: tuple[str, ...] = ()


def unit_name(profile: Profile, unit_id: str, field: str) -> str:
    known = {u.id: u.name for u in profile.units}
    if unit_id not in known:
        raise RuleViolation(f"Không có đơn vị '{unit_id}'.", fields={field: "không có đơn vị này"})
    return known[unit_id]


def attendance_names(profile: Profile, lines: Sequence[Attendance]) -> dict[str, str]:
    """Each attending unit's name, in order; every wrong line is named."""
    known = {u.id: u.name for u in profile.units}
    wrong: dict[str, str] = {}
    for i, line in enumerate(lines):
        if line.unit_id not in known:
            wrong[f"participants[{i}].unit_id"] = f"không có đơn vị '{line.unit_id}'"
        elif any(other.unit_id == line.unit_id for other in lines[:i]):
            wrong[f"participants[{i}].unit_id"] = f"đơn vị '{line.unit_id}' đã có ở dòng trước"
        if len(line.names) > line.count:
            wrong[f"participants[{i}].names"] = (f"{len(line.names)} tên, nhiều hơn số người "
                                                 f"({line.count})")
    if wrong:
        raise RuleViolation("Danh sách đơn vị tham dự không hợp lệ.", fields=wrong)
    return {line.unit_id: known[line.unit_id] for line in lines}
