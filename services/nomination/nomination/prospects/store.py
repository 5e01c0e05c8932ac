"""Tables and queries of prospects (nhân tố mới) and their nurturing log (bồi dưỡng)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base


class Prospect(Base):
    """A new factor a unit nurtures until it is ready to be nominated."""

    __tablename__ = "prospect"
    __table_args__ = (Index("ix_prospect_unit_year_status", "unit_id", "year", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100))
    unit_name: Mapped[str] = mapped_column(String(300))
    subject: Mapped[dict] = mapped_column(JSON)  # kind, name, gender, birth_year, …
    subject_id: Mapped[str] = mapped_column(String(36), ForeignKey("subject.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300), index=True)  # search
    field: Mapped[str] = mapped_column(String(100))
    what: Mapped[str] = mapped_column(Text)  # the achievement or initiative
    why: Mapped[str] = mapped_column(Text)  # why it is promising
    movement_id: Mapped[str | None] = mapped_column(String(36), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # nurturing, promoted, dropped
    drop_reason: Mapped[str | None] = mapped_column(Text)
    nomination_id: Mapped[str | None] = mapped_column(String(36))
    registered_by: Mapped[str] = mapped_column(String(100))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(100))  # who promoted or dropped it
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class NurtureEntry(Base):
    """One line of the nurturing log: support given, a shortcoming, or progress."""

    __tablename__ = "nurture_entry"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    prospect_id: Mapped[str] = mapped_column(String(36), ForeignKey("prospect.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def get(session: AsyncSession, prospect_id: str) -> Prospect | None:
    return await session.get(Prospect, prospect_id)


async def log(session: AsyncSession, prospect_id: str) -> list[NurtureEntry]:
    """The log in date order; entries of the same day in the order they were written."""
    rows = await session.scalars(
        select(NurtureEntry).where(NurtureEntry.prospect_id == prospect_id)
        .order_by(NurtureEntry.on, NurtureEntry.created_at, NurtureEntry.id))
    return list(rows.all())


async def search(session: AsyncSession, *, unit_scope: str | None, filters: dict,
                 folded_name: str | None, limit: int,
                 offset: int) -> tuple[list[Prospect], int]:
    """Prospects matching `filters` (None values ignored), newest first, and their count."""
    query = select(Prospect)
    if unit_scope is not None:
        query = query.where(Prospect.unit_id == unit_scope)
    for column, value in filters.items():
        if value is not None:
            query = query.where(getattr(Prospect, column) == value)
    if folded_name:
        query = query.where(Prospect.name_folded.contains(folded_name, autoescape=True))
    total = await session.execute(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Prospect.registered_at.desc(), Prospect.id)
                                 .limit(limit).offset(offset))
    return list(rows.all()), total.scalar_one()
