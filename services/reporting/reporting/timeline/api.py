"""GET /nominations/{id}/timeline: every event of one nomination, oldest first."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from exemplar.errors import NotFound
from exemplar.runtime import RuntimeDep, Uow
from exemplar.text import Id

from ..access import FigureReader, sees_all
from ..projections.store import TimelineEntry

router = APIRouter(prefix="/nominations", tags=["timeline"])


class TimelineEntryRead(BaseModel):
    event_id: str
    type: str
    source: str
    time: datetime
    trace_id: str | None
    correlation_id: str
    causation_id: str | None
    data: dict[str, Any]


@router.get("/{nomination_id}/timeline", response_model=list[TimelineEntryRead])
async def timeline(nomination_id: Id, user: FigureReader, uow: Uow,
                   runtime: RuntimeDep) -> list[TimelineEntryRead]:
    """A unit's own staff see the timelines of their unit's nominations and of the units
    below it (as the dashboard counts them); another unit's answers 404."""
    rows = (await uow.session.execute(
        select(TimelineEntry).where(TimelineEntry.nomination_id == nomination_id)
        .order_by(TimelineEntry.time, TimelineEntry.event_id))).scalars().all()
    entries = [TimelineEntryRead(
        event_id=r.event_id, type=r.type, source=r.source, time=r.time, trace_id=r.trace_id,
        correlation_id=r.correlation_id, causation_id=r.causation_id, data=json.loads(r.data))
        for r in rows]
    units = {e.data.get("unit_id") for e in entries}
    own = {u.id for u in runtime.profile.descendants(user.unit)} if user.unit in {
        u.id for u in runtime.profile.units} else {user.unit}
    if not entries or (not sees_all(user) and not units <= own):
        raise NotFound(f"Không tìm thấy hồ sơ đề nghị '{nomination_id}'.")
    return entries
