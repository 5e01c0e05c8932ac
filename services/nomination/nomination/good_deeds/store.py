"""Tables and queries of good-deed reports (gương người tốt, việc tốt)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base


class GoodDeedReport(Base):
    """A short report of a good person's good deed, filed by an officer of the unit."""

    __tablename__ = "good_deed_report"
    __table_args__ = (Index("ix_good_deed_report_unit_year", "unit_id", "year"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100))
    unit_name: Mapped[str] = mapped_column(String(300))
    person_name: Mapped[str] = mapped_column(String(300))
    person_folded: Mapped[str] = mapped_column(String(300), index=True)  # search
    deed: Mapped[str] = mapped_column(Text)
    happened_on: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(300))
    field: Mapped[str | None] = mapped_column(String(100))
    reported_by: Mapped[str] = mapped_column(String(100))
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def get(session: AsyncSession, report_id: str) -> GoodDeedReport | None:
    return await session.get(GoodDeedReport, report_id)


async def search(session: AsyncSession, *, unit_scope: str | None, filters: dict,
                 folded_name: str | None, limit: int,
                 offset: int) -> tuple[list[GoodDeedReport], int]:
    """Reports matching `filters` (None values ignored), latest deed first, and their count."""
    query = select(GoodDeedReport)
    if unit_scope is not None:
        query = query.where(GoodDeedReport.unit_id == unit_scope)
    for column, value in filters.items():
        if value is not None:
            query = query.where(getattr(GoodDeedReport, column) == value)
    if folded_name:
        query = query.where(GoodDeedReport.person_folded.contains(folded_name, autoescape=True))
    total = await session.execute(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(GoodDeedReport.happened_on.desc(), GoodDeedReport.reported_at.desc(),
                       GoodDeedReport.id).limit(limit).offset(offset))
    return list(rows.all()), total.scalar_one()
