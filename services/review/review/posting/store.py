"""Public postings of the case list, and the feedback the public sends about them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base

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
