"""The story table: one story per channel and source (a decision, an escalation, a deed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..store import Base


class Story(Base):
    __tablename__ = "story"
    # The same event delivered twice finds its story here and drafts nothing more.
    __table_args__ = (UniqueConstraint("channel_id", "source", "source_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(100), index=True)
    channel_kind: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20))  # decided / escalated / good_deed
    source_id: Mapped[str] = mapped_column(String(36))  # the nomination or the report
    nomination_id: Mapped[str | None] = mapped_column(String(36), index=True)
    good_deed_id: Mapped[str | None] = mapped_column(String(36))
    unit_id: Mapped[str] = mapped_column(String(100), index=True)
    unit_name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer, index=True)
    field: Mapped[str | None] = mapped_column(String(100))
    nominee: Mapped[dict[str, Any]] = mapped_column(JSON)
    award_name: Mapped[str | None] = mapped_column(String(300))
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    claims: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    scheduled_for: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    url: Mapped[str | None] = mapped_column(String(500))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    # The W3C trace headers of the event it was drafted from: publishing it, a request of
    # its own, continues that trace (for a decision, the nomination's).
    trace_headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


async def get(session: AsyncSession, story_id: str) -> Story | None:
    return await session.get(Story, story_id)


async def by_source(session: AsyncSession, *, source: str, source_id: str) -> list[Story]:
    return list(await session.scalars(
        select(Story).where(Story.source == source, Story.source_id == source_id)))


async def of_nomination(session: AsyncSession, nomination_id: str) -> list[Story]:
    return list(await session.scalars(
        select(Story).where(Story.nomination_id == nomination_id).order_by(Story.id)
        .with_for_update()))


async def search(session: AsyncSession, *, channels: frozenset[str] | None,
                 channel_id: str | None, status: str | None, nomination_id: str | None,
                 year: int | None, limit: int, offset: int) -> tuple[list[Story], int]:
    query = select(Story)
    if channels is not None:
        query = query.where(Story.channel_id.in_(sorted(channels)))
    for column, value in ((Story.channel_id, channel_id), (Story.status, status),
                          (Story.nomination_id, nomination_id), (Story.year, year)):
        if value is not None:
            query = query.where(column == value)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Story.created_at.desc(), Story.id)
                                 .limit(limit).offset(offset))
    return list(rows), total or 0


class RevokedNomination(Base):
    """A revoked decision, kept so that its `decided` or `escalated` arriving late (the
    events travel on separate consumers) drafts nothing."""

    __tablename__ = "revoked_nomination"

    nomination_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    revoked_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def revocation(session: AsyncSession, nomination_id: str) -> RevokedNomination | None:
    return await session.get(RevokedNomination, nomination_id)


async def is_revoked(session: AsyncSession, nomination_id: str) -> bool:
    return await revocation(session, nomination_id) is not None
