"""Tables and queries of the review service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from exemplar.db import UtcDateTime, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class Case(Base):
    """The review of one revision of a nomination."""

    __tablename__ = "review_case"
    __table_args__ = (UniqueConstraint("nomination_id", "revision"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nomination_id: Mapped[str] = mapped_column(String(36), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[str] = mapped_column(String(100), index=True)
    unit_name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer, index=True)
    nominee_name: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(100))
    proposed_award: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), index=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def list_cases(session: AsyncSession, *, year: int | None, limit: int,
                     offset: int) -> list[Case]:
    query = select(Case).order_by(Case.opened_at.desc(), Case.id)
    if year is not None:
        query = query.where(Case.year == year)
    return list((await session.scalars(query.limit(limit).offset(offset))).all())
