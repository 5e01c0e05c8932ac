"""What freshness keeps: when each regular column was first watched, and which of its gaps
were announced as overdue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..store import Base
from ..stories.store import Story


class RegularColumn(Base):
    """A column the service watches: a column never published is quiet from this time."""

    __tablename__ = "regular_column"

    channel_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ColumnGap(Base):
    """A gap announced as overdue. The unique key makes the announcement once per gap,
    even when two checks (two replicas, or an operator's and the periodic one) race."""

    __tablename__ = "column_gap"
    __table_args__ = (UniqueConstraint("channel_id", "runs_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_id: Mapped[str] = mapped_column(String(100), index=True)
    runs_from: Mapped[datetime] = mapped_column(UtcDateTime)
    last_published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    max_gap_days: Mapped[int] = mapped_column(Integer)
    overdue_since: Mapped[datetime] = mapped_column(UtcDateTime)
    announced_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def last_published(session: AsyncSession, channel_ids: list[str]) -> dict[str, datetime]:
    """The last time something was published on each channel (a story taken down later
    still was published then)."""
    rows = await session.execute(
        select(Story.channel_id, func.max(Story.published_at))
        .where(Story.channel_id.in_(channel_ids), Story.published_at.is_not(None))
        .group_by(Story.channel_id))
    return {channel_id: at for channel_id, at in rows if at is not None}


async def first_seen(session: AsyncSession, channel_ids: list[str]) -> dict[str, datetime]:
    rows = await session.scalars(
        select(RegularColumn).where(RegularColumn.channel_id.in_(channel_ids)))
    return {row.channel_id: row.first_seen_at for row in rows}


async def announced(session: AsyncSession, channel_ids: list[str]) -> dict[str, ColumnGap]:
    """The latest announced gap of each channel."""
    latest = (select(ColumnGap.channel_id, func.max(ColumnGap.runs_from).label("runs_from"))
              .where(ColumnGap.channel_id.in_(channel_ids))
              .group_by(ColumnGap.channel_id).subquery())
    rows = await session.scalars(select(ColumnGap).join(
        latest, (ColumnGap.channel_id == latest.c.channel_id)
        & (ColumnGap.runs_from == latest.c.runs_from)))
    return {row.channel_id: row for row in rows}


async def gap_announced(session: AsyncSession, *, channel_id: str, runs_from: datetime) -> bool:
    found = await session.scalar(select(ColumnGap.id).where(
        ColumnGap.channel_id == channel_id, ColumnGap.runs_from == runs_from))
    return found is not None
