"""HTTP routes of cases: the lists the office works from, one case, and what is overdue."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from exemplar.clock import today
from exemplar.runtime import Uow

from ..access import Reader, readable_or_404, unit_scope
from . import service, store
from .domain import STATUS_NAMES, S, achievements

router = APIRouter(prefix="/cases", tags=["cases"])


class CaseRead(BaseModel):
    id: str
    nomination_id: str
    revision: int
    unit_id: str
    unit_name: str
    unit_kind: str
    year: int
    nominee: dict[str, Any]
    field: str
    proposed_award: str
    commendation_kind: str
    achievement_summary: str
    achievements: list[str]  # numbered from 0: what appraisal marks one by one
    claims: list[dict[str, Any]]
    history: list[dict[str, Any]]
    documents: list[str]
    evidence_count: int
    status: str
    status_name: str
    stage_since: date | None
    due_on: date | None
    overdue: bool
    reasons: list[str]
    verified_claims: list[str]
    posting_id: str | None
    council_result: str | None
    outcome: str | None
    award: str | None
    decision_id: str | None
    fast_track: bool
    escalated_on: date | None
    escalated_award: str | None
    opened_at: datetime
    updated_at: datetime | None
    etag: str

    @classmethod
    def of(cls, case: store.Case) -> CaseRead:
        overdue = case.due_on is not None and case.due_on < today()
        return cls.model_validate({
            **{name: getattr(case, name) for name in cls.model_fields
               if hasattr(store.Case, name)},
            "achievements": achievements(case.claims, case.achievement_summary),
            "status_name": STATUS_NAMES[S(case.status)], "overdue": overdue,
            "etag": f'"{case.version}"'})


class CasePage(BaseModel):
    items: list[CaseRead]
    total: int


@router.get("", response_model=CasePage)
async def list_cases(user: Reader, uow: Uow,
                     year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
                     status: S | None = None,
                     unit_id: Annotated[str | None, Query(max_length=100)] = None,
                     award: Annotated[str | None, Query(max_length=100)] = None,
                     limit: Annotated[int, Query(ge=1, le=500)] = 50,
                     offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> CasePage:
    """A unit's officer sees their own unit's cases only, whatever `unit_id` asks."""
    scope = unit_scope(user)
    cases, total = await store.search(uow.session, unit_id=scope or unit_id, year=year,
                                      status=status, award=award, limit=limit, offset=offset)
    return CasePage(items=[CaseRead.of(c) for c in cases], total=total)


@router.get("/overdue", response_model=list[CaseRead])
async def overdue_cases(user: Reader, uow: Uow) -> list[CaseRead]:
    """Cases past their stage's due date (profile deadlines), the longest overdue first."""
    cases = await store.overdue(uow.session, today=today(), unit_id=unit_scope(user))
    return [CaseRead.of(c) for c in cases]


@router.get("/{case_id}", response_model=CaseRead)
async def read_case(case_id: str, user: Reader, uow: Uow, response: Response) -> CaseRead:
    case = await service.get_case(uow, case_id)
    readable_or_404(user, case.unit_id)
    response.headers["ETag"] = f'"{case.version}"'
    return CaseRead.of(case)
