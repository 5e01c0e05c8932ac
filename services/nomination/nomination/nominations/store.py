"""Tables and queries of nominations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base


class Nomination(Base):
    """An đề nghị khen thưởng: who, for what, under which criteria, and where it stands."""

    __tablename__ = "nomination"
    __table_args__ = (Index("ix_nomination_unit_year_status", "unit_id", "year", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100))
    unit_name: Mapped[str] = mapped_column(String(300))
    unit_kind: Mapped[str] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer, index=True)
    nominee_kind: Mapped[str] = mapped_column(String(20))
    nominee: Mapped[dict] = mapped_column(JSON)
    nominee_name: Mapped[str] = mapped_column(String(300))
    nominee_folded: Mapped[str] = mapped_column(String(300), index=True)  # search
    subject_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("subject.id"))
    field: Mapped[str] = mapped_column(String(100))
    proposed_award: Mapped[str] = mapped_column(String(100))
    commendation_kind: Mapped[str] = mapped_column(String(20))
    movement_id: Mapped[str | None] = mapped_column(String(36), index=True)
    prospect_id: Mapped[str | None] = mapped_column(String(36))
    criteria_set_id: Mapped[str | None] = mapped_column(String(36))
    criteria_version: Mapped[int | None] = mapped_column(Integer)
    achievement_summary: Mapped[str] = mapped_column(Text)
    claims: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)  # 0 until first submitted
    version: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(20), default="form")  # form, list, prospect
    list_id: Mapped[str | None] = mapped_column(String(36), index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # What review said: reasons for a return, the decision, escalation, revocation.
    review_reasons: Mapped[list] = mapped_column(JSON, default=list)
    decision: Mapped[dict | None] = mapped_column(JSON)
    escalation: Mapped[dict | None] = mapped_column(JSON)
    revocation: Mapped[dict | None] = mapped_column(JSON)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    # The W3C trace headers of the first submission: a resubmission and a withdrawal
    # continue that trace, so one trace follows the nomination.
    trace_headers: Mapped[dict[str, str] | None] = mapped_column(JSON)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class IdempotencyKey(Base):
    """A retried command (same user, same key) answers with what the first one did."""

    __tablename__ = "idempotency_key"

    user_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    operation: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    nomination_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def get(session: AsyncSession, nomination_id: str) -> Nomination | None:
    return await session.get(Nomination, nomination_id)


async def search(session: AsyncSession, *, unit_id: str | None, own_unit: str | None,
                 filters: dict, folded_name: str | None, limit: int,
                 offset: int) -> tuple[list[Nomination], int]:
    """Nominations matching `filters`; what was never submitted is seen by its unit only."""
    query = select(Nomination)
    if unit_id is not None:
        query = query.where(Nomination.unit_id == unit_id)
    if own_unit is None:  # wide readers: what was ever submitted, never a unit's draft
        query = query.where(Nomination.revision > 0)
    else:
        query = query.where(Nomination.unit_id == own_unit)
    for column, value in filters.items():
        if value is not None:
            query = query.where(getattr(Nomination, column) == value)
    if folded_name:
        query = query.where(Nomination.nominee_folded.contains(folded_name, autoescape=True))
    total = (await session.execute(select(func.count()).select_from(query.subquery())))
    rows = await session.scalars(query.order_by(Nomination.created_at.desc(), Nomination.id)
                                 .limit(limit).offset(offset))
    return list(rows.all()), total.scalar_one()


async def idempotent(session: AsyncSession, user_id: str, key: str) -> IdempotencyKey | None:
    return await session.get(IdempotencyKey, (user_id, key))
