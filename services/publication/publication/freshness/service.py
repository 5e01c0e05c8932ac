"""Use cases of column freshness: read the state of the regular columns, and check them,
announcing each overdue gap once (`column_overdue`, through the outbox)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.events import ColumnOverdueV1
from exemplar.profile import Channel, Profile
from exemplar.uow import UnitOfWork, now

from . import store
from .domain import Gap, gap_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ColumnState:
    channel: Channel
    last_published_at: datetime | None
    first_seen_at: datetime | None
    gap: Gap
    announced_at: datetime | None  # when this gap was announced as overdue, if it was


def regular_columns(profile: Profile, scope: frozenset[str] | None = None) -> list[Channel]:
    """The channels with a maximum gap, within `scope` (None: all)."""
    return [c for c in profile.channels
            if c.max_gap_days and (scope is None or c.id in scope)]


async def column_states(session: AsyncSession, *, columns: list[Channel],
                        at: datetime) -> list[ColumnState]:
    ids = [c.id for c in columns]
    published = await store.last_published(session, ids)
    seen = await store.first_seen(session, ids)
    gaps = await store.announced(session, ids)
    states = []
    for column in columns:
        gap = gap_of(max_gap_days=column.max_gap_days or 0, at=at,
                     last_published_at=published.get(column.id),
                     first_seen_at=seen.get(column.id))
        told = gaps.get(column.id)
        states.append(ColumnState(
            channel=column, last_published_at=published.get(column.id),
            first_seen_at=seen.get(column.id), gap=gap,
            announced_at=told.announced_at if told and told.runs_from == gap.runs_from
            else None))
    return states


async def list_columns(uow: UnitOfWork, *, profile: Profile, scope: frozenset[str] | None,
                       overdue_only: bool = False) -> list[ColumnState]:
    states = await column_states(uow.session, columns=regular_columns(profile, scope),
                                 at=now())
    return [s for s in states if s.gap.overdue or not overdue_only]


async def watch_columns(uow: UnitOfWork, *, columns: list[Channel]) -> int:
    """Record the first sight of each column not yet watched; its gap runs from now."""
    seen = await store.first_seen(uow.session, [c.id for c in columns])
    at = now()
    missing = [store.RegularColumn(channel_id=c.id, first_seen_at=at)
               for c in columns if c.id not in seen]
    if not missing:
        return 0
    uow.session.add_all(missing)
    try:
        await uow.commit()
    except IntegrityError:  # a concurrent check watched them first: their time stands
        log.info("columns already watched")
        return 0
    return len(missing)


async def announce_overdue(uow: UnitOfWork, *, column: Channel) -> ColumnState | None:
    """Announce the column's current gap if it is overdue and not yet announced; the record
    and the event share one transaction. Read again here: a story published since the
    listing closes the gap."""
    [state] = await column_states(uow.session, columns=[column], at=now())
    gap = state.gap
    if not gap.overdue or await store.gap_announced(
            uow.session, channel_id=column.id, runs_from=gap.runs_from):
        return None
    at = now()
    uow.session.add(store.ColumnGap(
        channel_id=column.id, runs_from=gap.runs_from, last_published_at=state.last_published_at,
        max_gap_days=column.max_gap_days or 0, overdue_since=gap.overdue_since,
        announced_at=at))
    uow.stage(ColumnOverdueV1(
        channel_id=column.id, channel_name=column.name, max_gap_days=column.max_gap_days or 0,
        last_published_at=state.last_published_at, overdue_since=gap.overdue_since),
        subject=column.id)
    try:
        await uow.commit()
    except IntegrityError:  # a concurrent check announced this gap: once is enough
        log.info("gap already announced", extra={"channel_id": column.id})
        return None
    return ColumnState(channel=column, last_published_at=state.last_published_at,
                       first_seen_at=state.first_seen_at, gap=gap, announced_at=at)


async def check_columns(*, open_uow: Callable[[], UnitOfWork],
                        profile: Profile) -> list[ColumnState]:
    """Watch every column, then announce each overdue gap not yet announced, one
    transaction per column so one column's conflict never holds up another's."""
    columns = regular_columns(profile)
    async with open_uow() as uow:
        await watch_columns(uow, columns=columns)
    async with open_uow() as uow:
        states = await column_states(uow.session, columns=columns, at=now())
    announced = []
    for state in states:
        if not state.gap.overdue or state.announced_at is not None:
            continue
        async with open_uow() as uow:
            done = await announce_overdue(uow, column=state.channel)
        if done is not None:
            announced.append(done)
    return announced
