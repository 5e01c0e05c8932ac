"""Which units owe what in a year, and whether they have it: met, at risk or missed, with the
rule that decided it. Pure: the counts come in, the lines go out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from exemplar.profile import Profile, Unit

Status = Literal["met", "at_risk", "missed"]
Quota = Literal["publicised", "escalated"]
STATUS_NAMES = {"met": "Đạt", "at_risk": "Có nguy cơ không đạt", "missed": "Không đạt"}
WHAT = {"publicised": "điển hình được công nhận và tuyên truyền trên ít nhất một kênh",
        "escalated": "điển hình được giới thiệu lên cấp tỉnh"}


@dataclass(frozen=True)
class QuotaLine:
    unit_id: str
    unit_name: str
    unit_kind: str
    quota: Quota
    required: int
    achieved: int
    due_on: date
    status: Status
    rule: str


def exists_in(unit: Unit, year: int) -> bool:
    """The unit exists on at least one day of the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return unit.effective_from <= last and (unit.effective_to is None
                                            or unit.effective_to >= first)


def owing_units(profile: Profile, year: int) -> list[Unit]:
    """Units of the kinds that owe an exemplar, existing at some time in the year."""
    return [u for u in profile.units if u.kind in profile.quotas.unit_kinds
            and exists_in(u, year)]


def _due(profile: Profile, unit: Unit, year: int) -> date:
    due = profile.quotas.due_on(year)
    # A unit dissolved before the report is due had until its last day.
    return min(due, unit.effective_to) if unit.effective_to else due


def judge(*, quota: Quota, unit: Unit, required: int, achieved: int, due_on: date,
          on: date, what: str | None = None) -> QuotaLine:
    what = what or WHAT[quota]
    if achieved >= required:
        status: Status = "met"
        rule = f"Đạt: {achieved}/{required} {what}."
    elif on > due_on:
        status, rule = "missed", (f"Không đạt: {achieved}/{required} {what} khi hết hạn "
                                  f"{due_on:%d/%m/%Y}.")
    else:
        days = (due_on - on).days
        status, rule = "at_risk", (f"Có nguy cơ không đạt: mới {achieved}/{required} {what}; "
                                   f"còn {days} ngày đến hạn {due_on:%d/%m/%Y}.")
    return QuotaLine(unit_id=unit.id, unit_name=unit.name, unit_kind=unit.kind, quota=quota,
                     required=required, achieved=achieved, due_on=due_on, status=status,
                     rule=rule)


def assess(profile: Profile, *, year: int, publicised: dict[str, int], escalated: int,
           on: date, unit_id: str | None = None) -> list[QuotaLine]:
    """`publicised`: exemplars publicised per nominating unit; a unit's line counts its own
    and those of the units below it (a commune's station, say). The home unit's line for
    escalations comes last; a unit user's query (`unit_id`) sees only its own line."""
    quotas, lines = profile.quotas, []
    for unit in owing_units(profile, year):
        if unit_id is not None and unit.id != unit_id:
            continue
        required = (quotas.publicised_per_commune if unit.kind == "commune"
                    else quotas.publicised_per_unit)
        achieved = sum(publicised.get(u.id, 0) for u in profile.descendants(unit.id))
        lines.append(judge(quota="publicised", unit=unit, required=required,
                           achieved=achieved, due_on=_due(profile, unit, year), on=on))
    home = profile.home_unit()
    # A government that did not exist in the year (before or after a reorganisation) owes
    # the province nothing for it.
    if (unit_id is None or unit_id == home.id) and exists_in(home, year):
        board = next((u.name for u in profile.units if u.kind == "provincial_board"
                      and exists_in(u, year)), None)
        what = f"điển hình được giới thiệu lên {board}" if board else None
        lines.append(judge(quota="escalated", unit=home, required=quotas.escalated_per_district,
                           what=what,
                           achieved=escalated, due_on=_due(profile, home, year), on=on))
    return lines
