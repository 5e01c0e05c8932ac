"""Deliveries of published stories to pages, and the log of every attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..store import Base
from ..stories.store import Story
from .domain import Ds


class Delivery(Base):
    """One story to one page: written with the publication, sent by the worker. Its id is
    the Idempotency-Key the receiver sees, the same on every attempt."""

    __tablename__ = "delivery"
    # A story is published once on its channel, so it is delivered once.
    __table_args__ = (UniqueConstraint("story_id"),
                      Index("ix_delivery_due", "status", "next_attempt_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("story.id"))
    channel_id: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    # When the worker may take it: now, a retry's time, or the end of an attempt in flight
    # (a worker that died mid-attempt leaves it to be taken again then).
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # why refused, skipped or failed
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class DeliveryAttempt(Base):
    __tablename__ = "delivery_attempt"
    __table_args__ = (UniqueConstraint("delivery_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("delivery.id"))
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_ms: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    retry_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # when the next comes


async def due(session: AsyncSession, *, at: datetime,
              limit: int) -> list[tuple[Delivery, Story]]:
    """Pending deliveries whose time has come, oldest first, with their stories; on
    PostgreSQL locked, skipping those another worker is taking."""
    query = (select(Delivery, Story).join(Story, Story.id == Delivery.story_id)
             .where(Delivery.status == Ds.pending, Delivery.next_attempt_at <= at)
             .order_by(Delivery.next_attempt_at, Delivery.id).limit(limit)
             .with_for_update(skip_locked=True, of=Delivery))
    return [(d, s) for d, s in (await session.execute(query)).all()]


async def get(session: AsyncSession, delivery_id: str) -> Delivery | None:
    return await session.get(Delivery, delivery_id)


async def attempts_of(session: AsyncSession, delivery_id: str) -> list[DeliveryAttempt]:
    return list(await session.scalars(
        select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == delivery_id)
        .order_by(DeliveryAttempt.number)))


async def search(session: AsyncSession, *, channels: frozenset[str] | None,
                 story_id: str | None, channel_id: str | None, status: str | None,
                 limit: int, offset: int) -> tuple[list[Delivery], int]:
    query = select(Delivery)
    if channels is not None:
        query = query.where(Delivery.channel_id.in_(sorted(channels)))
    for column, value in ((Delivery.story_id, story_id), (Delivery.channel_id, channel_id),
                          (Delivery.status, status)):
        if value is not None:
            query = query.where(column == value)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Delivery.created_at.desc(), Delivery.id)
                                 .limit(limit).offset(offset))
    return list(rows), total or 0
