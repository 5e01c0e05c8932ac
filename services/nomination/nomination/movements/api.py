"""HTTP routes of movements and campaigns and of the registrations for them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from exemplar.runtime import RuntimeDep, Uow

from ..access import Head, IfMatch, Officer, Reader, expected_version
from . import registrations, service

router = APIRouter(prefix="/movements", tags=["movements"])

MovementKind = Literal["regular", "campaign", "thematic"]
Target = Annotated[str, Field(min_length=1, max_length=2000)]
# One text or a list of texts; a single text is a list of one.
Targets = Annotated[list[Target], BeforeValidator(lambda v: [v] if isinstance(v, str) else v),
                    Field(max_length=100)]


class MovementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    field: str = Field(min_length=1, max_length=100)
    kind: MovementKind = "regular"
    starts_on: date
    ends_on: date | None = None
    targets: Targets = Field(default_factory=list)
    interim_review_on: date | None = None
    final_review_on: date | None = None
    directive: str | None = Field(default=None, min_length=1, max_length=500)


class MovementUpdate(BaseModel):
    """PATCH of a draft: only the fields given change (null clears an optional one)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(default=None, min_length=1, max_length=300)
    field: str = Field(default=None, min_length=1, max_length=100)
    kind: MovementKind = None
    starts_on: date = None
    ends_on: date | None = None
    targets: Targets = None
    interim_review_on: date | None = None
    final_review_on: date | None = None
    directive: str | None = Field(default=None, min_length=1, max_length=500)


class MovementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    unit_id: str
    unit_name: str
    title: str
    field: str
    kind: str
    starts_on: date
    ends_on: date | None
    targets: list[str]
    interim_review_on: date | None
    final_review_on: date | None
    directive: str | None
    status: str
    created_by: str
    created_at: datetime
    launched_by: str | None
    launched_at: datetime | None
    closed_at: datetime | None
    etag: str


class RegistrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    targets: Targets


class ReturnIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=2000)


class RegistrationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    movement_id: str
    unit_id: str
    unit_name: str
    targets: list[str]
    status: str
    return_reason: str | None
    created_by: str
    created_at: datetime
    sent_by: str | None
    sent_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    etag: str


def _read(model: type[BaseModel], row, response: Response | None = None):
    etag = f'"{row.row_version}"'
    if response is not None:
        response.headers["ETag"] = etag
    return model.model_validate({**{k: getattr(row, k) for k in model.model_fields
                                    if k != "etag"}, "etag": etag})


# -- movements -----------------------------------------------------------------------------------

@router.post("", status_code=201, response_model=MovementRead)
async def create_movement(body: MovementCreate, user: Officer, uow: Uow, runtime: RuntimeDep,
                          response: Response) -> MovementRead:
    """A draft movement or campaign of the user's own unit (unit_officer, unit_head)."""
    movement = await service.create_movement(uow, profile=runtime.profile, user=user,
                                             values=body.model_dump())
    response.headers["Location"] = f"/movements/{movement.id}"
    return _read(MovementRead, movement, response)


@router.get("", response_model=list[MovementRead])
async def list_movements(user: Reader, uow: Uow, runtime: RuntimeDep,
                         status: str | None = None, kind: MovementKind | None = None,
                         field: str | None = None, unit_id: str | None = None,
                         year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                         limit: Annotated[int, Query(ge=1, le=500)] = 50,
                         offset: Annotated[int, Query(ge=0)] = 0) -> list[MovementRead]:
    """Own unit's movements (drafts too) and the launched ones open to it; standing office
    and viewers: every launched one."""
    rows = await service.list_movements(
        uow, profile=runtime.profile, user=user, year=year, limit=limit, offset=offset,
        filters={"status": status, "kind": kind, "field": field, "unit_id": unit_id})
    return [_read(MovementRead, m) for m in rows]


@router.get("/{movement_id}", response_model=MovementRead)
async def read_movement(movement_id: str, user: Reader, uow: Uow, runtime: RuntimeDep,
                        response: Response) -> MovementRead:
    movement = await service.get_movement(uow, profile=runtime.profile, user=user,
                                          movement_id=movement_id)
    return _read(MovementRead, movement, response)


@router.patch("/{movement_id}", response_model=MovementRead)
async def edit_movement(movement_id: str, body: MovementUpdate, user: Officer, uow: Uow,
                        runtime: RuntimeDep, response: Response,
                        if_match: IfMatch = None) -> MovementRead:
    """Edit a draft; If-Match must carry the ETag last read."""
    movement = await service.edit_movement(
        uow, profile=runtime.profile, user=user, movement_id=movement_id,
        expected=expected_version(if_match, required=True),
        changes=body.model_dump(exclude_unset=True))
    return _read(MovementRead, movement, response)


