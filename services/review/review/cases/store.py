"""The case table: one row per nomination, the latest revision's dossier as submitted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base
from .domain import ACTIVE


class Case(Base):
    """The review of a nomination. A resubmission (a higher revision) reopens the same case."""

    __tablename__ = "review_case"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nomination_id: Mapped[str] = mapped_column(String(36), unique=True)
    revision: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[str] = mapped_column(String(100), index=True)
    unit_name: Mapped[str] = mapped_column(String(300))
    unit_kind: Mapped[str] = mapped_column(String(40), server_default="")
    year: Mapped[int] = mapped_column(Integer, index=True)
    nominee: Mapped[dict[str, Any]] = mapped_column(JSON, server_default="{}")
    nominee_name: Mapped[str] = mapped_column(String(300))
    subject_id: Mapped[str | None] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(100))
    proposed_award: Mapped[str] = mapped_column(String(100))
    commendation_kind: Mapped[str] = mapped_column(String(20), server_default="regular")
    achievement_summary: Mapped[str] = mapped_column(Text, server_default="")
    claims: Mapped[list[dict[str, Any]]] = mapped_column(JSON, server_default="[]")
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, server_default="[]")
    documents: Mapped[list[str]] = mapped_column(JSON, server_default="[]")
    evidence_count: Mapped[int] = mapped_column(Integer, server_default="0")
    submitted_by: Mapped[str] = mapped_column(String(100), server_default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), index=True)
    stage_since: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    # Set by the stages as they happen:
    reasons: Mapped[list[str]] = mapped_column(JSON, server_default="[]")  # returned/rejected
    verified_claims: Mapped[list[str]] = mapped_column(JSON, server_default="[]")
    posting_id: Mapped[str | None] = mapped_column(String(36))
    council_result: Mapped[str | None] = mapped_column(String(10))  # passed / failed
    outcome: Mapped[str | None] = mapped_column(String(20))  # recognised/commended/rejected
    award: Mapped[str | None] = mapped_column(String(100))
    decision_id: Mapped[str | None] = mapped_column(String(36))
    fast_track: Mapped[bool] = mapped_column(Boolean, server_default="0")
    escalated_on: Mapped[date | None] = mapped_column(Date)
    escalated_award: Mapped[str | None] = mapped_column(String(100))
    # The W3C trace headers of the submission that opened it: the events about the case
    # continue that trace, whichever request moves it.
    trace_headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


async def lock(session: AsyncSession, case_ids: list[str]) -> None:
    """Take the row locks of several cases at once, in one order (PostgreSQL): a use case
    that moves many cases then never waits for a case row while holding the audit chain's
    lock, which another writer of that case could be waiting for."""
    if case_ids:
        await session.execute(select(Case.id).where(Case.id.in_(case_ids))
                              .order_by(Case.id).with_for_update())


async def get(session: AsyncSession, case_id: str) -> Case | None:
    return await session.get(Case, case_id)


async def by_nomination(session: AsyncSession, nomination_id: str) -> Case | None:
    return await session.scalar(select(Case).where(Case.nomination_id == nomination_id))


async def search(session: AsyncSession, *, unit_id: str | None, year: int | None,
                 status: str | None, award: str | None, limit: int,
                 offset: int) -> tuple[list[Case], int]:
    query = select(Case).where(Case.submitted_at.is_not(None))  # not a bare withdrawal
    for column, value in ((Case.unit_id, unit_id), (Case.year, year), (Case.status, status),
                          (Case.proposed_award, award)):
        if value is not None:
            query = query.where(column == value)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Case.opened_at.desc(), Case.id)
                                 .limit(limit).offset(offset))
    return list(rows), total or 0


async def overdue(session: AsyncSession, *, today: date, unit_id: str | None) -> list[Case]:
    query = select(Case).where(Case.status.in_(ACTIVE), Case.due_on < today)
    if unit_id is not None:
        query = query.where(Case.unit_id == unit_id)
    return list(await session.scalars(query.order_by(Case.due_on, Case.id)))
