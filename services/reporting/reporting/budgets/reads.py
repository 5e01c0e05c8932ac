"""What budget routes answer: an estimate with its lines, its bonus line and its breakdown,
the allocation; the district totals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from exemplar.profile import Profile

from . import service, store
from .bonus import KIND_NAMES
from .bonus import TASK as BONUS_TASK
from .domain import STATUS_NAMES, Status

BONUS_NAME = "Tiền thưởng kèm theo danh hiệu, hình thức khen thưởng"
NOT_ESTIMATED = "chưa lập dự toán"


class LineRead(BaseModel):
    task: str
    task_name: str
    amount: int
    note: str | None


class BonusItemRead(BaseModel):
    award: str
    award_name: str
    nominee_kind: str
    nominee_kind_name: str
    signed_on: date
    count: int
    multiplier: Decimal
    base_pay: int  # VND a month on the signing date
    each: int  # one commendation's bonus, rounded up
    amount: int
    source: str  # the decree


class UnpricedRead(BaseModel):
    award: str
    award_name: str
    nominee_kind: str
    nominee_kind_name: str
    signed_on: date | None
    count: int
    reason: str


class BonusLineRead(BaseModel):
    """The bonus line: computed from the standing commendations when a draft is read, frozen
    as it was when the estimate was submitted."""

    task: str = BONUS_TASK
    task_name: str
    amount: int
    items: list[BonusItemRead]
    unpriced: list[UnpricedRead]  # not priced, not counted: for the finance office
    unpriced_count: int
    frozen: bool
    computed_at: datetime


class AllocationRead(BaseModel):
    lines: list[LineRead]
    total: int
    note: str | None
    allocated_by: str
    allocated_at: datetime


class ReturnRead(BaseModel):
    reason: str
    returned_by: str
    returned_at: datetime


class BudgetEstimateRead(BaseModel):
    id: str
    unit_id: str
    unit_name: str
    year: int
    status: Status
    status_name: str
    lines: list[LineRead]
    bonus: BonusLineRead
    estimated: int  # the lines and the bonus line
    notes: str | None
    submitted_at: datetime | None
    submitted_by: str | None
    allocation: AllocationRead | None
    returned: ReturnRead | None  # the last time finance sent it back
    created_at: datetime
    created_by: str
    updated_at: datetime | None
    etag: str

    @classmethod
    def of(cls, estimate: service.Estimate, profile: Profile) -> BudgetEstimateRead:
        row, tasks = estimate.row, profile.budget.tasks
        return cls(
            id=row.id, unit_id=row.unit_id, unit_name=row.unit_name, year=row.year,
            status=row.status, status_name=STATUS_NAMES[Status(row.status)],
            lines=[_line(tasks, raw) for raw in row.lines],
            bonus=_bonus(tasks, estimate), estimated=estimate.estimated, notes=row.notes,
            submitted_at=row.submitted_at, submitted_by=row.submitted_by,
            allocation=_allocation(tasks, row), returned=None if row.returned_at is None
            else ReturnRead(reason=row.returned_reason or "", returned_by=row.returned_by or "",
                            returned_at=row.returned_at),
            created_at=row.created_at, created_by=row.created_by, updated_at=row.updated_at,
            etag=f'"{row.version}"')


class BudgetEstimatePage(BaseModel):
    items: list[BudgetEstimateRead]
    total: int


class UnitTotal(BaseModel):
    """A unit's estimate; or, for a unit that pays a bonus and has filed none, "not_estimated"
    with its bonus line as it stands (then `estimated` is that bonus)."""

    unit_id: str
    unit_name: str
    estimate_id: str | None
    status: Status | Literal["not_estimated"]
    status_name: str
    estimated: int
    bonus: int
    allocated: int
    unpriced: int  # commendations the bonus line could not price


class BudgetTotals(BaseModel):
    year: int
    units: list[UnitTotal]
    estimated: int
    bonus: int
    allocated: int
    unpriced: int


def _line(tasks: Mapping[str, str], raw: dict[str, Any]) -> LineRead:
    task = raw["task"]
    name = tasks.get(task, BONUS_NAME if task == BONUS_TASK else task)
    return LineRead(task=task, task_name=name, amount=raw["amount"], note=raw.get("note"))


def _kind(raw: dict[str, Any]) -> dict[str, Any]:
    return {**raw, "nominee_kind_name": KIND_NAMES.get(raw["nominee_kind"], raw["nominee_kind"])}


def _bonus(tasks: Mapping[str, str], estimate: service.Estimate) -> BonusLineRead:
    bonus = estimate.bonus
    return BonusLineRead(
        task_name=tasks.get(BONUS_TASK, BONUS_NAME), amount=bonus["amount"],
        items=[_kind(i) for i in bonus["items"]], unpriced=[_kind(u) for u in bonus["unpriced"]],
        unpriced_count=bonus["unpriced_count"], frozen=estimate.frozen,
        computed_at=bonus["computed_at"])


def _allocation(tasks: Mapping[str, str], row: store.BudgetEstimate) -> AllocationRead | None:
    if row.allocation is None or row.allocated_at is None:
        return None
    return AllocationRead(lines=[_line(tasks, {**raw, "note": None}) for raw in row.allocation],
                          total=row.allocated or 0, note=row.allocation_note,
                          allocated_by=row.allocated_by or "", allocated_at=row.allocated_at)


def totals(year: int, estimates: list[service.Estimate],
           pending: list[service.Pending]) -> BudgetTotals:
    units = [UnitTotal(unit_id=e.row.unit_id, unit_name=e.row.unit_name, estimate_id=e.row.id,
                       status=e.row.status, status_name=STATUS_NAMES[Status(e.row.status)],
                       estimated=e.estimated, bonus=e.bonus["amount"],
                       allocated=e.row.allocated or 0, unpriced=e.bonus["unpriced_count"])
             for e in estimates]
    units += [UnitTotal(unit_id=p.unit_id, unit_name=p.unit_name, estimate_id=None,
                        status="not_estimated", status_name=NOT_ESTIMATED, estimated=p.estimated,
                        bonus=p.bonus["amount"], allocated=0, unpriced=p.bonus["unpriced_count"])
              for p in pending]
    return BudgetTotals(year=year, units=units, estimated=sum(u.estimated for u in units),
                        bonus=sum(u.bonus for u in units),
                        allocated=sum(u.allocated for u in units),
                        unpriced=sum(u.unpriced for u in units))
