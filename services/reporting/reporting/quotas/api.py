"""GET /quotas: the year's quota table, as the standing office and the chair follow it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from exemplar.clock import today
from exemplar.runtime import RuntimeDep, Uow
from exemplar.text import Id

from ..access import FigureReader, scope
from . import service
from .rules import STATUS_NAMES

router = APIRouter(prefix="/quotas", tags=["quotas"])
Year = Annotated[int, Query(ge=2000, le=2100, description="năm")]


class QuotaLineRead(BaseModel):
    unit_id: str
    unit_name: str
    unit_kind: str
    quota: Literal["publicised", "escalated"]
    required: int
    achieved: int
    due_on: date
    status: Literal["met", "at_risk", "missed"]
    status_name: str
    rule: str


class QuotaTable(BaseModel):
    year: int
    on: date
    rebuilding: bool = False  # a replay is refilling the figures: not final yet
    summary: dict[str, int]  # status → lines
    lines: list[QuotaLineRead]


def table(year: int, on: date, lines, *, rebuilding: bool = False) -> QuotaTable:
    rows = [QuotaLineRead(**line.__dict__, status_name=STATUS_NAMES[line.status])
            for line in lines]
    summary = {s: sum(1 for r in rows if r.status == s) for s in STATUS_NAMES}
    return QuotaTable(year=year, on=on, rebuilding=rebuilding, summary=summary, lines=rows)


@router.get("", response_model=QuotaTable)
async def quota_table(request: Request, user: FigureReader, uow: Uow, runtime: RuntimeDep,
                      year: Year,
                      unit_id: Annotated[Id | None, Query()] = None,
                      on: Annotated[date | None, Query(description="ngày xét")] = None
                      ) -> QuotaTable:
    """Met, at risk or missed for every unit that owes an exemplar, with the rule that
    decided it, judged on `on` (today by default: the date a report is signed, say); a
    unit's own staff see their unit's line only."""
    on = on or today()
    lines = await service.quota_table(uow, runtime.profile, year=year, on=on,
                                      unit_id=scope(user, runtime.profile, unit_id))
    return table(year, on, lines, rebuilding=request.app.state.replayer.running)
