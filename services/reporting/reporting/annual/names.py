"""The names a yearly report lists, read from the facts with a bound: the exemplars sent to
the province (a handful a year: the quota is one per district), and a unit's own commended
exemplars with their decision numbers (tens to hundreds a year for one unit). Only the first
LIMIT of either are read; the report says how many more there are, from the tallies."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.profile import Profile

from ..projections.queries import standing_decisions
from ..projections.store import DecisionFact, EscalationFact, RevocationFact
from .model import Exemplar, Listing

# 500 rows are a 12-page annex, and read in a few milliseconds from the (year, unit) index.
LIMIT = 500


def _names(profile: Profile):
    fields = {f.id: f.name for f in profile.fields}
    awards = {a.id: a.name for a in profile.awards}
    return (lambda v: fields.get(v, v)), (lambda v: awards.get(v or "", v or ""))


async def commended(session: AsyncSession, profile: Profile, *, year: int,
                    unit_ids: list[str] | None, total: int) -> Listing:
    """Standing commendations of the year (none revoked), earliest decision first."""
    d = DecisionFact
    query = (standing_decisions(year=year, unit_ids=unit_ids)
             .with_only_columns(d.nominee_name, d.nominee_kind, d.unit_name, d.field, d.award,
                                d.award_name, d.decision_number, d.signed_on)
             .order_by(d.signed_on, d.nominee_name, d.nomination_id).limit(LIMIT))
    field, award = _names(profile)
    rows = (await session.execute(query)).all()
    return Listing(items=tuple(Exemplar(
        name=r.nominee_name, nominee_kind=r.nominee_kind, unit_name=r.unit_name,
        field_name=field(r.field), award_name=r.award_name or award(r.award),
        decision_number=r.decision_number, day=r.signed_on) for r in rows),
        total=max(total, len(rows)))


async def escalated(session: AsyncSession, profile: Profile, *, year: int,
                    unit_ids: list[str] | None, total: int) -> Listing:
    """Exemplars proposed to the province in the year and not revoked since (the rule of
    projections.derive: a revocation undoes the decision it names)."""
    e = EscalationFact
    revoked = and_(RevocationFact.nomination_id == e.nomination_id,
                   or_(DecisionFact.decision_number.is_(None),
                       RevocationFact.decision_number == DecisionFact.decision_number))
    query = (select(e.nominee_name, e.nominee_kind, e.unit_name, e.field, e.proposed_award,
                    e.escalated_on, DecisionFact.decision_number)
             .outerjoin(DecisionFact, DecisionFact.nomination_id == e.nomination_id)
             .outerjoin(RevocationFact, revoked)
             .where(e.year == year, RevocationFact.nomination_id.is_(None))
             .order_by(e.escalated_on, e.nominee_name, e.nomination_id).limit(LIMIT))
    if unit_ids is not None:
        query = query.where(e.unit_id.in_(unit_ids))
    field, award = _names(profile)
    rows = (await session.execute(query)).all()
    return Listing(items=tuple(Exemplar(
        name=r.nominee_name, nominee_kind=r.nominee_kind, unit_name=r.unit_name,
        field_name=field(r.field), award_name=award(r.proposed_award),
        decision_number=r.decision_number, day=r.escalated_on) for r in rows),
        total=max(total, len(rows)))
