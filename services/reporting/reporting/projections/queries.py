"""Row-level reads of the facts, for what the tallies do not hold (names, dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from .derive import POSITIVE
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


async def commendation_counts(session: AsyncSession, *, year: int,
                              unit_ids: list[str] | None = None) -> list[CommendationCount]:
    """Standing commendations by unit, award, nominee kind and signing date: what the bonus
    line of a budget is computed from."""
    inner = standing_decisions(year=year, unit_ids=unit_ids).subquery()
    query = (select(inner.c.unit_id, inner.c.award, inner.c.award_name, inner.c.nominee_kind,
                    inner.c.signed_on, func.count())
             .where(inner.c.award.is_not(None))
             .group_by(inner.c.unit_id, inner.c.award, inner.c.award_name,
                       inner.c.nominee_kind, inner.c.signed_on))
    return [CommendationCount(u, a, n or a, k, s, c)
            for u, a, n, k, s, c in (await session.execute(query)).all()]
