"""The rules of an inspection plan and of the follow-up on its recommendations.

    plan:            planned ──▶ in_progress ──▶ done   (done once every unit is inspected)
    recommendation:  open ──▶ in_progress ──▶ done      (open may go straight to done)

Findings are recorded while the inspection is under way; follow-up goes on after it is done,
until each recommendation is done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from exemplar.errors import Conflict, InvalidTransition, RuleViolation
from exemplar.profile import Unit


class Status(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"


class FollowUp(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"


STATUS_NAMES = {Status.planned: "đã lập kế hoạch", Status.in_progress: "đang kiểm tra",
                Status.done: "đã kết thúc"}
FOLLOW_UP_NAMES = {FollowUp.open: "chưa thực hiện", FollowUp.in_progress: "đang thực hiện",
                   FollowUp.done: "đã thực hiện xong"}
NEXT = {Status.planned: {Status.in_progress}, Status.in_progress: {Status.done},
        Status.done: set()}
# The same status again records a newer note on the progress.
FOLLOW_UP_NEXT = {FollowUp.open: {FollowUp.open, FollowUp.in_progress, FollowUp.done},
                  FollowUp.in_progress: {FollowUp.in_progress, FollowUp.done},
                  FollowUp.done: set()}


@dataclass(frozen=True)
class Member:
    name: str
    position: str  # chức vụ
    unit: str  # the agency the member comes from
    leader: bool = False


@dataclass(frozen=True)
class Recommendation:
    text: str
    due_on: date


def check_period(*, year: int, period_from: date, period_to: date) -> None:
    if period_from.year != year or period_to.year != year:
        field = "period_from" if period_from.year != year else "period_to"
        raise RuleViolation(f"Thời gian kiểm tra phải nằm trong năm {year} của kế hoạch.",
                            fields={field: f"phải thuộc năm {year}"})
    if period_to < period_from:
        raise RuleViolation("Ngày kết thúc đợt kiểm tra ở trước ngày bắt đầu.",
                            fields={"period_to": "phải từ ngày bắt đầu (period_from) trở đi"})


def check_units_exist(units: Sequence[Unit], *, period_from: date, period_to: date) -> None:
    """Every unit inspected exists on some day of the inspection (a commune merged away
    before it, or set up after it, cannot be inspected); `units` in the plan's order."""
    gone = {f"units[{i}]": _lifetime(u) for i, u in enumerate(units)
            if u.effective_from > period_to
            or (u.effective_to is not None and u.effective_to < period_from)}
    if gone:
        names = [units[int(k[6:-1])].name for k in gone]
        raise RuleViolation(
            f"Đơn vị không tồn tại trong thời gian kiểm tra ({period_from:%d/%m/%Y} – "
            f"{period_to:%d/%m/%Y}): " + ", ".join(names) + ".", fields=gone)


def _lifetime(unit: Unit) -> str:
    ends = f"đến {unit.effective_to:%d/%m/%Y}" if unit.effective_to else "đến nay"
    return (f"'{unit.id}' không tồn tại trong thời gian kiểm tra (tồn tại từ "
            f"{unit.effective_from:%d/%m/%Y} {ends})")


def check_recorded_within(*, period_from: date, period_to: date,
                          recorded: dict[str, date]) -> None:
    """A new period keeps every day a unit was already inspected on (`recorded`: the unit's
    name → that day)."""
    early = {n: d for n, d in recorded.items() if d < period_from}
    late = {n: d for n, d in recorded.items() if d > period_to}
    if not early and not late:
        return

    def listed(found: dict[str, date]) -> str:
        return ", ".join(f"{n} ({d:%d/%m/%Y})" for n, d in found.items())

    fields = {}
    if early:
        fields["period_from"] = "sau ngày đã kiểm tra " + listed(early)
    if late:
        fields["period_to"] = "trước ngày đã kiểm tra " + listed(late)
    raise RuleViolation("Thời gian kiểm tra mới không còn chứa ngày đã ghi kết quả kiểm tra "
                        "của " + listed(early | late) + ".", fields=fields)


