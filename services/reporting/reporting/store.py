"""Read models of the reporting service, built only from events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from exemplar.db import UtcDateTime, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class NominationFact(Base):
    """One row per nomination (not per revision), as the yearly counts need it."""

    __tablename__ = "nomination_fact"

    nomination_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100))
    unit_name: Mapped[str] = mapped_column(String(300))
    unit_kind: Mapped[str] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_nomination_fact_year_unit", "year", "unit_id"),)



async def submitted_per_unit(session: AsyncSession, *, year: int,
                             unit_id: str | None = None) -> list[tuple[str, str, int]]:
    query = (select(NominationFact.unit_id, NominationFact.unit_name, func.count())
             .where(NominationFact.year == year)
             .group_by(NominationFact.unit_id, NominationFact.unit_name)
             .order_by(NominationFact.unit_id))
    if unit_id is not None:
        query = query.where(NominationFact.unit_id == unit_id)
    return [tuple(row) for row in (await session.execute(query)).all()]
