"""The names a yearly report lists, read from the facts: the exemplars sent to the province (a
handful a year: the quota is one per district), and a unit's own commended exemplars with
their decision numbers (tens to thousands a year for one unit).

The report itself holds the first LISTED of each list (what its DOCX prints; the count comes
from the tallies). The XLSX annex holds them all: `every` streams a list from the database in
chunks, so a hundred thousand names never sit in memory at once."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.profile import Profile

from ..projections.queries import standing_decisions, undoing
from ..projections.store import DecisionFact, EscalationFact, RevocationFact
from .model import LISTED, Exemplar, Listing

CHUNK = 5_000  # names read and written at a time


def _names(profile: Profile):
    fields = {f.id: f.name for f in profile.fields}
    awards = {a.id: a.name for a in profile.awards}
    return (lambda v: fields.get(v, v)), (lambda v: awards.get(v or "", v or ""))


def commended_query(*, year: int, unit_ids: list[str] | None) -> Select:
    """Standing commendations of the year (none revoked), earliest decision first."""
    d = DecisionFact
    return (standing_decisions(year=year, unit_ids=unit_ids)
            .with_only_columns(d.nominee_name, d.nominee_kind, d.unit_name, d.field,
                               d.award_name.label("award_name"), d.award.label("award"),
                               d.decision_number, d.signed_on.label("day"))
            .order_by(d.signed_on, d.nominee_name, d.nomination_id))


def escalated_query(*, year: int, unit_ids: list[str] | None) -> Select:
    """Exemplars proposed to the province in the year and not revoked since (the rule of
    projections.derive: a revocation undoes the decision it names)."""
    e = EscalationFact
    query = (select(e.nominee_name, e.nominee_kind, e.unit_name, e.field,
                    e.proposed_award.label("award"), e.escalated_on.label("day"),
                    DecisionFact.decision_number)
             .outerjoin(DecisionFact, DecisionFact.nomination_id == e.nomination_id)
             .outerjoin(RevocationFact, undoing(e.nomination_id))
             .where(e.year == year, RevocationFact.nomination_id.is_(None))
             .order_by(e.escalated_on, e.nominee_name, e.nomination_id))
    return query if unit_ids is None else query.where(e.unit_id.in_(unit_ids))


def _exemplars(profile: Profile, rows) -> list[Exemplar]:
    field, award = _names(profile)
    return [Exemplar(name=r.nominee_name, nominee_kind=r.nominee_kind, unit_name=r.unit_name,
                     field_name=field(r.field),
                     award_name=getattr(r, "award_name", None) or award(r.award),
                     decision_number=r.decision_number, day=r.day) for r in rows]


async def listing(session: AsyncSession, profile: Profile, query: Select, *,
                  total: int) -> Listing:
    """The first LISTED names of the list, and `total` (from the tallies) for all of them."""
    rows = (await session.execute(query.limit(LISTED))).all()
    return Listing(items=tuple(_exemplars(profile, rows)), total=max(total, len(rows)))


async def every(session: AsyncSession, profile: Profile,
                query: Select) -> AsyncIterator[list[Exemplar]]:
    """The whole list, CHUNK names at a time, from a server-side cursor."""
    result = await session.stream(query.execution_options(yield_per=CHUNK))
    async for rows in result.partitions(CHUNK):
        yield _exemplars(profile, rows)
