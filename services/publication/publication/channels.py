"""The channels of the profile as editors and the office see them: what each carries (its
subscription rule), who edits it, and how many of its stories are at each stage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel
from sqlalchemy import func, select

from exemplar.errors import NotFound
from exemplar.profile import Channel, Profile
from exemplar.runtime import RuntimeDep, Uow
from exemplar.text import ID_PATTERN

from .access import Reader, channel_scope
from .stories.store import Story

router = APIRouter(prefix="/channels", tags=["channels"])


class ChannelRead(BaseModel):
    id: str
    name: str
    kind: str
    unit_id: str
    unit_name: str
    units: list[str] | str  # "all", or the units (and those below them) it carries
    fields: list[str] | str
    events: list[str]
    editors: list[dict[str, str]]
    max_gap_days: int | None
    slots: list[str]
    stories: dict[str, int]  # status → count


def _read(profile: Profile, channel: Channel, counts: dict[str, int]) -> ChannelRead:
    rule = channel.subscription
    return ChannelRead(
        id=channel.id, name=channel.name, kind=channel.kind, unit_id=channel.unit,
        unit_name=profile.unit(channel.unit).name, units=rule.units, fields=rule.fields,
        events=list(rule.events), max_gap_days=channel.max_gap_days, slots=channel.slots,
        editors=[{"id": a.id, "name": a.name} for a in profile.editors_of(channel.id)],
        stories=counts)


async def _counts(uow, channel_ids: list[str]) -> dict[str, dict[str, int]]:
    rows = await uow.session.execute(
        select(Story.channel_id, Story.status, func.count())
        .where(Story.channel_id.in_(channel_ids)).group_by(Story.channel_id, Story.status))
    counts: dict[str, dict[str, int]] = {c: {} for c in channel_ids}
    for channel_id, status, n in rows.all():
        counts[channel_id][status] = n
    return counts


@router.get("", response_model=list[ChannelRead])
async def list_channels(user: Reader, uow: Uow, runtime: RuntimeDep) -> list[ChannelRead]:
    """An editor sees their own channels; the office and the viewer, all of them."""
    profile, scope = runtime.profile, channel_scope(user)
    channels = [c for c in profile.channels if scope is None or c.id in scope]
    counts = await _counts(uow, [c.id for c in channels])
    return [_read(profile, c, counts[c.id]) for c in channels]


@router.get("/{channel_id}", response_model=ChannelRead)
async def read_channel(channel_id: Annotated[str, Path(pattern=ID_PATTERN)], user: Reader, uow: Uow,
                       runtime: RuntimeDep) -> ChannelRead:
    scope = channel_scope(user)
    try:
        channel = runtime.profile.channel(channel_id)
    except KeyError:
        channel = None
    if channel is None or (scope is not None and channel_id not in scope):
        raise NotFound("Không tìm thấy kênh.", fields={"channel_id": "không tồn tại"})
    counts = await _counts(uow, [channel_id])
    return _read(runtime.profile, channel, counts[channel_id])
