"""The inspection tables: a yearly plan with its team, and one row per unit it inspects holding
that unit's findings and recommendations (each unit's row is versioned on its own, so a unit's
follow-up never races an edit of the plan)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..projections.store import Base


class Inspection(Base):
    __tablename__ = "inspection"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)  # content and scope
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    team: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # name, position, unit, leader
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class InspectedUnit(Base):
    """A unit in a plan; once inspected, what was found and recommended."""

    __tablename__ = "inspection_unit"

    inspection_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("inspection.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    unit_name: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer)  # the order the plan lists them in
    inspected_on: Mapped[date | None] = mapped_column(Date)
    findings: Mapped[list[str]] = mapped_column(JSON, default=list)
    # text, due_on, status, note, updated_by, updated_at
    recommendations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    recorded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


async def get(session: AsyncSession, inspection_id: str, *,
              for_update: bool = False) -> Inspection | None:
    return await session.get(Inspection, inspection_id, with_for_update=for_update or None)


async def units_of(session: AsyncSession, inspection_ids: list[str], *,
                   unit_id: str | None = None) -> dict[str, list[InspectedUnit]]:
    """The units of each plan, in the plan's order (only `unit_id`'s when given)."""
    query = select(InspectedUnit).where(InspectedUnit.inspection_id.in_(inspection_ids))
    if unit_id is not None:
        query = query.where(InspectedUnit.unit_id == unit_id)
    found: dict[str, list[InspectedUnit]] = {i: [] for i in inspection_ids}
    for row in await session.scalars(query.order_by(InspectedUnit.position)):
        found[row.inspection_id].append(row)
    return found


async def get_unit(session: AsyncSession, inspection_id: str, unit_id: str, *,
                   for_update: bool = False) -> InspectedUnit | None:
    return await session.get(InspectedUnit, (inspection_id, unit_id),
                             with_for_update=for_update or None)


def _plans(*, year: int | None, status: str | None, unit_ids: list[str] | None):
    query = select(Inspection)
    if year is not None:
        query = query.where(Inspection.year == year)
    if status is not None:
        query = query.where(Inspection.status == status)
    if unit_ids is not None:
        query = query.where(Inspection.id.in_(
            select(InspectedUnit.inspection_id).where(InspectedUnit.unit_id.in_(unit_ids))))
    return query


async def search(session: AsyncSession, *, year: int | None, status: str | None,
                 unit_id: str | None, limit: int, offset: int) -> tuple[list[Inspection], int]:
    query = _plans(year=year, status=status, unit_ids=None if unit_id is None else [unit_id])
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Inspection.period_from.desc(), Inspection.id)
                                 .limit(limit).offset(offset))
    return list(rows), total or 0


async def of_year(session: AsyncSession, *, year: int,
                  unit_ids: list[str] | None) -> tuple[int, list[InspectedUnit]]:
    """The year's plans (those inspecting one of `unit_ids`, when given) and their units'
    rows (of those units only)."""
    plans = _plans(year=year, status=None, unit_ids=unit_ids).subquery()
    count = await session.scalar(select(func.count()).select_from(plans)) or 0
    query = select(InspectedUnit).where(InspectedUnit.inspection_id.in_(select(plans.c.id)))
    if unit_ids is not None:
        query = query.where(InspectedUnit.unit_id.in_(unit_ids))
    return count, list(await session.scalars(query))
