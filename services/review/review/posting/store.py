"""Public postings of the case list, and the feedback the public sends about them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..cases.store import Case
from ..db import Base
from .domain import HIDDEN

# A complaint blocks the decision on its case until it is resolved or rejected as unfounded
# by moderation: one not yet moderated blocks too.
OPEN_COMPLAINT = ("pending", "accepted")


class Posting(Base):
    """A window in which a list of appraised cases is on the public page."""

    __tablename__ = "posting"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)  # last day feedback is taken, inclusive
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Feedback(Base):
    """What a member of the public sent: a comment or a complaint, moderated by the office."""

    __tablename__ = "feedback"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    posting_id: Mapped[str] = mapped_column(String(36), ForeignKey("posting.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # comment / complaint
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    client: Mapped[str] = mapped_column(String(64), index=True)  # a hash, for rate limiting
    # pending → accepted or rejected by moderation; an accepted complaint → resolved
    status: Mapped[str] = mapped_column(String(20), index=True)
    moderation_note: Mapped[str | None] = mapped_column(Text)
    moderated_by: Mapped[str | None] = mapped_column(String(100))
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


async def open_complaints(session: AsyncSession, case_ids: list[str]) -> dict[str, int]:
    """Case id → how many complaints about it are still open (only cases that have any)."""
    if not case_ids:
        return {}
    rows = await session.execute(
        select(Feedback.case_id, func.count()).where(
            Feedback.case_id.in_(case_ids), Feedback.kind == "complaint",
            Feedback.status.in_(OPEN_COMPLAINT)).group_by(Feedback.case_id))
    return {case_id: n for case_id, n in rows.all()}


# -- queries -----------------------------------------------------------------------------------

async def get_posting(session: AsyncSession, posting_id: str) -> Posting | None:
    return await session.get(Posting, posting_id)


async def postings(session: AsyncSession, *, limit: int,
                   offset: int) -> tuple[list[Posting], int]:
    total = await session.scalar(select(func.count()).select_from(Posting))
    rows = await session.scalars(select(Posting).order_by(
        Posting.opens_on.desc(), Posting.created_at.desc()).limit(limit).offset(offset))
    return list(rows), total or 0


async def public_postings(session: AsyncSession, *, today: date,
                          closed_since: date) -> list[Posting]:
    """Postings already open whose window has not closed before `closed_since`."""
    rows = await session.scalars(select(Posting).where(
        Posting.opens_on <= today, Posting.closes_on >= closed_since)
        .order_by(Posting.opens_on.desc(), Posting.created_at.desc()))
    return list(rows)


async def cases_of(session: AsyncSession, posting_id: str, *,
                   public: bool = False) -> list[Case]:
    """The cases a posting lists; `public`: only those still proposed (not withdrawn)."""
    query = select(Case).where(Case.posting_id == posting_id)
    if public:
        query = query.where(Case.status.not_in(HIDDEN))
    return list(await session.scalars(query.order_by(Case.unit_name, Case.nominee_name,
                                                     Case.id)))


async def case_counts(session: AsyncSession, posting_ids: list[str], *,
                      public: bool = False) -> dict[str, int]:
    if not posting_ids:
        return {}
    query = select(Case.posting_id, func.count()).where(Case.posting_id.in_(posting_ids))
    if public:
        query = query.where(Case.status.not_in(HIDDEN))
    rows = await session.execute(query.group_by(Case.posting_id))
    return {posting_id: n for posting_id, n in rows.all()}


async def get_feedback(session: AsyncSession, feedback_id: str) -> Feedback | None:
    return await session.get(Feedback, feedback_id)


async def feedback_about(session: AsyncSession, *, posting_id: str | None = None,
                         case_id: str | None = None, kind: str | None = None,
                         status: str | None = None) -> list[Feedback]:
    query = select(Feedback)
    for column, value in ((Feedback.posting_id, posting_id), (Feedback.case_id, case_id),
                          (Feedback.kind, kind), (Feedback.status, status)):
        if value is not None:
            query = query.where(column == value)
    return list(await session.scalars(query.order_by(Feedback.created_at, Feedback.id)))


async def sent_since(session: AsyncSession, client: str,
                     since: datetime) -> tuple[int, datetime | None]:
    """How much feedback `client` sent since `since`, and when the earliest of it came."""
    row = (await session.execute(
        select(func.count(), func.min(Feedback.created_at))
        .where(Feedback.client == client, Feedback.created_at > since))).one()
    return row[0], row[1]
