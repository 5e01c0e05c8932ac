"""Deliveries of published stories to pages, and the log of every attempt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..store import Base
from ..stories.store import Story
from .domain import Action, Ds


class Delivery(Base):
    """One message about a story to one page: the story published (written with the
    publication) or its retraction (written with the withdrawal), sent by the worker. Its id
    is the Idempotency-Key the receiver sees, the same on every attempt."""

    __tablename__ = "delivery"
    # A story is published once on its channel and withdrawn at most once after.
    __table_args__ = (UniqueConstraint("story_id", "action"),
                      Index("ix_delivery_due", "status", "next_attempt_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("story.id"))
    action: Mapped[str] = mapped_column(String(20))  # Action: published or withdrawn
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


async def due(session: AsyncSession, *, at: datetime, limit: int,
              allowance: Callable[[Any], Any]) -> list[tuple[Delivery, Story]]:
    """Pending deliveries whose time has come, oldest first, with their stories, at most
    `allowance(channel_id column)` of each channel; on PostgreSQL locked, skipping those
    another worker is taking. The per-channel count is a window in a subquery, since
    PostgreSQL locks no rows of a query with a window function."""
    waiting = (Delivery.status == Ds.pending, Delivery.next_attempt_at <= at)
    ranked = select(Delivery.id, Delivery.channel_id, func.row_number().over(
        partition_by=Delivery.channel_id,
        order_by=(Delivery.next_attempt_at, Delivery.id)).label("rank")).where(
        *waiting).subquery()
    eligible = select(ranked.c.id).where(ranked.c.rank <= allowance(ranked.c.channel_id))
    query = (select(Delivery, Story).join(Story, Story.id == Delivery.story_id)
             .where(*waiting, Delivery.id.in_(eligible))
             .order_by(Delivery.next_attempt_at, Delivery.id).limit(limit)
             .with_for_update(skip_locked=True, of=Delivery))
    return [(d, s) for d, s in (await session.execute(query)).all()]


@dataclass(frozen=True)
class Publication:
    """What became of a story's publishing delivery, as a retraction needs to know."""

    delivery: Delivery | None  # None: never written, or held by another worker (`busy`)
    logged: int  # attempts logged; fewer than the delivery counts means one is in flight
    busy: bool  # another worker is taking it now (PostgreSQL)


async def publications_of(session: AsyncSession,
                          story_ids: list[str]) -> dict[str, Publication]:
    """Each story's publishing delivery, locked and read afresh, so a retraction may settle
    it; one another worker holds is left alone and reported busy."""
    if not story_ids:
        return {}
    of_stories = (Delivery.story_id.in_(story_ids), Delivery.action == Action.published)
    locked = {d.story_id: d for d in await session.scalars(
        select(Delivery).where(*of_stories).with_for_update(skip_locked=True)
        .execution_options(populate_existing=True))}
    busy = set(await session.scalars(
        select(Delivery.story_id).where(*of_stories, Delivery.story_id.not_in(list(locked)))))
    logged = dict((await session.execute(
        select(DeliveryAttempt.delivery_id, func.count())
        .where(DeliveryAttempt.delivery_id.in_([d.id for d in locked.values()]))
        .group_by(DeliveryAttempt.delivery_id))).tuples().all())
    return {story: Publication(delivery=locked.get(story),
                               logged=logged.get(locked[story].id, 0) if story in locked else 0,
                               busy=story in busy)
            for story in story_ids}


async def get(session: AsyncSession, delivery_id: str) -> Delivery | None:
    return await session.get(Delivery, delivery_id)


async def attempts_of(session: AsyncSession, delivery_id: str) -> list[DeliveryAttempt]:
    return list(await session.scalars(
        select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == delivery_id)
        .order_by(DeliveryAttempt.number)))


async def search(session: AsyncSession, *, channels: frozenset[str] | None,
                 story_id: str | None, channel_id: str | None, status: str | None,
                 action: str | None, limit: int, offset: int) -> tuple[list[Delivery], int]:
    query = select(Delivery)
    if channels is not None:
        query = query.where(Delivery.channel_id.in_(sorted(channels)))
    for column, value in ((Delivery.story_id, story_id), (Delivery.channel_id, channel_id),
                          (Delivery.status, status), (Delivery.action, action)):
        if value is not None:
            query = query.where(column == value)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Delivery.created_at.desc(), Delivery.id)
                                 .limit(limit).offset(offset))
    return list(rows), total or 0
