"""HTTP routes of training sessions (tập huấn) for emulation staff."""

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
from .domain import Attendance

router = APIRouter(prefix="/trainings", tags=["training"])
TrainingId = Annotated[str, Path(pattern=ID_PATTERN)]


class ParticipationBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit_id: Id
    count: Annotated[int, Field(ge=1, le=10_000)]
    names: Annotated[list[Text(200)], Field(max_length=10_000)] = []

    def domain(self) -> Attendance:
        return Attendance(unit_id=self.unit_id, count=self.count, names=tuple(self.names))


Participants = Annotated[list[ParticipationBody], Field(min_length=1, max_length=500)]
Trainers = Annotated[list[Text(200)], Field(min_length=1, max_length=50)]


class TrainingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    held_on: date
    topic: Text(500)
    organiser_unit_id: Id
    place: Text(300)
    trainers: Trainers
    participants: Participants


class TrainingUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    held_on: date | None = None
    topic: Text(500) | None = None
    organiser_unit_id: Id | None = None
    place: Text(300) | None = None
    trainers: Trainers | None = None
    participants: Participants | None = None  # replaces every line


class ParticipationRead(BaseModel):
    unit_id: str
    unit_name: str
    count: int
    names: list[str]


class TrainingRead(BaseModel):
    id: str
    year: int
    held_on: date
    topic: str
    organiser_unit_id: str
    organiser_unit_name: str
    place: str
    trainers: list[str]
    participants: list[ParticipationRead]  # a unit's staff: their own unit's line only
    participants_total: int  # people in the lines shown
    created_at: datetime
    created_by: str
    updated_at: datetime | None
    etag: str

    @classmethod
    def of(cls, found: service.Session) -> TrainingRead:
        training, lines = found
        return cls.model_validate({
            **{name: getattr(training, name) for name in cls.model_fields
               if hasattr(store.Training, name)},
            "participants": [ParticipationRead(unit_id=p.unit_id, unit_name=p.unit_name,
                                               count=p.count, names=p.names) for p in lines],
            "participants_total": sum(p.count for p in lines),
            "etag": f'"{training.version}"'})


class TrainingPage(BaseModel):
    items: list[TrainingRead]
    total: int


def _answer(found: service.Session, response: Response) -> TrainingRead:
    response.headers["ETag"] = f'"{found[0].version}"'
    return TrainingRead.of(found)


@router.post("", status_code=201, response_model=TrainingRead)
async def record_training(body: TrainingCreate, user: Office, uow: Uow, runtime: RuntimeDep,
                          response: Response,
                          idempotency_key: IdempotencyKey = None) -> TrainingRead:
    """A session the standing office held or organised, with who came from which unit. A
    retry with the same Idempotency-Key answers with the session the first request
    recorded."""
    found = await service.record_training(
        uow, profile=runtime.profile, user=user, held_on=body.held_on, topic=body.topic,
        organiser_unit_id=body.organiser_unit_id, place=body.place, trainers=body.trainers,
        attendance=[p.domain() for p in body.participants],
        once=Once(idempotency_key, "trainings.create", body.model_dump(mode="json")))
    response.headers["Location"] = f"/trainings/{found[0].id}"
    return _answer(found, response)


@router.get("", response_model=TrainingPage)
async def list_trainings(
        user: FigureReader, uow: Uow, runtime: RuntimeDep,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        unit_id: Annotated[Id | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> TrainingPage:
    """The office, the chair and the viewer see every session (or those `unit_id` attended);
    a unit's staff, the sessions their unit attended, with their own line only."""
    found, total = await service.list_trainings(
        uow, profile=runtime.profile, user=user, year=year, unit_id=unit_id, limit=limit,
        offset=offset)
    return TrainingPage(items=[TrainingRead.of(f) for f in found], total=total)


@router.get("/{training_id}", response_model=TrainingRead)
async def read_training(training_id: TrainingId, user: FigureReader, uow: Uow,
                        response: Response) -> TrainingRead:
    found = await service.read_training(uow, user=user, training_id=training_id)
    return _answer(found, response)


@router.patch("/{training_id}", response_model=TrainingRead)
async def edit_training(training_id: TrainingId, body: TrainingUpdate, user: Office, uow: Uow,
                        runtime: RuntimeDep, response: Response,
                        if_match: IfMatch = None) -> TrainingRead:
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    if body.participants is not None:
        changes.pop("participants")
        changes["attendance"] = [p.domain() for p in body.participants]
    found = await service.edit_training(
        uow, profile=runtime.profile, user=user, training_id=training_id, changes=changes,
        expected_version=expected_version(if_match, required=True))
    return _answer(found, response)