def check_team(team: Sequence[Member]) -> None:
    leaders = [i for i, m in enumerate(team) if m.leader]
    if len(leaders) != 1:
        raise RuleViolation("Đoàn kiểm tra phải có đúng một trưởng đoàn.",
                            fields={"team": f"có {len(leaders)} người là trưởng đoàn (leader), "
                                            f"cần đúng 1"})


def check_editable(status: str) -> None:
    if status == Status.done:
        raise Conflict("Đợt kiểm tra đã kết thúc, không sửa kế hoạch được nữa.",
                       fields={"status": status})


def check_removable(removed: dict[str, str]) -> None:
    """`removed`: unit id → name of units leaving the plan that have findings already."""
    if removed:
        raise Conflict("Không bỏ được đơn vị đã được kiểm tra: " + ", ".join(removed.values())
                       + ".", fields={"units": "đã có kết quả kiểm tra: "
                                      + ", ".join(removed)})


def check_transition(current: str, target: str, *, uninspected: dict[str, str]) -> None:
    """`uninspected`: unit id → name of the plan's units with no findings recorded yet."""
    if target == current:
        return
    if target not in NEXT[Status(current)]:
        raise InvalidTransition(
            f"Không chuyển được đợt kiểm tra từ “{STATUS_NAMES[Status(current)]}” sang "
            f"“{STATUS_NAMES[Status(target)]}”.", fields={"status": f"{current} → {target}"})
    if target == Status.done and uninspected:
        raise InvalidTransition(
            "Chưa kết thúc được: chưa ghi kết quả kiểm tra của " + ", ".join(uninspected.values())
            + ".", fields={"status": "còn đơn vị chưa có kết quả: " + ", ".join(uninspected)})


def check_recordable(*, status: str, inspected_on: date, period_from: date, period_to: date,
                     today: date, recommendations: Sequence[Recommendation]) -> None:
    if status != Status.in_progress:
        raise InvalidTransition(
            "Chỉ ghi kết quả khi đợt kiểm tra đang diễn ra; đợt này "
            f"“{STATUS_NAMES[Status(status)]}”.", fields={"status": status})
    if not period_from <= inspected_on <= period_to:
        raise RuleViolation(
            f"Ngày kiểm tra phải trong thời gian của kế hoạch ({period_from:%d/%m/%Y} – "
            f"{period_to:%d/%m/%Y}).", fields={"inspected_on": "ngoài thời gian kiểm tra"})
    if inspected_on > today:
        raise RuleViolation("Ngày kiểm tra chưa đến.",
                            fields={"inspected_on": "không được sau ngày hôm nay"})
    late = {f"recommendations[{i}].due_on": "phải từ ngày kiểm tra trở đi"
            for i, r in enumerate(recommendations) if r.due_on < inspected_on}
    if late:
        raise RuleViolation("Hạn thực hiện kiến nghị không được trước ngày kiểm tra.",
                            fields=late)


def recommendations_kept(old: Sequence[dict[str, Any]],
                         new: Sequence[Recommendation]) -> list[dict[str, Any]]:
    """The recommendations as recorded again: one whose text is unchanged keeps the unit's
    follow-up (status, note, who and when); a new text starts open."""
    by_text = {r["text"]: r for r in old}
    kept = []
    for r in new:
        before = by_text.get(r.text, {})
        kept.append({"text": r.text, "due_on": r.due_on.isoformat(),
                     "status": before.get("status", FollowUp.open),
                     "note": before.get("note"), "updated_by": before.get("updated_by"),
                     "updated_at": before.get("updated_at")})
    return kept


def check_follow_up(*, number: int, current: str, target: str) -> None:
    if target not in FOLLOW_UP_NEXT[FollowUp(current)]:
        raise InvalidTransition(
            f"Kiến nghị số {number} đã “{FOLLOW_UP_NAMES[FollowUp(current)]}”, không chuyển "
            f"sang “{FOLLOW_UP_NAMES[FollowUp(target)]}” được.",
            fields={"status": f"{current} → {target}"})
