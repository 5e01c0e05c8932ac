"""HTTP routes of the audit log: read it, and verify its chain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from exemplar.errors import RuleViolation
from exemplar.runtime import Uow

from ..access import Auditor, ChainChecker
from .chain import verify
from .store import AuditEntry

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    data: dict[str, Any]
    prev_hash: str
    hash: str


class VerificationRead(BaseModel):
    ok: bool
    entries: int
    first_broken: int | None
    reason: str | None
    head_seq: int | None
    head_hash: str | None


@router.get("", response_model=list[AuditRead])
async def list_entries(_: Auditor, uow: Uow, entity_id: str | None = None,
                       after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
                       limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[AuditRead]:
    """Entries in chain order from `after`; `entity_id` narrows to one case, session…"""
    query = select(AuditEntry).where(AuditEntry.seq > after)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    rows = await uow.session.scalars(query.order_by(AuditEntry.seq).limit(limit))
    return [AuditRead.model_validate(r) for r in rows]


@router.get("/verify", response_model=VerificationRead)
async def verify_chain(_: ChainChecker, uow: Uow,
                       anchor_seq: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                       anchor_hash: Annotated[str | None, Query(pattern="^[0-9a-f]{64}$")]
                       = None) -> VerificationRead:
    """Recompute every link; `first_broken` names the first entry that fails, and why.
    `anchor_seq` and `anchor_hash`, a head noted earlier, also catch a cut or rewritten end."""
    if (anchor_seq is None) != (anchor_hash is None):
        raise RuleViolation("Cần cả anchor_seq và anchor_hash.",
                            fields={"anchor_seq": "đi cùng anchor_hash",
                                    "anchor_hash": "đi cùng anchor_seq"})
    result = await verify(uow, anchor=(anchor_seq, anchor_hash) if anchor_seq else None)
    return VerificationRead(**vars(result))
