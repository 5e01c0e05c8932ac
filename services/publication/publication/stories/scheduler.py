"""Scheduled stories go out when their time comes: published by "scheduler", with their
`published` event and, on a page's channel, their delivery, each batch in one transaction.
A story whose decision was revoked meanwhile is withdrawn instead.

On PostgreSQL the due stories are locked with SKIP LOCKED, so replicas share the work and a
story is published once; an editor who changes a story meanwhile loses the race on its
version (412) or wins it, and the scheduler takes the story next round if still due."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from exemplar.runtime import Runtime
from exemplar.uow import now

from . import workflow
from .api import story_url
from .domain import St
from .store import Story

log = logging.getLogger(__name__)
BATCH = 100


async def due(session: AsyncSession, *, at: datetime, limit: int) -> list[Story]:
    return list(await session.scalars(
        select(Story).where(Story.status == St.scheduled, Story.scheduled_for <= at)
        .order_by(Story.scheduled_for, Story.id).limit(limit)
        .with_for_update(skip_locked=True)))


async def publish_due(runtime: Runtime) -> int:
    """Publish every story whose scheduled time has passed; returns how many."""
    published = 0
    while True:
        try:
            async with runtime.uow() as uow:
                stories = await due(uow.session, at=now(), limit=BATCH)
                batch = 0
                for story in stories:
                    if await workflow.withdrawn_if_revoked(uow, story):
                        continue
                    workflow.mark_published(uow, story, actor="scheduler",
                                            url=story_url(runtime, story))
                    batch += 1
                await uow.commit()
            published += batch
        except StaleDataError:
            # Without row locks (SQLite) an editor may have changed one of them meanwhile:
            # the batch is rolled back and the next round reads them again.
            log.info("scheduled stories changed meanwhile; next round")
            return published
        if len(stories) < BATCH:
            return published
