"""HTTP routes of the nomination service: validate, call service.py, shape the answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from exemplar.auth import Principal, require_roles
from exemplar.events import Nominee
from exemplar.events.common import CommendationKind
from exemplar.runtime import RuntimeDep, Uow

from . import service

router = APIRouter(prefix="/nominations", tags=["nominations"])

Officer = Annotated[Principal, Depends(require_roles("unit_officer", "unit_head"))]
Reader = Annotated[Principal, Depends(require_roles(
    "unit_officer", "unit_head", "standing_office", "viewer"))]


class NominationCreate(BaseModel):
    nominee: Nominee
    field: str = Field(min_length=1, max_length=100)
    proposed_award: str = Field(min_length=1, max_length=100)
    commendation_kind: CommendationKind = "regular"
    year: int = Field(ge=2000, le=2100)
    achievement_summary: str = Field(min_length=1, max_length=20000)


class NominationRead(BaseModel):
    id: str
    unit_id: str
    unit_name: str
    year: int
    nominee: Nominee
    field: str
    proposed_award: str
    commendation_kind: str
    achievement_summary: str
    status: str
    revision: int
    version: int
    created_by: str
    created_at: datetime
    submitted_at: datetime | None

    model_config = {"from_attributes": True}


@router.post("", status_code=201, response_model=NominationRead)
async def submit_nomination(body: NominationCreate, user: Officer, uow: Uow,
                            runtime: RuntimeDep, response: Response) -> NominationRead:
    nomination = await service.submit_nomination(
        uow, profile=runtime.profile, user=user, nominee=body.nominee, field=body.field,
        proposed_award=body.proposed_award, commendation_kind=body.commendation_kind,
        year=body.year, achievement_summary=body.achievement_summary)
    response.headers["Location"] = f"/nominations/{nomination.id}"
    response.headers["ETag"] = f'"{nomination.version}"'
    return NominationRead.model_validate(nomination)


@router.get("/{nomination_id}", response_model=NominationRead)
async def read_nomination(nomination_id: str, user: Reader, uow: Uow,
                          response: Response) -> NominationRead:
    nomination = await service.get_nomination(uow, user=user, nomination_id=nomination_id)
    response.headers["ETag"] = f'"{nomination.version}"'
    return NominationRead.model_validate(nomination)


@router.get("", response_model=list[NominationRead])
async def list_nominations(user: Reader, uow: Uow, year: int | None = None,
                           limit: Annotated[int, Query(ge=1, le=500)] = 50,
                           offset: Annotated[int, Query(ge=0)] = 0) -> list[NominationRead]:
    rows = await service.list_nominations(uow, user=user, year=year, limit=limit, offset=offset)
    return [NominationRead.model_validate(n) for n in rows]
