"""What the public may read: only stories published on a portal column, never a draft, an
approved or scheduled story, nor a withdrawn one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.profile import Channel, Profile

from ..stories.domain import St
from ..stories.store import Story

PORTAL_COLUMN = "portal_column"


def columns(profile: Profile) -> list[Channel]:
    return [c for c in profile.channels if c.kind == PORTAL_COLUMN]


def column(profile: Profile, channel_id: str) -> Channel | None:
    """The portal column, or None for an unknown channel or one that is not a column."""
    return next((c for c in columns(profile) if c.id == channel_id), None)


def _published(channel_id: str):
    return select(Story).where(Story.channel_id == channel_id, Story.status == St.published)


async def published_page(session: AsyncSession, *, channel_id: str, limit: int,
                         offset: int) -> tuple[list[Story], int]:
    """The column's published stories, newest first."""
    query = _published(channel_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Story.published_at.desc(), Story.id)
                                 .limit(limit).offset(offset))
    return list(rows), total or 0


async def last_change(session: AsyncSession, *, channel_id: str) -> datetime | None:
    """When the column last changed for the public: a story published or taken down."""
    published = await session.scalar(
        select(func.max(Story.published_at)).where(Story.channel_id == channel_id))
    withdrawn = await session.scalar(
        select(func.max(Story.withdrawn_at)).where(Story.channel_id == channel_id,
                                                   Story.published_at.is_not(None)))
    return max((t for t in (published, withdrawn) if t is not None), default=None)


async def story_on(session: AsyncSession, *, channel_id: str, story_id: str) -> Story | None:
    story = await session.get(Story, story_id)
    return story if story is not None and story.channel_id == channel_id else None
