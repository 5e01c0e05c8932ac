"""Idempotency-Key on the routes that create (an inspection plan, a training session, a budget
estimate): a retried request, the same user with the same key, answers with what the first one
created and writes nothing; the same key with another request is refused (422). The key is
remembered in the transaction that creates the object, so it exists exactly when the object
does."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Header
from sqlalchemy import String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.auth import Principal
from exemplar.db import UtcDateTime
from exemplar.errors import RuleViolation
from exemplar.uow import now

from .projections.store import Base

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1,
                                              max_length=200)]


class CreatedOnce(Base):
    """What a user's key created: which operation, on which request, and the object's id."""

    __tablename__ = "idempotency_key"

    user_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    operation: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class Once:
    """A create command as the client sent it: its key (None: no retry protection), which
    operation, and the request body."""

    key: str | None
    operation: str
    request: dict[str, Any]

    @property
    def digest(self) -> str:
        text = json.dumps(self.request, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


async def created_before(session: AsyncSession, *, user: Principal, once: Once) -> str | None:
    """The id of what this key already created, or None for a new command."""
    if once.key is None:
        return None
    found = await session.get(CreatedOnce, (user.sub, once.key))
    if found is None:
        return None
    if (found.operation, found.request_hash) != (once.operation, once.digest):
        raise RuleViolation("Idempotency-Key này đã dùng cho một yêu cầu khác.",
                            fields={"Idempotency-Key": "đã dùng cho yêu cầu khác"})
    return found.object_id


def remember(session: AsyncSession, *, user: Principal, once: Once, object_id: str) -> None:
    """Added to the transaction that creates the object."""
    if once.key is not None:
        session.add(CreatedOnce(user_id=user.sub, key=once.key, operation=once.operation,
                                request_hash=once.digest, object_id=object_id,
                                created_at=now()))
