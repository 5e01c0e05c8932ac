"""Tables and queries of the nomination service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from exemplar.db import UtcDateTime, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class Nomination(Base):
    __tablename__ = "nomination"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100), index=True)
    unit_name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer, index=True)
    nominee: Mapped[dict] = mapped_column(JSON)
    nominee_name: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(100))
    proposed_award: Mapped[str] = mapped_column(String(100))
    commendation_kind: Mapped[str] = mapped_column(String(20))
    achievement_summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


async def get(session: AsyncSession, nomination_id: str) -> Nomination | None:
    return await session.get(Nomination, nomination_id)


async def list_visible(session: AsyncSession, *, unit_id: str | None, year: int | None,
                       limit: int, offset: int) -> list[Nomination]:
    query = select(Nomination).order_by(Nomination.created_at.desc(), Nomination.id)
    if unit_id is not None:
        query = query.where(Nomination.unit_id == unit_id)
    if year is not None:
        query = query.where(Nomination.year == year)
    return list((await session.scalars(query.limit(limit).offset(offset))).all())
