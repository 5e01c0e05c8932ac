"""HTTP routes of subjects: find a person or collective before nominating them again."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from exemplar.runtime import Uow

from ..access import Reader, reads_all_units
from . import service

router = APIRouter(prefix="/subjects", tags=["subjects"])


class AwardRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    year: int
    award: str
    award_name: str | None
    decision_number: str | None
    decided_on: date | None
    nomination_id: str
    revoked: bool


class SubjectRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    unit_id: str
    kind: str
    name: str
    birth_year: int | None
    details: dict


class SubjectWithHistory(SubjectRead):
    history: list[AwardRead]


@router.get("", response_model=list[SubjectRead])
async def search_subjects(user: Reader, uow: Uow,
                          q: Annotated[str | None, Query(max_length=200)] = None,
                          limit: Annotated[int, Query(ge=1, le=500)] = 50,
                          offset: Annotated[int, Query(ge=0)] = 0) -> list[SubjectRead]:
    scope = None if reads_all_units(user) else user.unit
    rows = await service.search_subjects(uow.session, unit_scope=scope, q=q, limit=limit,
                                         offset=offset)
    return [SubjectRead.model_validate(s) for s in rows]


@router.get("/{subject_id}", response_model=SubjectWithHistory)
async def read_subject(subject_id: str, user: Reader, uow: Uow) -> SubjectWithHistory:
    """A subject with every commendation it received, revoked ones marked."""
    scope = None if reads_all_units(user) else user.unit
    subject, history = await service.get_subject(uow.session, subject_id=subject_id,
                                                 unit_scope=scope)
    return SubjectWithHistory(**SubjectRead.model_validate(subject).model_dump(),
                              history=[AwardRead.model_validate(a) for a in history])
