"""HTTP routes of criteria sets: validate, call service.py, shape the answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from exemplar.runtime import RuntimeDep, Uow

from ..access import Head, IfMatch, Officer, Reader, expected_version
from . import service

router = APIRouter(prefix="/criteria-sets", tags=["criteria"])



class CriterionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=50)
    text: str = Field(min_length=1, max_length=2000)


class CriteriaSetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    field: str = Field(min_length=1, max_length=100)
    title: str = Field(min_length=1, max_length=300)
    criteria: list[CriterionIn] = Field(default_factory=list, max_length=200)


class CriteriaVersionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criteria: list[CriterionIn] = Field(max_length=200)


class CriteriaVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    criteria_set_id: str
    version: int
    status: str
    criteria: list[dict]
    created_by: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    published_by: str | None
    etag: str


class CriteriaSetRead(BaseModel):
    id: str
    unit_id: str
    field: str
    title: str
    created_by: str
    created_at: datetime
    latest_published: int | None
    versions: list[CriteriaVersionRead]


def _etag(version) -> str:
    return f'"{version.row_version}"'


def _version_read(version) -> CriteriaVersionRead:
    return CriteriaVersionRead.model_validate(
        {**{k: getattr(version, k) for k in CriteriaVersionRead.model_fields if k != "etag"},
         "etag": _etag(version)})


def _set_read(view: service.SetView) -> CriteriaSetRead:
    s = view.set
    published = [v.version for v in view.versions if v.status == "published"]
    return CriteriaSetRead(id=s.id, unit_id=s.unit_id, field=s.field, title=s.title,
                           created_by=s.created_by, created_at=s.created_at,
                           latest_published=max(published, default=None),
                           versions=[_version_read(v) for v in view.versions])


def _with_etag(version, response: Response) -> CriteriaVersionRead:
    response.headers["ETag"] = _etag(version)
    return _version_read(version)


@router.post("", status_code=201, response_model=CriteriaSetRead)
async def create_criteria_set(body: CriteriaSetCreate, user: Officer, uow: Uow,
                              runtime: RuntimeDep, response: Response) -> CriteriaSetRead:
    """A set of the user's own unit for one field, with version 1 as a draft."""
    view = await service.create_criteria_set(
        uow, profile=runtime.profile, user=user, field=body.field, title=body.title,
        criteria=[c.model_dump() for c in body.criteria])
    response.headers["Location"] = f"/criteria-sets/{view.set.id}"
    return _set_read(view)


@router.get("", response_model=list[CriteriaSetRead])
async def list_criteria_sets(user: Reader, uow: Uow, unit_id: str | None = None,
                             field: str | None = None,
                             limit: Annotated[int, Query(ge=1, le=500)] = 50,
                             offset: Annotated[int, Query(ge=0)] = 0) -> list[CriteriaSetRead]:
    """Own unit: its sets with drafts. Standing office, viewers: published versions only."""
    views = await service.list_criteria_sets(uow, user=user, unit_id=unit_id, field=field,
                                             limit=limit, offset=offset)
    return [_set_read(v) for v in views]


@router.get("/{set_id}", response_model=CriteriaSetRead)
async def read_criteria_set(set_id: str, user: Reader, uow: Uow) -> CriteriaSetRead:
    return _set_read(await service.get_criteria_set(uow, user=user, set_id=set_id))


@router.get("/{set_id}/versions/{version}", response_model=CriteriaVersionRead)
async def read_criteria_version(set_id: str, version: int, user: Reader, uow: Uow,
                                response: Response) -> CriteriaVersionRead:
    found = await service.get_version(uow, user=user, set_id=set_id, version=version)
    return _with_etag(found, response)


@router.patch("/{set_id}/versions/{version}", response_model=CriteriaVersionRead)
async def edit_criteria_version(set_id: str, version: int, body: CriteriaVersionUpdate,
                                user: Officer, uow: Uow, response: Response,
                                if_match: IfMatch = None) -> CriteriaVersionRead:
    """Replace a draft's criteria; If-Match must carry the ETag last read."""
    edited = await service.edit_draft_version(
        uow, user=user, set_id=set_id, version=version,
        expected=expected_version(if_match, required=True),
        criteria=[c.model_dump() for c in body.criteria])
    return _with_etag(edited, response)


@router.post("/{set_id}/versions/{version}/publish", response_model=CriteriaVersionRead)
async def publish_criteria_version(set_id: str, version: int, user: Head, uow: Uow,
                                   response: Response,
                                   if_match: IfMatch = None) -> CriteriaVersionRead:
    """The unit head publishes a draft: it becomes immutable; `criteria_published`."""
    published = await service.publish_version(
        uow, user=user, set_id=set_id, version=version,
        expected=expected_version(if_match, required=False))
    return _with_etag(published, response)


@router.post("/{set_id}/versions", status_code=201, response_model=CriteriaVersionRead)
async def start_criteria_version(set_id: str, user: Officer, uow: Uow,
                                 response: Response) -> CriteriaVersionRead:
    """The next draft, copied from the latest published version."""
    draft = await service.start_new_version(uow, user=user, set_id=set_id)
    response.headers["Location"] = f"/criteria-sets/{set_id}/versions/{draft.version}"
    return _with_etag(draft, response)
