"""Decisions of the chair and the nominations each lists (its annex).

A commendation decision is prepared pending and applied at once; a revocation decision is
signed and applied in one step and names the case it revokes. The number is unique across
both kinds: the register of the chair's decisions has one sequence."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base

COMMENDATION, REVOCATION = "commendation", "revocation"
PENDING, APPLIED = "pending", "applied"


class Decision(Base):
    __tablename__ = "decision"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # commendation / revocation
    number: Mapped[str] = mapped_column(String(50), unique=True)
    signed_on: Mapped[date] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(200))
    signer_title: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending / applied
    fast_track: Mapped[bool] = mapped_column(Boolean, server_default="0")
    # A revocation: the case and the decision it revokes, and why.
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    revokes_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str | None] = mapped_column(Text)
    prepared_by: Mapped[str] = mapped_column(String(100))
    prepared_at: Mapped[datetime] = mapped_column(UtcDateTime)
    applied_by: Mapped[str | None] = mapped_column(String(100))
    applied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class DecisionItem(Base):
    """One nomination in a decision's annex: granted (with its award) or rejected."""

    __tablename__ = "decision_item"

    decision_id: Mapped[str] = mapped_column(String(36), ForeignKey("decision.id"),
                                             primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)  # the annex's order, from 1
    grant: Mapped[bool] = mapped_column(Boolean)
    award: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(20))  # recognised / commended / rejected
    reasons: Mapped[list[str]] = mapped_column(JSON, server_default="[]")


async def get(session: AsyncSession, decision_id: str) -> Decision | None:
    return await session.get(Decision, decision_id)


async def number_taken(session: AsyncSession, number: str) -> bool:
    return await session.scalar(select(Decision.id).where(Decision.number == number)) is not None


async def items_of(session: AsyncSession, decision_id: str) -> list[DecisionItem]:
    return list(await session.scalars(
        select(DecisionItem).where(DecisionItem.decision_id == decision_id)
        .order_by(DecisionItem.position)))


async def pending_elsewhere(session: AsyncSession, case_ids: list[str]) -> dict[str, str]:
    """Case id → number of a pending decision that already lists it."""
    if not case_ids:
        return {}
    query = (select(DecisionItem.case_id, Decision.number)
             .join(Decision, Decision.id == DecisionItem.decision_id)
             .where(Decision.status == PENDING, DecisionItem.case_id.in_(case_ids)))
    return {case_id: number for case_id, number in (await session.execute(query)).all()}


async def drop(session: AsyncSession, decision: Decision) -> None:
    """A pending decision withdrawn before signing: its items, then itself."""
    await session.execute(delete(DecisionItem).where(DecisionItem.decision_id == decision.id))
    await session.delete(decision)


async def search(session: AsyncSession, *, kind: str | None, status: str | None, limit: int,
                 offset: int) -> tuple[list[tuple[Decision, int, int]], int]:
    """Decisions, the latest signed first, each with how many it grants and rejects."""
    query = select(Decision)
    for column, value in ((Decision.kind, kind), (Decision.status, status)):
        if value is not None:
            query = query.where(column == value)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    decisions = list(await session.scalars(
        query.order_by(Decision.signed_on.desc(), Decision.prepared_at.desc(), Decision.id)
        .limit(limit).offset(offset)))
    counts: dict[tuple[str, bool], int] = {}
    if decisions:
        rows = await session.execute(
            select(DecisionItem.decision_id, DecisionItem.grant, func.count())
            .where(DecisionItem.decision_id.in_([d.id for d in decisions]))
            .group_by(DecisionItem.decision_id, DecisionItem.grant))
        counts = {(d, bool(g)): n for d, g, n in rows.all()}
    return [(d, counts.get((d.id, True), 0), counts.get((d.id, False), 0))
            for d in decisions], total


async def granting(session: AsyncSession, case_id: str,
                   decision_id: str) -> Decision | None:
    """The applied commendation decision that granted the case its award."""
    return await session.scalar(
        select(Decision).join(DecisionItem, DecisionItem.decision_id == Decision.id)
        .where(Decision.id == decision_id, Decision.status == APPLIED,
               DecisionItem.case_id == case_id, DecisionItem.grant.is_(True)))
