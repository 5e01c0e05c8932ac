"""Persistent subjects (a person, collective or household across years) and their
commendation history, filled from review decisions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base


class Subject(Base):
    __tablename__ = "subject"
    __table_args__ = (Index("ix_subject_identity", "unit_id", "kind", "name_folded",
                            "birth_year"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SubjectAward(Base):
    """One title or award form a subject received (or lost by revocation)."""

    __tablename__ = "subject_award"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject_id: Mapped[str] = mapped_column(String(36), ForeignKey("subject.id"), index=True)
    nomination_id: Mapped[str] = mapped_column(String(36), index=True)
    year: Mapped[int] = mapped_column(Integer)
    award: Mapped[str] = mapped_column(String(100))
    award_name: Mapped[str | None] = mapped_column(String(300))
    decision_number: Mapped[str | None] = mapped_column(String(100))
    decided_on: Mapped[date | None] = mapped_column(Date)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


async def find(session: AsyncSession, *, unit_id: str, kind: str, name_folded: str,
               birth_year: int | None) -> Subject | None:
    query = select(Subject).where(Subject.unit_id == unit_id, Subject.kind == kind,
                                  Subject.name_folded == name_folded,
                                  Subject.birth_year.is_(birth_year) if birth_year is None
                                  else Subject.birth_year == birth_year)
    return (await session.scalars(query.limit(1))).first()


async def history(session: AsyncSession, subject_id: str) -> list[SubjectAward]:
    rows = await session.scalars(select(SubjectAward).where(SubjectAward.subject_id == subject_id)
                                 .order_by(SubjectAward.year, SubjectAward.decided_on))
    return list(rows.all())
