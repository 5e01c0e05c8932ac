"""The exchange table: exchange meetings and honouring ceremonies, scheduled then recorded."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..store import Base
from ..stories.store import Story
from .domain import PRESENTABLE, Status


class Exchange(Base):
    __tablename__ = "exchange"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[date] = mapped_column(Date, index=True)  # planned, then the actual day
    planned_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300))
    audience: Mapped[str] = mapped_column(String(300))
    channel_id: Mapped[str | None] = mapped_column(String(100), index=True)
    # Each exemplar as its story presents it: nomination, nominee, unit, award.
    exemplars: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Exemplars taken off because their decision was revoked: who, why, when.
    removed: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    occasion_kind: Mapped[str | None] = mapped_column(String(30))
    occasion_name: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), index=True)
    held: Mapped[bool | None] = mapped_column(Boolean)
    attendance: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


async def get(session: AsyncSession, exchange_id: str, *,
              for_update: bool = False) -> Exchange | None:
    return await session.get(Exchange, exchange_id, with_for_update=for_update or None)


async def scheduled_presenting(session: AsyncSession, nomination_id: str) -> list[Exchange]:
    """Meetings not yet recorded that present the exemplar, locked. The text of the JSON
    narrows them down in the database; the list itself decides."""
    rows = await session.scalars(
        select(Exchange).where(Exchange.status == Status.scheduled,
                               cast(Exchange.exemplars, Text).contains(nomination_id,
                                                                       autoescape=True))
        .order_by(Exchange.id).with_for_update())
    return [e for e in rows
            if any(x.get("nomination_id") == nomination_id for x in e.exemplars)]


async def search(session: AsyncSession, *, channels: frozenset[str] | None,
                 filters: dict[str, Any], year: int | None, limit: int,
                 offset: int) -> tuple[list[Exchange], int]:
    query = select(Exchange)
    if channels is not None:
        query = query.where(Exchange.channel_id.in_(sorted(channels)))
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(Exchange, name) == value)
    if year is not None:
        query = query.where(Exchange.held_on.between(date(year, 1, 1), date(year, 12, 31)))
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Exchange.held_on.desc(), Exchange.id)
                                 .limit(limit).offset(offset))
    return list(rows), total or 0


async def presentable_stories(session: AsyncSession,
                              nomination_ids: list[str]) -> dict[str, Story]:
    """For each nomination, a story checked against its decision (published first)."""
    rows = await session.scalars(
        select(Story).where(Story.nomination_id.in_(nomination_ids),
                            Story.status.in_(PRESENTABLE))
        .order_by(Story.published_at.is_(None), Story.created_at))
    found: dict[str, Story] = {}
    for story in rows:
        found.setdefault(story.nomination_id or "", story)
    return found
