"""HTTP routes of the review service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from exemplar.auth import Principal, require_roles
from exemplar.runtime import Uow

from . import service

router = APIRouter(prefix="/cases", tags=["cases"])

Reviewer = Annotated[Principal, Depends(require_roles(
    "standing_office", "council_member", "chair", "front_reviewer", "viewer"))]


class CaseRead(BaseModel):
    id: str
    nomination_id: str
    revision: int
    unit_id: str
    unit_name: str
    year: int
    nominee_name: str
    field: str
    proposed_award: str
    status: str
    opened_at: datetime

    model_config = {"from_attributes": True}


@router.get("", response_model=list[CaseRead])
async def list_cases(_: Reviewer, uow: Uow, year: int | None = None,
                     limit: Annotated[int, Query(ge=1, le=500)] = 50,
                     offset: Annotated[int, Query(ge=0)] = 0) -> list[CaseRead]:
    cases = await service.list_cases(uow, year=year, limit=limit, offset=offset)
    return [CaseRead.model_validate(c) for c in cases]


@router.get("/{case_id}", response_model=CaseRead)
async def read_case(case_id: str, _: Reviewer, uow: Uow) -> CaseRead:
    return CaseRead.model_validate(await service.get_case(uow, case_id))
