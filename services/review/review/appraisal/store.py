"""The appraisal table, and the queries the eligibility rules and the ranking run on cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..cases.domain import PENDING_OR_GRANTED
from ..cases.store import Case
from ..db import Base
from ..posting.store import open_complaints
from .domain import fold


class Appraisal(Base):
    """One appraisal of one revision of a case: what the office found, and what it decided."""

    __tablename__ = "appraisal"
    # A revision is appraised once: two officers racing on it cannot both win.
    __table_args__ = (UniqueConstraint("case_id", "revision"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # Looked up by case: the unique key below starts with it, so it needs no index of its own.
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("review_case.id"))
    revision: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20))  # returned / appraised
    # [{achievement, text, verdict: verified|unverified|overstated, note}]
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # {disciplined, under_investigation, members_holding}: what the decision checks again
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    problems: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # [{rule, message}]
    reasons: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    appraised_by: Mapped[str] = mapped_column(String(100))
    appraised_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def latest(session: AsyncSession, case_id: str) -> Appraisal | None:
    return await session.scalar(
        select(Appraisal).where(Appraisal.case_id == case_id)
        .order_by(Appraisal.revision.desc(), Appraisal.appraised_at.desc()).limit(1))


async def of_case(session: AsyncSession, case_id: str) -> list[Appraisal]:
    return list(await session.scalars(
        select(Appraisal).where(Appraisal.case_id == case_id)
        .order_by(Appraisal.revision, Appraisal.appraised_at)))


async def subject_cases(session: AsyncSession, case: Case, *, years: range) -> list[Case]:
    """The subject's other cases in `years`: by subject id, or without one, by unit and the
    nominee's name with diacritics folded (a person nominated before subjects were kept)."""
    query = select(Case).where(Case.id != case.id, Case.year.in_(list(years)))
    if case.subject_id:
        return list(await session.scalars(query.where(Case.subject_id == case.subject_id)))
    name = fold(case.nominee_name)
    rows = await session.scalars(query.where(Case.unit_id == case.unit_id))
    return [c for c in rows if fold(c.nominee_name) == name]


def _counting(unit_id: str, year: int):
    """Cases still counting toward a unit's year: pending or granted, never rejected."""
    return (Case.unit_id == unit_id, Case.year == year, Case.status.in_(PENDING_OR_GRANTED),
            or_(Case.outcome.is_(None), Case.outcome != "rejected"))


def _for_award(award: str):
    # A granted case counts for what it was granted; a pending one for what it proposes.
    return func.coalesce(Case.award, Case.proposed_award) == award


async def count_for_award(session: AsyncSession, *, unit_id: str, year: int,
                          award: str) -> int:
    query = select(func.count()).select_from(Case).where(*_counting(unit_id, year),
                                                         _for_award(award))
    return await session.scalar(query) or 0


async def candidates(session: AsyncSession, *, unit_id: str, year: int,
                     award: str) -> list[Case]:
    return list(await session.scalars(
        select(Case).where(*_counting(unit_id, year), _for_award(award))))


async def open_complaint_count(session: AsyncSession, case_id: str) -> int:
    return (await open_complaints(session, [case_id])).get(case_id, 0)
