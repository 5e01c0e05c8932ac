"""The budget estimate table: one per unit and year, its typed lines, the bonus line as it
was frozen on submission, and the finance office's allocation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..projections.store import Base


class BudgetEstimate(Base):
    __tablename__ = "budget_estimate"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100))
    unit_name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # task, amount (VND), note
    notes: Mapped[str | None] = mapped_column(Text)
    # The bonus line as submitted (None while a draft: then it is computed when read).
    bonus: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    allocation: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # task, amount
    allocated: Mapped[int | None] = mapped_column(BigInteger)  # VND, the total allocated
    allocation_note: Mapped[str | None] = mapped_column(Text)
    allocated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    allocated_by: Mapped[str | None] = mapped_column(String(100))
    returned_reason: Mapped[str | None] = mapped_column(Text)
    returned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    returned_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_budget_estimate_unit_year"),)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


async def get(session: AsyncSession, estimate_id: str, *,
              for_update: bool = False) -> BudgetEstimate | None:
    return await session.get(BudgetEstimate, estimate_id, with_for_update=for_update or None)


async def of_unit(session: AsyncSession, *, unit_id: str, year: int) -> BudgetEstimate | None:
    return await session.scalar(select(BudgetEstimate).where(
        BudgetEstimate.unit_id == unit_id, BudgetEstimate.year == year))


def _query(*, year: int | None, unit_ids: list[str] | None, status: str | None):
    query = select(BudgetEstimate)
    if year is not None:
        query = query.where(BudgetEstimate.year == year)
    if unit_ids is not None:
        query = query.where(BudgetEstimate.unit_id.in_(unit_ids))
    if status is not None:
        query = query.where(BudgetEstimate.status == status)
    return query


async def search(session: AsyncSession, *, year: int | None, unit_ids: list[str] | None,
                 status: str | None, limit: int,
                 offset: int) -> tuple[list[BudgetEstimate], int]:
    query = _query(year=year, unit_ids=unit_ids, status=status)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(BudgetEstimate.year.desc(),
                                                BudgetEstimate.unit_id)
                                 .limit(limit).offset(offset))
    return list(rows), total or 0


async def of_year(session: AsyncSession, *, year: int,
                  unit_ids: list[str] | None) -> list[BudgetEstimate]:
    rows = await session.scalars(_query(year=year, unit_ids=unit_ids, status=None)
                                 .order_by(BudgetEstimate.unit_id))
    return list(rows)
