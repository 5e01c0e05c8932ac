"""HTTP routes of nominations: validate, call the use case, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from exemplar.concurrency import commit
from exemplar.events.common import CommendationKind, NomineeKind
from exemplar.runtime import RuntimeDep, Uow

from ..access import Head, IfMatch, Officer, Reader, expected_version
from . import lifecycle, service
from .domain import NominationStatus
from .schemas import (
    NominationCreate,
    NominationPage,
    NominationRead,
    NominationUpdate,
    WithdrawIn,
)

router = APIRouter(prefix="/nominations", tags=["nominations"])

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def _read(nomination, response: Response) -> NominationRead:
    response.headers["ETag"] = f'"{nomination.version}"'
    return NominationRead.model_validate(nomination)


@router.post("", status_code=201, response_model=NominationRead)
async def create_nomination(body: NominationCreate, user: Officer, uow: Uow,
                            runtime: RuntimeDep, response: Response,
                            idempotency_key: IdempotencyKey = None) -> NominationRead:
    """A draft of the user's own unit (unit_officer or unit_head)."""
    request = body.model_dump(mode="json")
    done = await lifecycle.replayed(uow, user=user, key=idempotency_key, operation="create",
                                    request=request)
    if done:
        return _read(await service.own_nomination(uow, user=user, nomination_id=done),
                     response)
    nomination = await service.create_draft(uow, profile=runtime.profile, user=user,
                                            data=body, commit=False)
    lifecycle.remember(uow, user=user, key=idempotency_key, operation="create",
                       request=request, nomination_id=nomination.id)
    await commit(uow)
    response.headers["Location"] = f"/nominations/{nomination.id}"
    return _read(nomination, response)


@router.patch("/{nomination_id}", response_model=NominationRead)
async def update_nomination(nomination_id: str, body: NominationUpdate, user: Officer,
                            uow: Uow, runtime: RuntimeDep, response: Response,
                            if_match: IfMatch = None) -> NominationRead:
    """Edit a draft or returned nomination; If-Match must carry the ETag last read."""
    nomination = await service.update_draft(
        uow, profile=runtime.profile, user=user, nomination_id=nomination_id,
        expected_version=expected_version(if_match, required=True), changes=body)
    return _read(nomination, response)


@router.post("/{nomination_id}/submit", response_model=NominationRead)
async def submit_nomination(nomination_id: str, user: Head, uow: Uow, runtime: RuntimeDep,
                            response: Response, if_match: IfMatch = None,
                            idempotency_key: IdempotencyKey = None) -> NominationRead:
    """The unit head sends it to the standing office (a new revision after a return)."""
    nomination = await lifecycle.submit_nomination(
        uow, profile=runtime.profile, user=user, nomination_id=nomination_id,
        expected_version=expected_version(if_match, required=False),
        idempotency_key=idempotency_key)
    return _read(nomination, response)


@router.post("/{nomination_id}/withdraw", response_model=NominationRead)
async def withdraw_nomination(nomination_id: str, body: WithdrawIn, user: Head, uow: Uow,
                              response: Response) -> NominationRead:
    nomination = await lifecycle.withdraw_nomination(uow, user=user,
                                                     nomination_id=nomination_id,
                                                     reason=body.reason)
    return _read(nomination, response)


@router.get("/{nomination_id}", response_model=NominationRead)
async def read_nomination(nomination_id: str, user: Reader, uow: Uow,
                          response: Response) -> NominationRead:
    return _read(await service.get_nomination(uow, user=user, nomination_id=nomination_id),
                 response)


@router.get("", response_model=NominationPage)
async def list_nominations(
        user: Reader, uow: Uow, unit_id: str | None = None, year: int | None = None,
        status: NominationStatus | None = None, field: str | None = None,
        movement_id: str | None = None, commendation_kind: CommendationKind | None = None,
        nominee_kind: NomineeKind | None = None,
        q: Annotated[str | None, Query(max_length=200, description="tên, không dấu")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0) -> NominationPage:
    """Filter by unit, year, status, field, movement, kind; `q` ignores diacritics."""
    filters = {"year": year, "status": status, "field": field, "movement_id": movement_id,
               "commendation_kind": commendation_kind, "nominee_kind": nominee_kind}
    rows, total = await service.search_nominations(uow, user=user, unit_id=unit_id,
                                                   filters=filters, q=q, limit=limit,
                                                   offset=offset)
    return NominationPage(items=[NominationRead.model_validate(n) for n in rows],
                          total=total, limit=limit, offset=offset)