@router.post("/{movement_id}/launch", response_model=MovementRead)
async def launch_movement(movement_id: str, user: Head, uow: Uow, response: Response,
                          if_match: IfMatch = None) -> MovementRead:
    """The unit head launches it (`movement_launched`); lower units may then register."""
    movement = await service.launch_movement(
        uow, user=user, movement_id=movement_id,
        expected=expected_version(if_match, required=False))
    return _read(MovementRead, movement, response)


@router.post("/{movement_id}/close", response_model=MovementRead)
async def close_movement(movement_id: str, user: Head, uow: Uow, response: Response,
                         if_match: IfMatch = None) -> MovementRead:
    movement = await service.close_movement(
        uow, user=user, movement_id=movement_id,
        expected=expected_version(if_match, required=False))
    return _read(MovementRead, movement, response)


# -- registrations -------------------------------------------------------------------------------

@router.post("/{movement_id}/registrations", status_code=201, response_model=RegistrationRead)
async def register_for_movement(movement_id: str, body: RegistrationIn, user: Officer,
                                uow: Uow, runtime: RuntimeDep,
                                response: Response) -> RegistrationRead:
    """A lower unit registers with its targets (a draft its head will send)."""
    registration = await registrations.register_for_movement(
        uow, profile=runtime.profile, user=user, movement_id=movement_id,
        targets=body.targets)
    response.headers["Location"] = (f"/movements/{movement_id}/registrations/"
                                    f"{registration.id}")
    return _read(RegistrationRead, registration, response)


@router.get("/{movement_id}/registrations", response_model=list[RegistrationRead])
async def list_registrations(movement_id: str, user: Reader, uow: Uow,
                             runtime: RuntimeDep) -> list[RegistrationRead]:
    rows = await registrations.list_registrations(uow, profile=runtime.profile, user=user,
                                                  movement_id=movement_id)
    return [_read(RegistrationRead, r) for r in rows]


@router.get("/{movement_id}/registrations/{registration_id}",
            response_model=RegistrationRead)
async def read_registration(movement_id: str, registration_id: str, user: Reader, uow: Uow,
                            runtime: RuntimeDep, response: Response) -> RegistrationRead:
    registration = await registrations.get_registration(
        uow, profile=runtime.profile, user=user, movement_id=movement_id,
        registration_id=registration_id)
    return _read(RegistrationRead, registration, response)


@router.patch("/{movement_id}/registrations/{registration_id}",
              response_model=RegistrationRead)
async def edit_registration(movement_id: str, registration_id: str, body: RegistrationIn,
                            user: Officer, uow: Uow, response: Response,
                            if_match: IfMatch = None) -> RegistrationRead:
    """Edit a draft or returned registration; If-Match must carry the ETag last read."""
    registration = await registrations.edit_registration(
        uow, user=user, movement_id=movement_id, registration_id=registration_id,
        expected=expected_version(if_match, required=True), targets=body.targets)
    return _read(RegistrationRead, registration, response)


@router.post("/{movement_id}/registrations/{registration_id}/send",
             response_model=RegistrationRead)
async def send_registration(movement_id: str, registration_id: str, user: Head, uow: Uow,
                            response: Response, if_match: IfMatch = None) -> RegistrationRead:
    """The registering unit's head sends it to the launching unit."""
    registration = await registrations.send_registration(
        uow, user=user, movement_id=movement_id, registration_id=registration_id,
        expected=expected_version(if_match, required=False))
    return _read(RegistrationRead, registration, response)


@router.post("/{movement_id}/registrations/{registration_id}/approve",
             response_model=RegistrationRead)
async def approve_registration(movement_id: str, registration_id: str, user: Head, uow: Uow,
                               response: Response,
                               if_match: IfMatch = None) -> RegistrationRead:
    """The launching unit's head approves a sent registration."""
    registration = await registrations.decide_registration(
        uow, user=user, movement_id=movement_id, registration_id=registration_id,
        approve=True, expected=expected_version(if_match, required=False))
    return _read(RegistrationRead, registration, response)


@router.post("/{movement_id}/registrations/{registration_id}/return",
             response_model=RegistrationRead)
async def return_registration(movement_id: str, registration_id: str, body: ReturnIn,
                              user: Head, uow: Uow, response: Response,
                              if_match: IfMatch = None) -> RegistrationRead:
    """The launching unit's head returns a sent registration with a reason."""
    registration = await registrations.decide_registration(
        uow, user=user, movement_id=movement_id, registration_id=registration_id,
        approve=False, reason=body.reason, expected=expected_version(if_match, required=False))
    return _read(RegistrationRead, registration, response)
