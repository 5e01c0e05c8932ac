"""HTTP routes of good-deed reports (gương người tốt, việc tốt)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from exemplar.auth import Principal, require_roles
from exemplar.runtime import RuntimeDep, Uow

from ..access import Reader
from . import service

router = APIRouter(prefix="/good-deeds", tags=["good_deeds"])

# Any officer of a unit files one, the standing office included.
Reporter = Annotated[Principal, Depends(require_roles(
    "unit_officer", "unit_head", "standing_office"))]


class GoodDeedCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    person_name: str = Field(min_length=1, max_length=200)
    deed: str = Field(min_length=1, max_length=2000)
    happened_on: date
    place: str = Field(min_length=1, max_length=300)
    field: str | None = Field(default=None, min_length=1, max_length=100)


class GoodDeedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    unit_id: str
    unit_name: str
    person_name: str
    deed: str
    happened_on: date
    year: int
    place: str
    field: str | None
    reported_by: str
    reported_at: datetime


class GoodDeedPage(BaseModel):
    items: list[GoodDeedRead]
    total: int
    limit: int
    offset: int


@router.post("", status_code=201, response_model=GoodDeedRead)
async def report_good_deed(body: GoodDeedCreate, user: Reporter, uow: Uow,
                           runtime: RuntimeDep, response: Response) -> GoodDeedRead:
    """A short report for the user's own unit; announced as good_deed_reported."""
    report = await service.report_good_deed(
        uow, profile=runtime.profile, user=user, person_name=body.person_name,
        deed=body.deed, happened_on=body.happened_on, place=body.place, field=body.field)
    response.headers["Location"] = f"/good-deeds/{report.id}"
    return GoodDeedRead.model_validate(report)


@router.get("", response_model=GoodDeedPage)
async def list_good_deeds(
        user: Reader, uow: Uow, unit_id: str | None = None, year: int | None = None,
        field: str | None = None,
        q: Annotated[str | None, Query(max_length=200, description="tên, không dấu")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0) -> GoodDeedPage:
    """Own unit's reports; every unit's for the standing office and viewers."""
    filters = {"unit_id": unit_id, "year": year, "field": field}
    rows, total = await service.search_reports(uow, user=user, filters=filters, q=q,
                                               limit=limit, offset=offset)
    return GoodDeedPage(items=[GoodDeedRead.model_validate(r) for r in rows], total=total,
                        limit=limit, offset=offset)


@router.get("/{report_id}", response_model=GoodDeedRead)
async def read_good_deed(report_id: str, user: Reader, uow: Uow) -> GoodDeedRead:
    return GoodDeedRead.model_validate(
        await service.get_report(uow, user=user, report_id=report_id))
