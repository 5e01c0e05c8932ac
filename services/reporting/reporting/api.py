"""HTTP routes of the reporting service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from exemplar.auth import Principal, require_roles
from exemplar.runtime import Uow

from . import service

router = APIRouter(prefix="/counts", tags=["counts"])

Reader = Annotated[Principal, Depends(require_roles(
    "standing_office", "chair", "viewer", "finance", "unit_officer", "unit_head"))]
UNIT_ROLES = ("unit_officer", "unit_head")


class UnitYearCount(BaseModel):
    unit_id: str
    unit_name: str
    year: int
    submitted: int


@router.get("", response_model=list[UnitYearCount])
async def submissions_per_unit(user: Reader, uow: Uow,
                               year: Annotated[int, Query(ge=2000, le=2100)]
                               ) -> list[UnitYearCount]:
    """Nominations submitted per unit in a year; a unit's own staff see their unit only."""
    wide = user.has_any("standing_office", "chair", "viewer", "finance", "admin")
    rows = await service.submissions_per_unit(uow, year=year,
                                              unit_id=None if wide else user.unit)
    return [UnitYearCount(unit_id=u, unit_name=n, year=year, submitted=c) for u, n, c in rows]
