"""HTTP routes of exchanges and ceremonies (giao lưu, tôn vinh điển hình tiên tiến)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from exemplar.concurrency import IfMatch, expected_version
from exemplar.runtime import RuntimeDep, Uow
from exemplar.text import ID_PATTERN, Id, Text

from ..access import Reader
from . import service, store
from .access import Organiser
from .domain import (
    KIND_NAMES,
    OCCASION_NAMES,
    STATUS_NAMES,
    Kind,
    Occasion,
    OccasionKind,
    Status,
)

router = APIRouter(prefix="/exchanges", tags=["exchanges"])

ExchangeId = Annotated[str, Path(pattern=ID_PATTERN)]


class OccasionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: OccasionKind
    name: Text(300)

    def domain(self) -> Occasion:
        return Occasion(kind=self.kind, name=self.name)


class ExchangeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Kind
    title: Text(300)
    held_on: date
    place: Text(300)
    audience: Text(300)  # "Trường THCS Đắk Ơ", "Hội nghị tổng kết phong trào thi đua"
    channel_id: Id | None = None
    exemplars: list[Id] = Field(min_length=1, max_length=100)
    occasion: OccasionBody | None = None


class ExchangeUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Kind | None = None
    title: Text(300) | None = None
    held_on: date | None = None
    place: Text(300) | None = None
    audience: Text(300) | None = None
    exemplars: list[Id] | None = Field(default=None, min_length=1, max_length=100)
    occasion: OccasionBody | None = None  # null takes the occasion away


class ExchangeRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    held: bool
    attendance: Annotated[int, Field(ge=0, le=1_000_000)]
    notes: Text(5000) | None = None
    held_on: date | None = None  # the day it was actually held, when not the planned one


class OccasionRead(BaseModel):
    kind: OccasionKind
    kind_name: str
    name: str


class RemovedRead(BaseModel):
    """An exemplar taken off the meeting because its decision was revoked."""

    nomination_id: str
    nominee_name: str | None
    reason: str
    removed_at: datetime


class ExchangeRead(BaseModel):
    id: str
    kind: Kind
    kind_name: str
    title: str
    held_on: date
    planned_on: date
    place: str
    audience: str
    channel_id: str | None
    exemplars: list[dict[str, Any]]
    removed: list[RemovedRead]
    occasion: OccasionRead | None
    status: Status
    status_name: str
    held: bool | None
    attendance: int | None
    notes: str | None
    recorded_at: datetime | None
    recorded_by: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime | None
    etag: str

    @classmethod
    def of(cls, exchange: store.Exchange) -> ExchangeRead:
        occasion = service.occasion_of(exchange)
        return cls.model_validate({
            **{name: getattr(exchange, name) for name in cls.model_fields
               if hasattr(store.Exchange, name)},
            "kind_name": KIND_NAMES[Kind(exchange.kind)],
            "status_name": STATUS_NAMES[Status(exchange.status)],
            "occasion": OccasionRead(kind=occasion.kind, name=occasion.name,
                                     kind_name=OCCASION_NAMES[OccasionKind(occasion.kind)])
            if occasion else None,
            "etag": f'"{exchange.version}"'})


class ExchangePage(BaseModel):
    items: list[ExchangeRead]
    total: int


def _answer(exchange: store.Exchange, response: Response) -> ExchangeRead:
    response.headers["ETag"] = f'"{exchange.version}"'
    return ExchangeRead.of(exchange)


@router.post("", status_code=201, response_model=ExchangeRead)
async def schedule_exchange(body: ExchangeCreate, user: Organiser, uow: Uow,
                            runtime: RuntimeDep, response: Response) -> ExchangeRead:
    """An exchange or a ceremony presenting exemplars whose stories are approved; a
    ceremony names its occasion."""
    exchange = await service.schedule_exchange(
        uow, profile=runtime.profile, user=user, kind=body.kind, title=body.title,
        held_on=body.held_on, place=body.place, audience=body.audience,
        channel_id=body.channel_id, nomination_ids=body.exemplars,
        occasion=body.occasion.domain() if body.occasion else None)
    response.headers["Location"] = f"/exchanges/{exchange.id}"
    return _answer(exchange, response)


@router.get("", response_model=ExchangePage)
async def list_exchanges(
        user: Reader, uow: Uow, kind: Kind | None = None, status: Status | None = None,
        channel_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
        year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> ExchangePage:
    """The office and the viewer see every one; an editor, their own channels'."""
    rows, total = await service.list_exchanges(
        uow, user=user, filters={"kind": kind, "status": status, "channel_id": channel_id},
        year=year, limit=limit, offset=offset)
    return ExchangePage(items=[ExchangeRead.of(e) for e in rows], total=total)


@router.get("/{exchange_id}", response_model=ExchangeRead)
async def read_exchange(exchange_id: ExchangeId, user: Reader, uow: Uow,
                        response: Response) -> ExchangeRead:
    exchange = await service.read_exchange(uow, user=user, exchange_id=exchange_id)
    return _answer(exchange, response)


@router.patch("/{exchange_id}", response_model=ExchangeRead)
async def edit_exchange(exchange_id: ExchangeId, body: ExchangeUpdate, user: Organiser, uow: Uow,
                        response: Response, if_match: IfMatch = None) -> ExchangeRead:
    changes = body.model_dump(exclude_unset=True, exclude={"occasion", "exemplars"})
    changes = {k: v for k, v in changes.items() if v is not None}
    if "occasion" in body.model_fields_set:
        changes["occasion"] = body.occasion.domain() if body.occasion else None
    if body.exemplars is not None:
        changes["nomination_ids"] = body.exemplars
    exchange = await service.edit_exchange(
        uow, user=user, exchange_id=exchange_id, changes=changes,
        expected_version=expected_version(if_match, required=True))
    return _answer(exchange, response)


@router.post("/{exchange_id}/record", response_model=ExchangeRead)
async def record_exchange(exchange_id: ExchangeId, body: ExchangeRecord, user: Organiser, uow: Uow,
                          response: Response, if_match: IfMatch = None) -> ExchangeRead:
    """Recorded once, from the day it was held: a second record is a conflict. Both this and
    an edit name the version read (If-Match): what is recorded is what the organiser saw."""
    exchange = await service.record_exchange(
        uow, user=user, exchange_id=exchange_id, held=body.held, attendance=body.attendance,
        notes=body.notes, held_on=body.held_on,
        expected_version=expected_version(if_match, required=True))
    return _answer(exchange, response)
