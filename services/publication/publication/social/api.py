"""HTTP routes of social: what became of a story's deliveries to its page (the story, then its
retraction if it was withdrawn), attempt by attempt, for the channel's editors and the
standing office."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict

from exemplar.auth import Principal, require_roles
from exemplar.errors import NotFound
from exemplar.runtime import Uow
from exemplar.text import ID_PATTERN

from ..access import channel_scope
from . import store
from .domain import ACTION_NAMES, STATUS_NAMES, Action, Ds

router = APIRouter(prefix="/deliveries", tags=["social"])

Watcher = Annotated[Principal, Depends(require_roles("editor", "standing_office"))]
NOT_FOUND = "Không tìm thấy lượt gửi."
DeliveryId = Annotated[str, Path(pattern=ID_PATTERN)]
IdFilter = Annotated[str | None, Query(pattern=ID_PATTERN)]


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str  # also the Idempotency-Key the receiver saw
    story_id: str
    channel_id: str
    action: Action  # published: the story posted; withdrawn: its post taken down
    action_name: str
    status: Ds
    status_name: str
    attempt_count: int
    next_attempt_at: datetime | None  # only while pending
    reason: str | None
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None

    @classmethod
    def of(cls, delivery: store.Delivery) -> DeliveryRead:
        pending = delivery.status == Ds.pending
        return cls(id=delivery.id, story_id=delivery.story_id, channel_id=delivery.channel_id,
                   action=Action(delivery.action),
                   action_name=ACTION_NAMES[Action(delivery.action)],
                   status=Ds(delivery.status), status_name=STATUS_NAMES[Ds(delivery.status)],
                   attempt_count=delivery.attempts, reason=delivery.reason,
                   next_attempt_at=delivery.next_attempt_at if pending else None,
                   created_at=delivery.created_at, updated_at=delivery.updated_at,
                   delivered_at=delivery.delivered_at)


class AttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    started_at: datetime
    duration_ms: int
    status_code: int | None
    error: str | None
    retry_at: datetime | None


class DeliveryDetail(DeliveryRead):
    attempts: list[AttemptRead]


class DeliveryPage(BaseModel):
    items: list[DeliveryRead]
    total: int


@router.get("", response_model=DeliveryPage)
async def list_deliveries(user: Watcher, uow: Uow,
                          story_id: IdFilter = None, channel_id: IdFilter = None,
                          status: Ds | None = None, action: Action | None = None,
                          limit: Annotated[int, Query(ge=1, le=500)] = 50,
                          offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                          ) -> DeliveryPage:
    """An editor sees their own channels' deliveries; the standing office, every one."""
    rows, total = await store.search(
        uow.session, channels=channel_scope(user), story_id=story_id, channel_id=channel_id,
        status=status, action=action, limit=limit, offset=offset)
    return DeliveryPage(items=[DeliveryRead.of(d) for d in rows], total=total)


@router.get("/{delivery_id}", response_model=DeliveryDetail)
async def read_delivery(delivery_id: DeliveryId, user: Watcher, uow: Uow) -> DeliveryDetail:
    delivery = await store.get(uow.session, delivery_id)
    scope = channel_scope(user)
    if delivery is None or (scope is not None and delivery.channel_id not in scope):
        # Another channel's delivery answers the same as none: its existence does not leak.
        raise NotFound(NOT_FOUND, fields={"delivery_id": "không tồn tại"})
    attempts = await store.attempts_of(uow.session, delivery_id)
    return DeliveryDetail(**DeliveryRead.of(delivery).model_dump(),
                          attempts=[AttemptRead.model_validate(a) for a in attempts])
