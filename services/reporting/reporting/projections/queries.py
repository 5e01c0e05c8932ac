"""Row-level reads of the facts, for what the tallies do not hold (names, dates)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.profile import Profile

from ..figures import tallies
from .derive import POSITIVE, parse_grant
from .store import DecisionFact, RevocationFact


def undoing(nomination_id):
    """The join of a revocation that undoes the nomination's decision, as `derive` rules:
    it names that decision's number (or the decision has none)."""
    return and_(RevocationFact.nomination_id == nomination_id,
                or_(DecisionFact.decision_number.is_(None),
                    RevocationFact.decision_number == DecisionFact.decision_number))


def standing_decisions(*, year: int, unit_ids: list[str] | None):
    """Positive decisions of the year that no revocation undid (the rule of `derive`)."""
    query = (select(DecisionFact)
             .outerjoin(RevocationFact, undoing(DecisionFact.nomination_id))
             .where(DecisionFact.year == year, DecisionFact.outcome.in_(POSITIVE),
                    RevocationFact.nomination_id.is_(None)))
    if unit_ids is not None:
        query = query.where(DecisionFact.unit_id.in_(unit_ids))
    return query


@dataclass(frozen=True)
class CommendationCount:
    unit_id: str  # the unit that pays the bonus: the one whose head grants the award
    award: str
    award_name: str
    nominee_kind: str
    signed_on: date | None
    count: int
    # Why no paying unit could be found (the count then stays with the nominating unit).
    unresolved: str | None = None


def _payer(profile: Profile, award: str, nominating_unit: str) -> tuple[str, str | None]:
    """The unit whose head grants `award` to a nominee of `nominating_unit` (the district for
    its titles and its chairman's Giấy khen, the commune for its chairman's), or the
    nominating unit with the reason none could be found."""
    try:
        return profile.grantor_of(award, nominating_unit).id, None
    except KeyError:
        known = {a.id for a in profile.awards}
        if award not in known:
            return nominating_unit, (f"Cấu hình không có danh hiệu, hình thức '{award}': "
                                     "không xác định được cấp chi tiền thưởng.")
        return nominating_unit, (f"Không xác định được cấp khen thưởng chi tiền thưởng cho "
                                 f"đề nghị của đơn vị '{nominating_unit}'.")


def _nominators(profile: Profile, payers: list[str] | None) -> list[str] | None:
    """The nominating units whose commendations `payers` may pay: those below them (a
    commune pays for its own), or every unit when one of them grants an award by name."""
    if payers is None or any(a.granted_by in payers for a in profile.awards):
        return None
    known = {u.id for u in profile.units}
    return sorted({u.id for p in payers if p in known for u in profile.descendants(p)}
                  | set(payers))


async def commendation_counts(session: AsyncSession, profile: Profile, *, year: int,
                              unit_ids: list[str] | None = None) -> list[CommendationCount]:
    """Standing commendations by paying unit (of `unit_ids`, when given), award, nominee kind
    and signing date: what the bonus line of a budget is computed from. Read from the
    tallies (a few rows a unit), never by grouping a year's decisions; the tallies count by
    nominating unit, each row is then given to the unit that grants the award."""
    names = {a.id: a.name for a in profile.awards}
    payers: dict[tuple[str, str], tuple[str, str | None]] = {}
    counts: dict[tuple, int] = defaultdict(int)
    for f in await tallies(session, years=[year], measures=["commended"],
                           dimensions=["grant"], unit_ids=_nominators(profile, unit_ids)):
        award, kind, signed_on = parse_grant(f.value)
        if (award, f.unit_id) not in payers:
            payers[award, f.unit_id] = _payer(profile, award, f.unit_id)
        payer, unresolved = payers[award, f.unit_id]
        if unit_ids is None or payer in unit_ids:
            counts[payer, award, kind, signed_on, unresolved] += f.count
    return [CommendationCount(payer, award, names.get(award, award), kind, signed_on, count,
                              unresolved)
            for (payer, award, kind, signed_on, unresolved), count in counts.items()]
