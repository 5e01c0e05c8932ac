"""Council sessions: their stages, who sits out which case, and the words the council uses.

    scheduled ──open (attendance taken)──▶ open ──close (tallied)──▶ closed

The agenda changes only while scheduled; ballots are cast only while open; counts exist for
readers only once closed, since counts watched while they change would reveal each vote."""

from __future__ import annotations

from enum import StrEnum

from exemplar.errors import DomainError
from exemplar.profile import Profile


class Stage(StrEnum):
    scheduled = "scheduled"
    open = "open"
    closed = "closed"


STAGE_NAMES = {Stage.scheduled: "đã lên lịch", Stage.open: "đang họp",
               Stage.closed: "đã kết thúc"}
CHOICES = ("yes", "no", "abstain")
# Cases the council may vote on: posted publicly, or voted at an earlier session.
VOTABLE = ("posted", "voted")
# Open agendas: a case sits on at most one of these at a time.
BUSY = (Stage.scheduled, Stage.open)
NOMINATING_UNIT = "thành viên thuộc đơn vị đề nghị"
PASSED, FAILED, WITHDRAWN, SKIPPED = "passed", "failed", "withdrawn", "skipped"
RESULT_NAMES = {PASSED: "Đạt", FAILED: "Không đạt",
                WITHDRAWN: "Không xét: đơn vị đã rút hồ sơ",
                SKIPPED: "Không xét: hồ sơ không còn ở bước chờ Hội đồng"}


class NotAllowed(DomainError):
    """The caller may never do this (not a council member, recused): a 403."""

    code = "forbidden"


def _below(profile: Profile, unit_id: str) -> set[str]:
    found, frontier = set(), [unit_id]
    while frontier:
        children = [u.id for u in profile.units if u.parent in frontier]
        frontier = [c for c in children if c not in found]
        found.update(frontier)
    return found


def related_units(profile: Profile, unit_id: str) -> set[str]:
    """The nominating unit with the units above and below it. The council's own line of
    government (the district committee above it) stands above every nominating unit, so it
    does not count as related, except when it nominates itself."""
    governing = {u.id for u in profile.ancestors(profile.council.unit)}
    if unit_id in governing:
        return {unit_id}
    try:
        above = {u.id for u in profile.ancestors(unit_id)}
    except KeyError:  # a unit the profile no longer lists: only itself
        return {unit_id}
    return (above - governing) | _below(profile, unit_id) | {unit_id}


def automatic_recusals(profile: Profile, unit_id: str) -> list[dict[str, str]]:
    """Members sitting for the nominating unit, or a unit above or below it, sit out."""
    related = related_units(profile, unit_id)
    recused = []
    for member in profile.council.members:
        try:
            unit = profile.account(member).unit
        except KeyError:
            continue
        if unit in related:
            recused.append({"member": member, "reason": NOMINATING_UNIT})
    return recused


def merge_recusals(current: list[dict[str, str]],
                   added: list[dict[str, str]]) -> list[dict[str, str]]:
    """Keep every recusal already recorded (a declared conflict keeps its own reason)."""
    known = {r["member"] for r in current}
    return [*current, *(r for r in added if r["member"] not in known)]


def member_name(profile: Profile, member: str) -> str:
    try:
        return profile.account(member).name
    except KeyError:
        return member
