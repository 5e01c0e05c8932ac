"""HTTP routes of inspections (kiểm tra, giám sát): plans, findings, follow-up."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from exemplar.concurrency import IfMatch, expected_version
from exemplar.runtime import RuntimeDep, Uow
from exemplar.text import ID_PATTERN, Id, Text

from ..access import FigureReader, Office
from ..idempotency import IdempotencyKey, Once
from . import service, store
from .access import FollowUpWriter
from .domain import (
    FOLLOW_UP_NAMES,
    STATUS_NAMES,
    FollowUp,
    Member,
    Recommendation,
    Status,
)

router = APIRouter(prefix="/inspections", tags=["inspections"])
InspectionId = Annotated[str, Path(pattern=ID_PATTERN)]
UnitId = Annotated[str, Path(pattern=ID_PATTERN)]
Year = Annotated[int, Field(ge=2000, le=2100)]


class MemberBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Text(200)
    position: Text(200)  # chức vụ
    unit: Text(300)  # the agency the member comes from
    leader: bool = False

    def domain(self) -> Member:
        return Member(name=self.name, position=self.position, unit=self.unit,
                      leader=self.leader)


Team = Annotated[list[MemberBody], Field(min_length=1, max_length=50)]
Units = Annotated[list[Id], Field(min_length=1, max_length=200)]


class InspectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    year: Year
    title: Text(300)
    content: Text(10_000)  # content and scope
    period_from: date
    period_to: date
    team: Team
    units: Units


class InspectionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Text(300) | None = None
    content: Text(10_000) | None = None
    period_from: date | None = None
    period_to: date | None = None
    team: Team | None = None
    units: Units | None = None
    status: Status | None = None


class RecommendationBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Text(2000)
    due_on: date


class FindingsUpdate(BaseModel):
    """What the team found at a unit (PUT: the whole record, again if corrected)."""

    model_config = ConfigDict(extra="forbid")
    inspected_on: date
    findings: Annotated[list[Text(2000)], Field(max_length=100)]
    recommendations: Annotated[list[RecommendationBody], Field(max_length=100)]


class FollowUpUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: FollowUp
    note: Text(2000) | None = None


class RecommendationRead(BaseModel):
    number: int  # 1, 2, … as in the path of its follow-up
    text: str
    due_on: date
    status: FollowUp
    status_name: str
    note: str | None
    updated_by: str | None
    updated_at: datetime | None


class InspectedUnitRead(BaseModel):
    unit_id: str
    unit_name: str
    inspected_on: date | None
    findings: list[str]
    recommendations: list[RecommendationRead]
    recorded_at: datetime | None
    recorded_by: str | None
    etag: str  # the If-Match of its findings and follow-up

    @classmethod
    def of(cls, unit: store.InspectedUnit) -> InspectedUnitRead:
        return cls(
            unit_id=unit.unit_id, unit_name=unit.unit_name, inspected_on=unit.inspected_on,
            findings=unit.findings, recorded_at=unit.recorded_at, recorded_by=unit.recorded_by,
            recommendations=[RecommendationRead(
                number=i, status_name=FOLLOW_UP_NAMES[FollowUp(r["status"])], **r)
                for i, r in enumerate(unit.recommendations, start=1)],
            etag=f'"{unit.version}"')


class MemberRead(BaseModel):
    name: str
    position: str
    unit: str
    leader: bool


class InspectionRead(BaseModel):
    id: str
    year: int
    title: str
    content: str
    period_from: date
    period_to: date
    team: list[MemberRead]
    leader: str  # the leader's name
    units: list[InspectedUnitRead]  # a unit's staff: their own unit only
    status: Status
    status_name: str
    created_at: datetime
    created_by: str
    updated_at: datetime | None
    etag: str

    @classmethod
    def of(cls, plan: service.Plan) -> InspectionRead:
        inspection, units = plan
        return cls(
            id=inspection.id, year=inspection.year, title=inspection.title,
            content=inspection.content, period_from=inspection.period_from,
            period_to=inspection.period_to, team=inspection.team,
            leader=next(m["name"] for m in inspection.team if m["leader"]),
            units=[InspectedUnitRead.of(u) for u in units], status=inspection.status,
            status_name=STATUS_NAMES[Status(inspection.status)],
            created_at=inspection.created_at, created_by=inspection.created_by,
            updated_at=inspection.updated_at, etag=f'"{inspection.version}"')


class InspectionPage(BaseModel):
    items: list[InspectionRead]
    total: int


def _answer(plan: service.Plan, response: Response) -> InspectionRead:
    response.headers["ETag"] = f'"{plan[0].version}"'
    return InspectionRead.of(plan)


def _unit_answer(unit: store.InspectedUnit, response: Response) -> InspectedUnitRead:
    response.headers["ETag"] = f'"{unit.version}"'
    return InspectedUnitRead.of(unit)


@router.post("", status_code=201, response_model=InspectionRead)
async def plan_inspection(body: InspectionCreate, user: Office, uow: Uow, runtime: RuntimeDep,
                          response: Response,
                          idempotency_key: IdempotencyKey = None) -> InspectionRead:
    """The standing office's plan for a year: what, when, by whom, which units (each existing
    during the inspection). A retry with the same Idempotency-Key answers with the plan the
    first request made."""
    plan = await service.plan_inspection(
        uow, profile=runtime.profile, user=user, year=body.year, title=body.title,
        content=body.content, period_from=body.period_from, period_to=body.period_to,
        team=[m.domain() for m in body.team], unit_ids=body.units,
        once=Once(idempotency_key, "inspections.create", body.model_dump(mode="json")))
    response.headers["Location"] = f"/inspections/{plan[0].id}"
    return _answer(plan, response)


@router.get("", response_model=InspectionPage)
async def list_inspections(
        user: FigureReader, uow: Uow, runtime: RuntimeDep,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        status: Status | None = None, unit_id: Annotated[Id | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> InspectionPage:
    """The office, the chair and the viewer see every plan; a unit's staff, the plans that
    inspect their unit, with their unit's results only."""
    plans, total = await service.list_inspections(
        uow, profile=runtime.profile, user=user, year=year, status=status, unit_id=unit_id,
        limit=limit, offset=offset)
    return InspectionPage(items=[InspectionRead.of(p) for p in plans], total=total)


