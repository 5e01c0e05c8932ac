"""HTTP routes of public posting for the council's side: post a list, read postings, and
moderate the public's feedback. The public's own pages are in public.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from exemplar.auth import Principal
from exemplar.clock import today
from exemplar.runtime import RuntimeDep, Uow
from exemplar.text import has_control_characters

from ..access import Deliberator, Office
from ..cases.api import CaseRead
from ..cases.service import get_case
from . import feedback as feedback_service
from . import public, service, store
from .domain import STATUS_NAMES, WINDOW_NAMES, window

MAX_CASES = 500  # one posting; a district's yearly list is a few hundred names

router = APIRouter(tags=["posting"])
router.include_router(public.router)


def _day(value: object) -> object:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("date_format", "phải là ngày dạng YYYY-MM-DD") from None
    return value


def _text(limit: int, *, optional: bool = False):
    """Like exemplar.text.Text, but a blank value is "required", as the public form says."""
    def check(value: object) -> object:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise PydanticCustomError("text_type", "phải là chuỗi ký tự")
        value = value.strip()
        if not value:
            raise PydanticCustomError("text_empty", "bắt buộc phải có")
        if len(value) > limit:
            raise PydanticCustomError("text_long", f"quá dài (tối đa {limit} ký tự)")
        if has_control_characters(value):
            raise PydanticCustomError("text_chars", "chứa ký tự không hợp lệ")
        return value
    return BeforeValidator(check)


def _ids(value: object) -> object:
    if not isinstance(value, list) or not all(isinstance(i, str) and i for i in value):
        raise PydanticCustomError("case_ids", "phải là danh sách mã hồ sơ")
    if not 1 <= len(value) <= MAX_CASES:
        raise PydanticCustomError("case_count", f"phải có từ 1 đến {MAX_CASES} hồ sơ")
    return value


class PostingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, _text(300)]
    case_ids: Annotated[list[str], BeforeValidator(_ids)]
    opens_on: Annotated[date | None, BeforeValidator(_day)] = None  # default: today


class PostingSummary(BaseModel):
    id: str
    title: str
    opens_on: date
    closes_on: date  # the last day, inclusive
    window: str  # scheduled / open / closed, today
    window_name: str
    case_count: int
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, posting: store.Posting, case_count: int) -> PostingSummary:
        state = window(posting.opens_on, posting.closes_on, today())
        return cls(id=posting.id, title=posting.title, opens_on=posting.opens_on,
                   closes_on=posting.closes_on, window=state, window_name=WINDOW_NAMES[state],
                   case_count=case_count, created_by=posting.created_by,
                   created_at=posting.created_at)


class PostingRead(PostingSummary):
    cases: list[CaseRead]


class PostingPage(BaseModel):
    items: list[PostingSummary]
    total: int


class FeedbackRead(BaseModel):
    id: str
    posting_id: str
    case_id: str | None
    kind: str
    name: str
    contact: str | None  # the standing office's only
    text: str
    status: str
    status_name: str
    open_complaint: bool
    moderation_note: str | None
    moderated_by: str | None
    resolution: str | None
    resolved_by: str | None
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, item: store.Feedback, user: Principal) -> FeedbackRead:
        return cls(
            id=item.id, posting_id=item.posting_id, case_id=item.case_id, kind=item.kind,
            name=item.name, text=item.text, status=item.status,
            contact=item.contact if user.has_any("standing_office") else None,
            status_name=STATUS_NAMES[item.status],
            open_complaint=item.kind == "complaint" and item.status in store.OPEN_COMPLAINT,
            moderation_note=item.moderation_note, moderated_by=item.moderated_by,
            resolution=item.resolution, resolved_by=item.resolved_by,
            created_at=item.created_at, updated_at=item.updated_at)


class ModerationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["accept", "reject"]
    note: Annotated[str | None, _text(5000, optional=True)] = None


class ResolutionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolution: Annotated[str, _text(5000)]


class ComplaintsRead(BaseModel):
    case_id: str
    open: int  # complaints still blocking the decision
    items: list[FeedbackRead]


@router.post("/postings", status_code=201, response_model=PostingRead)
async def create_posting(body: PostingCreate, user: Office, uow: Uow,
                         runtime: RuntimeDep) -> PostingRead:
    """Post appraised cases for `public_posting_days` days from `opens_on` (default today;
    a past date records a posting already made on the notice board)."""
    posting, cases = await service.create_posting(
        uow, title=body.title, case_ids=body.case_ids, opens_on=body.opens_on,
        profile=runtime.profile, actor=user.sub)
    return PostingRead(**PostingSummary.of(posting, len(cases)).model_dump(),
                       cases=[CaseRead.of(c) for c in cases])


@router.get("/postings", response_model=PostingPage)
async def list_postings(_: Deliberator, uow: Uow,
                        limit: Annotated[int, Query(ge=1, le=500)] = 50,
                        offset: Annotated[int, Query(ge=0)] = 0) -> PostingPage:
    rows, total = await store.postings(uow.session, limit=limit, offset=offset)
    counts = await store.case_counts(uow.session, [p.id for p in rows])
    return PostingPage(items=[PostingSummary.of(p, counts.get(p.id, 0)) for p in rows],
                       total=total)


@router.get("/postings/{posting_id}", response_model=PostingRead)
async def read_posting(posting_id: str, _: Deliberator, uow: Uow) -> PostingRead:
    """Every case the posting listed, withdrawn ones included (the public page omits them)."""
    posting = await service.get_posting(uow, posting_id)
    cases = await store.cases_of(uow.session, posting.id)
    return PostingRead(**PostingSummary.of(posting, len(cases)).model_dump(),
                       cases=[CaseRead.of(c) for c in cases])


@router.get("/postings/{posting_id}/feedback", response_model=list[FeedbackRead])
async def list_feedback(posting_id: str, user: Deliberator, uow: Uow,
                        kind: Literal["comment", "complaint"] | None = None,
                        status: Literal["pending", "accepted", "rejected", "resolved"]
                        | None = None) -> list[FeedbackRead]:
    """What the public sent, oldest first; the sender's contact only for the office."""
    posting = await service.get_posting(uow, posting_id)
    items = await store.feedback_about(uow.session, posting_id=posting.id, kind=kind,
                                       status=status)
    return [FeedbackRead.of(i, user) for i in items]


