"""HTTP routes of prospects (nhân tố mới): register, nurture, drop, promote, read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from exemplar.events.common import CommendationKind, NomineeKind
from exemplar.runtime import RuntimeDep, Uow

from ..access import Officer, Reader
from ..nominations.schemas import ClaimIn, NominationRead, NomineeIn
from . import service
from .service import NurtureKind, ProspectStatus

router = APIRouter(prefix="/prospects", tags=["prospects"])


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProspectCreate(_In):
    subject: NomineeIn  # who: a person, collective or household of the unit
    field: str = Field(min_length=1, max_length=100)
    what: str = Field(min_length=1, max_length=5000, description="thành tích, sáng kiến mới")
    why: str = Field(min_length=1, max_length=5000, description="vì sao có triển vọng")
    movement_id: str | None = Field(default=None, max_length=36)
    year: int = Field(ge=2000, le=2100)


class NurtureEntryCreate(_In):
    kind: NurtureKind
    on: date
    text: str = Field(min_length=1, max_length=2000)


class DropIn(_In):
    reason: str = Field(min_length=1, max_length=2000)


class PromotionIn(_In):
    """The nomination's proposal; who, field and movement come from the prospect."""

    proposed_award: str = Field(min_length=1, max_length=100)
    commendation_kind: CommendationKind = "regular"
    year: int | None = Field(default=None, ge=2000, le=2100)  # default: the prospect's
    achievement_summary: str | None = Field(default=None, min_length=1, max_length=15000)
    criteria_set_id: str | None = Field(default=None, max_length=36)
    criteria_version: int | None = Field(default=None, ge=1)
    claims: list[ClaimIn] = Field(default_factory=list, max_length=100)


class ProspectRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    unit_id: str
    unit_name: str
    subject: dict
    subject_id: str
    kind: str
    name: str
    field: str
    what: str
    why: str
    movement_id: str | None
    year: int
    status: str
    drop_reason: str | None
    nomination_id: str | None
    registered_by: str
    registered_at: datetime
    closed_by: str | None
    closed_at: datetime | None


class ProspectPage(BaseModel):
    items: list[ProspectRead]
    total: int
    limit: int
    offset: int


class NurtureEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    prospect_id: str
    kind: str
    on: date
    text: str
    by: str
    created_at: datetime


@router.post("", status_code=201, response_model=ProspectRead)
async def register_prospect(body: ProspectCreate, user: Officer, uow: Uow,
                            runtime: RuntimeDep, response: Response) -> ProspectRead:
    """A new factor of the user's own unit (unit_officer or unit_head)."""
    prospect = await service.register_prospect(
        uow, profile=runtime.profile, user=user, subject=body.subject, field=body.field,
        what=body.what, why=body.why, movement_id=body.movement_id, year=body.year)
    response.headers["Location"] = f"/prospects/{prospect.id}"
    return ProspectRead.model_validate(prospect)


@router.get("", response_model=ProspectPage)
async def list_prospects(
        user: Reader, uow: Uow, unit_id: str | None = None, year: int | None = None,
        status: ProspectStatus | None = None, field: str | None = None,
        movement_id: str | None = None, kind: NomineeKind | None = None,
        q: Annotated[str | None, Query(max_length=200, description="tên, không dấu")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0) -> ProspectPage:
    """Own unit's prospects; every unit's for the standing office and viewers."""
    filters = {"unit_id": unit_id, "year": year, "status": status, "field": field,
               "movement_id": movement_id, "kind": kind}
    rows, total = await service.search_prospects(uow, user=user, filters=filters, q=q,
                                                 limit=limit, offset=offset)
    return ProspectPage(items=[ProspectRead.model_validate(p) for p in rows], total=total,
                        limit=limit, offset=offset)


@router.get("/{prospect_id}", response_model=ProspectRead)
async def read_prospect(prospect_id: str, user: Reader, uow: Uow) -> ProspectRead:
    """The prospect, with the nomination it was promoted into (`nomination_id`)."""
    return ProspectRead.model_validate(
        await service.get_prospect(uow, user=user, prospect_id=prospect_id))


@router.post("/{prospect_id}/log", status_code=201, response_model=NurtureEntryRead)
async def add_nurture_entry(prospect_id: str, body: NurtureEntryCreate, user: Officer,
                            uow: Uow) -> NurtureEntryRead:
    """Support given (material or moral), a shortcoming to overcome, or progress."""
    entry = await service.add_entry(uow, user=user, prospect_id=prospect_id, kind=body.kind,
                                    on=body.on, text=body.text)
    return NurtureEntryRead.model_validate(entry)


@router.get("/{prospect_id}/log", response_model=list[NurtureEntryRead])
async def read_nurture_log(prospect_id: str, user: Reader, uow: Uow) -> list[NurtureEntryRead]:
    """The nurturing log, oldest first."""
    entries = await service.nurture_log(uow, user=user, prospect_id=prospect_id)
    return [NurtureEntryRead.model_validate(e) for e in entries]


@router.post("/{prospect_id}/drop", response_model=ProspectRead)
async def drop_prospect(prospect_id: str, body: DropIn, user: Officer,
                        uow: Uow) -> ProspectRead:
    return ProspectRead.model_validate(await service.drop_prospect(
        uow, user=user, prospect_id=prospect_id, reason=body.reason))


@router.post("/{prospect_id}/promote", status_code=201, response_model=NominationRead)
async def promote_prospect(prospect_id: str, body: PromotionIn, user: Officer, uow: Uow,
                           runtime: RuntimeDep, response: Response) -> NominationRead:
    """A draft nomination of the prospect carrying its nurturing history."""
    nomination = await service.promote_prospect(
        uow, profile=runtime.profile, user=user, prospect_id=prospect_id,
        proposal=body.model_dump(exclude_none=True))
    response.headers["Location"] = f"/nominations/{nomination.id}"
    response.headers["ETag"] = f'"{nomination.version}"'
    return NominationRead.model_validate(nomination)