@router.get("/{inspection_id}", response_model=InspectionRead)
async def read_inspection(inspection_id: InspectionId, user: FigureReader, uow: Uow,
                          response: Response) -> InspectionRead:
    plan = await service.read_inspection(uow, user=user, inspection_id=inspection_id)
    return _answer(plan, response)


@router.patch("/{inspection_id}", response_model=InspectionRead)
async def edit_inspection(inspection_id: InspectionId, body: InspectionUpdate, user: Office,
                          uow: Uow, runtime: RuntimeDep, response: Response,
                          if_match: IfMatch = None) -> InspectionRead:
    """Change the plan until it is done; `status` moves it on (planned → in_progress →
    done, once every unit has its findings)."""
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    if body.team is not None:
        changes["team"] = [m.domain() for m in body.team]
    if body.units is not None:
        changes["unit_ids"] = changes.pop("units")
    plan = await service.edit_inspection(
        uow, profile=runtime.profile, user=user, inspection_id=inspection_id, changes=changes,
        expected_version=expected_version(if_match, required=True))
    return _answer(plan, response)


@router.get("/{inspection_id}/units/{unit_id}", response_model=InspectedUnitRead)
async def read_inspected_unit(inspection_id: InspectionId, unit_id: UnitId, user: FigureReader,
                              uow: Uow, response: Response) -> InspectedUnitRead:
    unit = await service.read_inspected_unit(uow, user=user, inspection_id=inspection_id,
                                             unit_id=unit_id)
    return _unit_answer(unit, response)


@router.put("/{inspection_id}/units/{unit_id}", response_model=InspectedUnitRead)
async def record_findings(inspection_id: InspectionId, unit_id: UnitId, body: FindingsUpdate,
                          user: Office, uow: Uow, response: Response,
                          if_match: IfMatch = None) -> InspectedUnitRead:
    """The unit's findings and recommendations, while the inspection is under way; If-Match
    is the unit's own ETag (in the plan's `units`)."""
    unit = await service.record_findings(
        uow, user=user, inspection_id=inspection_id, unit_id=unit_id,
        inspected_on=body.inspected_on, findings=body.findings,
        recommendations=[Recommendation(text=r.text, due_on=r.due_on)
                         for r in body.recommendations],
        expected_version=expected_version(if_match, required=True))
    return _unit_answer(unit, response)


@router.patch("/{inspection_id}/units/{unit_id}/recommendations/{number}",
              response_model=InspectedUnitRead)
async def record_follow_up(inspection_id: InspectionId, unit_id: UnitId,
                           number: Annotated[int, Path(ge=1, le=100)], body: FollowUpUpdate,
                           user: FollowUpWriter, uow: Uow, response: Response,
                           if_match: IfMatch = None) -> InspectedUnitRead:
    """The inspected unit (or the office) says how far it has got with a recommendation."""
    unit = await service.record_follow_up(
        uow, user=user, inspection_id=inspection_id, unit_id=unit_id, number=number,
        status=body.status, note=body.note,
        expected_version=expected_version(if_match, required=True))
    return _unit_answer(unit, response)
