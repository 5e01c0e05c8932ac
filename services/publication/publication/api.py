"""HTTP routes of the publication service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from exemplar.auth import Principal, require_roles
from exemplar.runtime import Uow

from . import service

router = APIRouter(prefix="/pending", tags=["pending"])

# The standing office and the viewer see every unit's undecided nominees; an editor, whose
# channels cover some units only, does not see them here.
Office = Annotated[Principal, Depends(require_roles("standing_office", "viewer"))]


class PendingRead(BaseModel):
    nomination_id: str
    revision: int
    unit_id: str
    unit_name: str
    year: int
    nominee_name: str
    field: str
    received_at: datetime

    model_config = {"from_attributes": True}


@router.get("", response_model=list[PendingRead])
async def list_pending(_: Office, uow: Uow,
                       year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
                       limit: Annotated[int, Query(ge=1, le=500)] = 50,
                       offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0
                       ) -> list[PendingRead]:
    """Submitted nominations not yet decided nor withdrawn, newest first."""
    rows = await service.list_pending(uow, year=year, limit=limit, offset=offset)
    return [PendingRead.model_validate(p) for p in rows]
