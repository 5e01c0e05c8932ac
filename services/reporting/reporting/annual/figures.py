"""The counts of a yearly report, from the tallies only: two sums over a few thousand rows
(units × measures × dimension values), grouped in the database, whatever the number of
nominations behind them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.labels import GENDERS, NOMINEE_KINDS
from exemplar.profile import Profile

from ..figures import MEASURES
from ..projections.store import Tally
from ..quotas.rules import QuotaLine, owing_units
from .model import (
    COMMENDATION_KINDS,
    DIMENSION_NAMES,
    UNKNOWN,
    Breakdown,
    ChannelRow,
    UnitRow,
)

DIMENSIONS = ("all", "channel", *DIMENSION_NAMES)
UNIT_MEASURES = ("submitted", "withdrawn", "commended", "publicised", "escalated", "stories")


@dataclass(frozen=True)
class Counts:
    totals: dict[str, int]
    breakdowns: tuple[Breakdown, ...]
    channels: tuple[ChannelRow, ...]
    units: tuple[UnitRow, ...]


def unit_ids(profile: Profile, unit_id: str | None) -> list[str] | None:
    """The units a report covers: a unit and those below it, or all (None)."""
    return None if unit_id is None else [u.id for u in profile.descendants(unit_id)]


async def _sums(session: AsyncSession, columns: tuple, *, year: int, units: list[str] | None,
                dimensions: tuple[str, ...]) -> dict[tuple, int]:
    """The tallies' counts summed by `columns` (the same figures reporting.figures.totals
    gives GET /dashboard, summed by the database rather than row by row here)."""
    query = (select(*columns, func.sum(Tally.count))
             .where(Tally.year == year, Tally.count > 0, Tally.dimension.in_(dimensions))
             .group_by(*columns))
    if units is not None:
        query = query.where(Tally.unit_id.in_(units))
    return {tuple(row[:-1]): int(row[-1]) for row in (await session.execute(query)).all()}


async def count(session: AsyncSession, profile: Profile, *, year: int, unit_id: str | None,
                quotas: list[QuotaLine]) -> Counts:
    units = unit_ids(profile, unit_id)
    by = await _sums(session, (Tally.measure, Tally.dimension, Tally.value), year=year,
                     units=units, dimensions=DIMENSIONS)
    per_unit = await _sums(session, (Tally.unit_id, Tally.measure), year=year, units=units,
                           dimensions=("all",))
    return Counts(totals={m: by.get((m, "all", ""), 0) for m in MEASURES},
                  breakdowns=tuple(_breakdowns(profile, by)),
                  channels=tuple(_channels(profile, by)),
                  units=tuple(rows_by_unit(profile, per_unit, year=year, unit_id=unit_id,
                                           quotas=quotas)))


def _namer(profile: Profile, dimension: str):
    names = {
        "field": {f.id: f.name for f in profile.fields},
        "nominee_kind": NOMINEE_KINDS,
        "gender": GENDERS,
        "commendation_kind": COMMENDATION_KINDS,
        "award": {a.id: a.name for a in profile.awards},
    }.get(dimension, {})
    return lambda value: names.get(value, value) or UNKNOWN


def _order(profile: Profile, dimension: str) -> list[str]:
    """The profile's order (or the labels'), then anything else the events carried."""
    return {"field": [f.id for f in profile.fields], "nominee_kind": list(NOMINEE_KINDS),
            "gender": list(GENDERS), "commendation_kind": list(COMMENDATION_KINDS),
            "award": [a.id for a in profile.awards]}.get(dimension, [])


def _breakdowns(profile: Profile, by: dict[tuple, int]) -> list[Breakdown]:
    out = []
    for dimension in DIMENSION_NAMES:
        seen = {v for (_, d, v) in by if d == dimension}
        known = _order(profile, dimension)
        values = [v for v in known if v in seen] + sorted(seen - set(known))
        name = _namer(profile, dimension)
        out += [Breakdown(dimension=dimension, value=v, name=name(v),
                          submitted=by.get(("submitted", dimension, v), 0),
                          commended=by.get(("commended", dimension, v), 0),
                          publicised=by.get(("publicised", dimension, v), 0),
                          escalated=by.get(("escalated", dimension, v), 0)) for v in values]
    return out


def _channels(profile: Profile, by: dict[tuple, int]) -> list[ChannelRow]:
    seen = {v for (_, d, v) in by if d == "channel"}
    known = [c.id for c in profile.channels]
    names = {c.id: c.name for c in profile.channels}
    return [ChannelRow(channel_id=c, name=names.get(c, c),
                       stories=by.get(("stories", "channel", c), 0),
                       exemplars=by.get(("publicised", "channel", c), 0))
            for c in [c for c in known if c in seen] + sorted(seen - set(known))]


def rows_by_unit(profile: Profile, by: dict[tuple, int], *, year: int, unit_id: str | None,
                 quotas: list[QuotaLine]) -> list[UnitRow]:
    """Every unit that owes a quota or has a figure (with its own counts only: the units below
    it have rows of their own, so the rows add up to the totals), the profile's order first.
    A unit's quota line counts the units below it too: a row whose line is already counted
    by an owing unit above it in the report is marked `nested`."""
    covered = None if unit_id is None else set(unit_ids(profile, unit_id) or [])
    owing = {u.id for u in owing_units(profile, year)}
    with_figures = {u for (u, _) in by}
    wanted = (owing | with_figures) if covered is None else (
        (owing & covered) | with_figures | {unit_id})
    known = [u.id for u in profile.units]
    names = {u.id: u.name for u in profile.units}
    lines = {line.unit_id: line for line in quotas if line.quota == "publicised"}

    def nested(unit: str) -> bool:
        above = profile.ancestors(unit)[1:] if unit in names else []
        return unit in lines and any(a.id in lines for a in above)

    return [UnitRow(unit_id=u, unit_name=names.get(u, u), quota=lines.get(u),
                    nested=nested(u), **{m: by.get((u, m), 0) for m in UNIT_MEASURES})
            for u in [u for u in known if u in wanted] + sorted(wanted - set(known))]
