"""HTTP routes of budget estimates (dự toán kinh phí): the unit's estimate with its computed
bonus line, the finance office's allocation, the district totals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from exemplar.concurrency import IfMatch, expected_version
from exemplar.profile import Profile
from exemplar.runtime import RuntimeDep, Uow
from exemplar.text import ID_PATTERN, Id, Text

from ..idempotency import IdempotencyKey, Once
from . import service
from .access import Finance, Preparer, Reader, WideReader, default_unit
from .domain import MAX_VND, Line, Status
from .reads import BudgetEstimatePage, BudgetEstimateRead, BudgetTotals, totals

router = APIRouter(prefix="/budgets", tags=["budgets"])
EstimateId = Annotated[str, Path(pattern=ID_PATTERN)]
Year = Annotated[int, Field(ge=2000, le=2100)]
# Whole đồng: a fraction (or any float) is refused rather than rounded.
Vnd = Annotated[StrictInt, Field(ge=0, le=MAX_VND)]


class LineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    task: Id
    amount: Vnd
    note: Text(1000) | None = None

    def domain(self) -> Line:
        return Line(task=self.task, amount=self.amount, note=self.note)


Lines = Annotated[list[LineBody], Field(max_length=50)]


class BudgetEstimateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    year: Year
    # The user's own unit; for the standing office's staff who prepare none, the home
    # government's (UBND huyện), whose estimate is theirs.
    unit_id: Id | None = None
    lines: Lines
    notes: Text(5000) | None = None


class BudgetEstimateUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lines: Lines | None = None
    notes: Text(5000) | None = None


class AllocationLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    task: Id
    amount: Vnd


class BudgetAllocation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lines: Annotated[list[AllocationLine], Field(min_length=1, max_length=51)]
    total: Annotated[StrictInt, Field(ge=0, le=MAX_VND * 51)] | None = None  # = the lines
    note: Text(5000) | None = None


class BudgetReturn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Text(5000)


def _answer(estimate: service.Estimate, profile: Profile,
            response: Response) -> BudgetEstimateRead:
    response.headers["ETag"] = f'"{estimate.row.version}"'
    return BudgetEstimateRead.of(estimate, profile)


@router.post("", status_code=201, response_model=BudgetEstimateRead)
async def create_estimate(body: BudgetEstimateCreate, user: Preparer, uow: Uow,
                          runtime: RuntimeDep, response: Response,
                          idempotency_key: IdempotencyKey = None) -> BudgetEstimateRead:
    """A unit's draft estimate for a year (one per unit and year), by task; the bonus line
    is added, computed from the commendations the unit grants (the district's titles and
    Giấy khen in the standing office's estimate of UBND huyện). A retry with the same
    Idempotency-Key answers with the estimate the first request made."""
    profile = runtime.profile
    estimate = await service.create_estimate(
        uow, profile=profile, user=user, unit_id=body.unit_id or default_unit(user, profile),
        year=body.year, lines=[line.domain() for line in body.lines], notes=body.notes,
        once=Once(idempotency_key, "budgets.create", body.model_dump(mode="json")))
    response.headers["Location"] = f"/budgets/{estimate.row.id}"
    return _answer(estimate, runtime.profile, response)


@router.get("", response_model=BudgetEstimatePage)
async def list_estimates(
        user: Reader, uow: Uow, runtime: RuntimeDep,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        unit_id: Annotated[Id | None, Query()] = None, status: Status | None = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> BudgetEstimatePage:
    """Finance, the standing office and the chair see every unit's; a unit, its own."""
    found, total = await service.list_estimates(
        uow, profile=runtime.profile, user=user, year=year, unit_id=unit_id, status=status,
        limit=limit, offset=offset)
    return BudgetEstimatePage(items=[BudgetEstimateRead.of(e, runtime.profile) for e in found],
                              total=total)


@router.get("/totals", response_model=BudgetTotals)
async def budget_totals(user: WideReader, uow: Uow, runtime: RuntimeDep,
                        year: Annotated[int, Query(ge=2000, le=2100)]) -> BudgetTotals:
    """Per unit with an estimate: estimated (bonus line included), bonus, allocated; per unit
    that pays a bonus and has not estimated yet ("not_estimated"), its bonus as it stands;
    and the district's sums."""
    return totals(year, *await service.budget_totals(uow, profile=runtime.profile, year=year))


@router.get("/{estimate_id}", response_model=BudgetEstimateRead)
async def read_estimate(estimate_id: EstimateId, user: Reader, uow: Uow, runtime: RuntimeDep,
                        response: Response) -> BudgetEstimateRead:
    estimate = await service.read_estimate(uow, profile=runtime.profile, user=user,
                                           estimate_id=estimate_id)
    return _answer(estimate, runtime.profile, response)


@router.patch("/{estimate_id}", response_model=BudgetEstimateRead)
async def edit_estimate(estimate_id: EstimateId, body: BudgetEstimateUpdate, user: Preparer,
                        uow: Uow, runtime: RuntimeDep, response: Response,
                        if_match: IfMatch = None) -> BudgetEstimateRead:
    """The unit's draft only; `lines` replaces every typed line."""
    changes: dict[str, Any] = {}
    if body.lines is not None:
        changes["lines"] = [line.domain() for line in body.lines]
    if "notes" in body.model_fields_set:
        changes["notes"] = body.notes
    estimate = await service.edit_estimate(
        uow, profile=runtime.profile, user=user, estimate_id=estimate_id, changes=changes,
        expected_version=expected_version(if_match, required=True))
    return _answer(estimate, runtime.profile, response)


@router.post("/{estimate_id}/submit", response_model=BudgetEstimateRead)
async def submit_estimate(estimate_id: EstimateId, user: Preparer, uow: Uow,
                          runtime: RuntimeDep, response: Response,
                          if_match: IfMatch = None) -> BudgetEstimateRead:
    """Sent to the finance office, the bonus line frozen as it is now."""
    estimate = await service.submit_estimate(
        uow, profile=runtime.profile, user=user, estimate_id=estimate_id,
        expected_version=expected_version(if_match, required=True))
    return _answer(estimate, runtime.profile, response)


@router.post("/{estimate_id}/allocate", response_model=BudgetEstimateRead)
async def allocate_budget(estimate_id: EstimateId, body: BudgetAllocation, user: Finance,
                          uow: Uow, runtime: RuntimeDep, response: Response,
                          if_match: IfMatch = None) -> BudgetEstimateRead:
    """The finance office allocates a sum per line of the submitted estimate."""
    estimate = await service.allocate_budget(
        uow, profile=runtime.profile, user=user, estimate_id=estimate_id,
        lines=[Line(task=a.task, amount=a.amount) for a in body.lines], total=body.total,
        note=body.note, expected_version=expected_version(if_match, required=True))
    return _answer(estimate, runtime.profile, response)


@router.post("/{estimate_id}/return", response_model=BudgetEstimateRead)
async def return_estimate(estimate_id: EstimateId, body: BudgetReturn, user: Finance,
                          uow: Uow, runtime: RuntimeDep, response: Response,
                          if_match: IfMatch = None) -> BudgetEstimateRead:
    """Back to the unit as a draft, with the reason."""
    estimate = await service.return_estimate(
        uow, profile=runtime.profile, user=user, estimate_id=estimate_id, reason=body.reason,
        expected_version=expected_version(if_match, required=True))
    return _answer(estimate, runtime.profile, response)