@router.post("/feedback/{feedback_id}/moderation", response_model=FeedbackRead)
async def moderate_feedback(feedback_id: str, body: ModerationCreate, user: Office,
                            uow: Uow) -> FeedbackRead:
    item = await feedback_service.moderate_feedback(
        uow, feedback_id=feedback_id, action=body.action, note=body.note, actor=user.sub)
    return FeedbackRead.of(item, user)


@router.post("/feedback/{feedback_id}/resolution", response_model=FeedbackRead)
async def resolve_complaint(feedback_id: str, body: ResolutionCreate, user: Office,
                            uow: Uow) -> FeedbackRead:
    item = await feedback_service.resolve_complaint(
        uow, feedback_id=feedback_id, resolution=body.resolution, actor=user.sub)
    return FeedbackRead.of(item, user)


@router.get("/cases/{case_id}/complaints", response_model=ComplaintsRead)
async def case_complaints(case_id: str, user: Deliberator, uow: Uow) -> ComplaintsRead:
    """Every complaint about the case; `open` counts those that block its decision."""
    case = await get_case(uow, case_id)
    items = await store.feedback_about(uow.session, case_id=case.id, kind="complaint")
    still_open = await store.open_complaints(uow.session, [case.id])
    return ComplaintsRead(case_id=case.id, open=still_open.get(case.id, 0),
                          items=[FeedbackRead.of(i, user) for i in items])
