"""The order in which a unit's candidates for one award take the places a share cap allows:
those already granted keep theirs; then more verified achievements first; among those
otherwise equal, women first (where the profile says so); then who was submitted first.
The eligibility rule on share caps refuses a case by this same order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.profile import Profile, ShareCap

from ..cases.domain import S
from ..cases.store import Case
from . import store
from .domain import cap_limit

_LAST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Cap:
    among: str
    max_share: float
    among_count: int
    limit: int


@dataclass(frozen=True)
class Ranked:
    rank: int
    case: Case
    within_cap: bool


def women_weight(nominee: dict) -> float:
    """1 for a woman, 0 for a man; for a collective or household, its share of women."""
    if nominee.get("kind") == "individual":
        return 1.0 if nominee.get("gender") == "female" else 0.0
    return float(nominee.get("women_share") or 0.0)


def _key(case: Case, *, women_priority: bool, verified: int | None = None):
    women = women_weight(case.nominee) if women_priority else 0.0
    verified = len(case.verified_claims or []) if verified is None else verified
    return (case.status != S.decided, -verified, -women, case.submitted_at or _LAST,
            case.opened_at or _LAST, case.id)


def order(cases: list[Case], *, women_priority: bool) -> list[Case]:
    return sorted(cases, key=lambda c: _key(c, women_priority=women_priority))


def place(case: Case, others: list[Case], *, women_priority: bool,
          verified: int | None = None) -> int:
    """The rank `case` takes among `others` (from 1); `verified` counts its verified
    achievements while an appraisal is being made (others count what is stored)."""
    mine = _key(case, women_priority=women_priority, verified=verified)
    return 1 + sum(_key(o, women_priority=women_priority) < mine for o in others)


def ranked(cases: list[Case], *, women_priority: bool, limit: int | None) -> list[Ranked]:
    return [Ranked(rank=i + 1, case=case, within_cap=limit is None or i < limit)
            for i, case in enumerate(order(cases, women_priority=women_priority))]


async def cap_for(session: AsyncSession, profile: Profile, *, unit_id: str, year: int,
                  award: str) -> Cap | None:
    """The tightest share cap on `award` for this unit and year, if any applies."""
    caps: list[Cap] = []
    for cap in profile.thresholds.share_caps:
        if cap.award == award:
            caps.append(await _cap(session, cap, unit_id=unit_id, year=year))
    return min(caps, key=lambda c: c.limit, default=None)


async def _cap(session: AsyncSession, cap: ShareCap, *, unit_id: str, year: int) -> Cap:
    among = await store.count_for_award(session, unit_id=unit_id, year=year, award=cap.among)
    return Cap(among=cap.among, max_share=cap.max_share, among_count=among,
               limit=cap_limit(cap.max_share, among))


async def rank_candidates(session: AsyncSession, profile: Profile, *, unit_id: str, year: int,
                          award: str) -> tuple[list[Ranked], Cap | None]:
    cases = await store.candidates(session, unit_id=unit_id, year=year, award=award)
    cap = await cap_for(session, profile, unit_id=unit_id, year=year, award=award)
    return ranked(cases, women_priority=profile.thresholds.women_priority,
                  limit=cap.limit if cap else None), cap
