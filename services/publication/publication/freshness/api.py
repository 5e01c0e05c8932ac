"""HTTP routes of column freshness: which regular columns have gone quiet too long."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from exemplar.auth import Principal, require_roles
from exemplar.runtime import RuntimeDep, Uow

from ..access import Reader, channel_scope
from . import service
from .domain import FRESHNESS_NAMES, Freshness

router = APIRouter(prefix="/columns", tags=["freshness"])

# Running the check is an operator's or the standing office's act, never an editor's.
Checker = Annotated[Principal, Depends(require_roles("standing_office", "admin"))]


class ColumnRead(BaseModel):
    channel_id: str
    channel_name: str
    channel_kind: str
    unit_id: str
    max_gap_days: int
    last_published_at: datetime | None  # None: nothing published on it yet
    watched_since: datetime | None  # when the service first watched the column
    quiet_since: datetime  # where the current gap runs from
    days_since: int  # whole days since then
    overdue_since: datetime  # when the current gap grew (or will grow) too long
    status: Freshness
    status_name: str
    announced_at: datetime | None  # when this gap was announced as column_overdue

    @classmethod
    def of(cls, state: service.ColumnState) -> ColumnRead:
        channel, gap = state.channel, state.gap
        return cls(channel_id=channel.id, channel_name=channel.name, channel_kind=channel.kind,
                   unit_id=channel.unit, max_gap_days=channel.max_gap_days or 0,
                   last_published_at=state.last_published_at,
                   watched_since=state.first_seen_at, quiet_since=gap.runs_from,
                   days_since=gap.days_quiet, overdue_since=gap.overdue_since,
                   status=gap.status, status_name=FRESHNESS_NAMES[gap.status],
                   announced_at=state.announced_at)


class CheckResult(BaseModel):
    announced: list[ColumnRead]  # the gaps this check announced (earlier ones are not)


@router.get("", response_model=list[ColumnRead])
async def list_columns(user: Reader, uow: Uow, runtime: RuntimeDep) -> list[ColumnRead]:
    """Every regular column with its gap; an editor sees their own channels'."""
    states = await service.list_columns(uow, profile=runtime.profile,
                                        scope=channel_scope(user))
    return [ColumnRead.of(s) for s in states]


@router.get("/overdue", response_model=list[ColumnRead])
async def list_overdue(user: Reader, uow: Uow, runtime: RuntimeDep) -> list[ColumnRead]:
    """The columns quiet longer than their maximum gap."""
    states = await service.list_columns(uow, profile=runtime.profile,
                                        scope=channel_scope(user), overdue_only=True)
    return [ColumnRead.of(s) for s in states]


@router.post("/check", response_model=CheckResult)
async def check_now(_: Checker, runtime: RuntimeDep) -> CheckResult:
    """Run the periodic check now; an overdue gap is announced once, however often run."""
    announced = await service.check_columns(open_uow=runtime.uow, profile=runtime.profile)
    return CheckResult(announced=[ColumnRead.of(s) for s in announced])
