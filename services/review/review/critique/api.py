"""HTTP routes of critique: the Front comments; the office, the council and the Front read."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from exemplar.runtime import Uow
from exemplar.text import Text

from ..access import Deliberator, Front
from . import service

router = APIRouter(tags=["critique"])
CommentText = Text(5000)


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: CommentText


class CommentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    author: str
    author_name: str
    author_unit: str
    text: str
    created_at: datetime


@router.post("/cases/{case_id}/comments", status_code=201, response_model=CommentRead)
async def comment_on_case(case_id: str, body: CommentCreate, user: Front,
                          uow: Uow) -> CommentRead:
    """A front_reviewer's comment on a case not yet decided, revoked or withdrawn."""
    comment = await service.comment_on_case(uow, user=user, case_id=case_id, text=body.text)
    return CommentRead.model_validate(comment)


@router.get("/cases/{case_id}/comments", response_model=list[CommentRead])
async def comments_on_case(case_id: str, _: Deliberator, uow: Uow) -> list[CommentRead]:
    """Oldest first; the units do not read the council's deliberation."""
    comments = await service.comments_on_case(uow, case_id=case_id)
    return [CommentRead.model_validate(c) for c in comments]
