"""Row-level reads of the facts, for what the tallies do not hold (names, dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.profile import Profile

from ..figures import tallies
from .derive import POSITIVE, parse_grant
from .store import DecisionFact, RevocationFact


def standing_decisions(*, year: int, unit_ids: list[str] | None):
    """Positive decisions of the year that no revocation undid (the rule of `derive`)."""
    revoked = and_(RevocationFact.nomination_id == DecisionFact.nomination_id,
                   or_(DecisionFact.decision_number.is_(None),
                       RevocationFact.decision_number == DecisionFact.decision_number))
    query = (select(DecisionFact).outerjoin(RevocationFact, revoked)
             .where(DecisionFact.year == year, DecisionFact.outcome.in_(POSITIVE),
                    RevocationFact.nomination_id.is_(None)))
    if unit_ids is not None:
        query = query.where(DecisionFact.unit_id.in_(unit_ids))
    return query


@dataclass(frozen=True)
class CommendationCount:
    unit_id: str
    award: str
    award_name: str
    nominee_kind: str
    signed_on: date | None
    count: int


async def commendation_counts(session: AsyncSession, profile: Profile, *, year: int,
                              unit_ids: list[str] | None = None) -> list[CommendationCount]:
    """Standing commendations by unit, award, nominee kind and signing date: what the bonus
    line of a budget is computed from. Read from the tallies (a few rows a unit), never by
    grouping a year's decisions."""
    names = {a.id: a.name for a in profile.awards}
    out = []
    for f in await tallies(session, years=[year], measures=["commended"],
                           dimensions=["grant"], unit_ids=unit_ids):
        award, kind, signed_on = parse_grant(f.value)
        out.append(CommendationCount(f.unit_id, award, names.get(award, award), kind,
                                     signed_on, f.count))
    return out
