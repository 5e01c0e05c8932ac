"""GET /dashboard, /dashboard/exemplars and /counts: quota status by unit, exemplars by field
and year, publications by channel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from exemplar.clock import today
from exemplar.errors import RuleViolation
from exemplar.runtime import RuntimeDep, Uow

from ..access import FigureReader, scope
from ..figures import MEASURES, tallies, totals
from ..quotas import service as quotas
from ..quotas.api import QuotaTable, Year, table

router = APIRouter(tags=["dashboard"])


class Count(BaseModel):
    id: str
    name: str
    count: int


class ChannelCount(BaseModel):
    channel_id: str
    channel_name: str
    channel_kind: str
    stories: int  # stories still up
    exemplars: int  # exemplars publicised on it


class Dashboard(BaseModel):
    year: int
    unit_id: str | None
    rebuilding: bool = False  # a replay is refilling the figures: not final yet
    totals: dict[str, int]
    quotas: QuotaTable
    exemplars_by_field: list[Count]
    publications_by_channel: list[ChannelCount]


class FieldYears(BaseModel):
    field_id: str
    field_name: str
    by_year: dict[int, int]
    total: int


def _units(runtime, unit_id: str | None) -> list[str] | None:
    return None if unit_id is None else [u.id for u in runtime.profile.descendants(unit_id)]


def _field_name(runtime, field_id: str) -> str:
    known = {f.id: f.name for f in runtime.profile.fields}
    return known.get(field_id, field_id)


@router.get("/dashboard", response_model=Dashboard)
async def dashboard(request: Request, user: FigureReader, uow: Uow, runtime: RuntimeDep,
                    year: Year,
                    unit_id: Annotated[str | None, Query()] = None) -> Dashboard:
    """A unit's own staff see their unit (with the units below it) only."""
    unit = scope(user, runtime.profile, unit_id)
    units = _units(runtime, unit)
    figures = await tallies(uow.session, years=[year], unit_ids=units,
                            dimensions=("all", "field", "channel"))
    by = totals(figures, by=("measure", "dimension", "value"))
    on = today()
    lines = await quotas.quota_table(uow, runtime.profile, year=year, on=on, unit_id=unit)
    fields = sorted(((v, c) for (m, d, v), c in by.items()
                     if m == "commended" and d == "field"), key=lambda p: (-p[1], p[0]))
    channels = {c.id: c for c in runtime.profile.channels}
    channel_ids = sorted({v for (m, d, v) in by if d == "channel"})
    rebuilding = request.app.state.replayer.running
    return Dashboard(
        year=year, unit_id=unit, rebuilding=rebuilding,
        totals={m: by.get((m, "all", ""), 0) for m in MEASURES},
        quotas=table(year, on, lines, rebuilding=rebuilding),
        exemplars_by_field=[Count(id=f, name=_field_name(runtime, f), count=c)
                            for f, c in fields],
        publications_by_channel=[ChannelCount(
            channel_id=c, channel_name=channels[c].name if c in channels else c,
            channel_kind=channels[c].kind if c in channels else "",
            stories=by.get(("stories", "channel", c), 0),
            exemplars=by.get(("publicised", "channel", c), 0)) for c in channel_ids])


@router.get("/dashboard/exemplars", response_model=list[FieldYears])
async def exemplars_by_field_and_year(
        user: FigureReader, uow: Uow, runtime: RuntimeDep,
        from_year: Annotated[int, Query(ge=2000, le=2100, description="từ năm")],
        to_year: Annotated[int, Query(ge=2000, le=2100, description="đến năm")],
        unit_id: Annotated[str | None, Query()] = None) -> list[FieldYears]:
    """Exemplars recognised (and not revoked), by field and year."""
    if to_year < from_year or to_year - from_year > 30:
        raise RuleViolation("Khoảng năm không hợp lệ: 'to_year' phải từ 'from_year' đến "
                            "'from_year' + 30.", fields={"to_year": str(to_year)})
    units = _units(runtime, scope(user, runtime.profile, unit_id))
    figures = await tallies(uow.session, years=range(from_year, to_year + 1),
                            measures=["commended"], dimensions=["field"], unit_ids=units)
    by = totals(figures, by=("value", "year"))
    out = []
    for field_id in sorted({f for f, _ in by}):
        years = {y: by.get((field_id, y), 0) for y in range(from_year, to_year + 1)}
        out.append(FieldYears(field_id=field_id, field_name=_field_name(runtime, field_id),
                              by_year=years, total=sum(years.values())))
    return out


class UnitYearCount(BaseModel):
    unit_id: str
    unit_name: str
    year: int
    submitted: int


@router.get("/counts", response_model=list[UnitYearCount], tags=["counts"])
async def submissions_per_unit(user: FigureReader, uow: Uow, runtime: RuntimeDep,
                               year: Year) -> list[UnitYearCount]:
    """Nominations received per unit in a year (withdrawn ones included); a unit's own staff
    see their unit (with the units below it, as on the dashboard) only."""
    unit = scope(user, runtime.profile)
    figures = await tallies(uow.session, years=[year], measures=["submitted", "withdrawn"],
                            unit_ids=_units(runtime, unit))
    by = totals(figures, by=("unit_id",))
    names = {u.id: u.name for u in runtime.profile.units}
    return [UnitYearCount(unit_id=u, unit_name=names.get(u, u), year=year, submitted=c)
            for (u,), c in sorted(by.items())]
