"""Reading the tallies: every figure the quotas, the dashboard and the reports show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .projections.store import Tally

MEASURES = ("submitted", "withdrawn", "commended", "rejected", "revoked", "publicised",
            "escalated", "stories")


@dataclass(frozen=True)
class Figure:
    year: int
    unit_id: str
    measure: str
    dimension: str
    value: str
    count: int


async def tallies(session: AsyncSession, *, years: Iterable[int],
                  measures: Iterable[str] | None = None, dimensions: Iterable[str] = ("all",),
                  unit_ids: Iterable[str] | None = None) -> list[Figure]:
    # Plain rows, not ORM objects: a district's year is thousands of tally rows.
    query = select(Tally.year, Tally.unit_id, Tally.measure, Tally.dimension, Tally.value,
                   Tally.count).where(Tally.year.in_(list(years)), Tally.count > 0,
                                      Tally.dimension.in_(list(dimensions)))
    if measures is not None:
        query = query.where(Tally.measure.in_(list(measures)))
    if unit_ids is not None:
        query = query.where(Tally.unit_id.in_(list(unit_ids)))
    return [Figure(*row) for row in (await session.execute(query)).all()]


def totals(figures: Iterable[Figure], *, by: tuple[str, ...]) -> dict[tuple, int]:
    """Sum the counts grouped by the named attributes: by=("measure", "value")."""
    out: dict[tuple, int] = {}
    for f in figures:
        key = tuple(getattr(f, name) for name in by)
        out[key] = out.get(key, 0) + f.count
    return out
