"""HTTP routes of stories: the editorial desk of each channel."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from exemplar.concurrency import IfMatch, expected_version
from exemplar.errors import NotFound
from exemplar.runtime import RuntimeDep, Uow
from exemplar.text import ID_PATTERN, Text

from ..access import Editor, Reader, channel_scope, readable_or_404
from . import store, workflow
from .domain import STATUS_NAMES, St

router = APIRouter(prefix="/stories", tags=["stories"])

# An id that is not one (a NUL, a kilobyte) is refused as input, before any query.
StoryId = Annotated[str, Path(pattern=ID_PATTERN)]


class StoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    channel_id: str
    channel_kind: str
    source: str
    nomination_id: str | None
    good_deed_id: str | None
    unit_id: str
    unit_name: str
    year: int
    field: str | None
    nominee: dict[str, Any]
    award_name: str | None
    decision: dict[str, Any] | None
    claims: list[dict[str, Any]]
    title: str
    body: str
    status: str
    status_name: str
    scheduled_for: datetime | None
    published_at: datetime | None
    url: str | None
    withdrawn_at: datetime | None
    withdrawn_reason: str | None
    created_at: datetime
    updated_at: datetime | None
    etag: str

    @classmethod
    def of(cls, story: store.Story) -> StoryRead:
        return cls.model_validate({
            **{name: getattr(story, name) for name in cls.model_fields
               if hasattr(store.Story, name)},
            "status_name": STATUS_NAMES[St(story.status)], "etag": f'"{story.version}"'})


class StoryPage(BaseModel):
    items: list[StoryRead]
    total: int


class StoryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Text(300) | None = None
    body: Text(20_000) | None = None


class FactCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")
    confirmed: list[Annotated[int, Field(ge=0, le=1000)]] = Field(max_length=1000)


class Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at: AwareDatetime


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Text(2000)


def _answer(story: store.Story, response: Response) -> StoryRead:
    response.headers["ETag"] = f'"{story.version}"'
    return StoryRead.of(story)


def story_url(runtime, story: store.Story) -> str | None:
    """Where the public reads it: the portal page of the story, on a portal column; a radio
    or a page's story has no page here, so none is claimed."""
    if story.channel_kind != "portal_column":
        return None
    base = runtime.settings.public_base_url.rstrip("/")
    return f"{base}/portal/{story.channel_id}/stories/{story.id}"


@router.get("", response_model=StoryPage)
async def list_stories(user: Reader, uow: Uow,
                       channel_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
                       status: St | None = None,
                       nomination_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
                       year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
                       limit: Annotated[int, Query(ge=1, le=500)] = 50,
                       offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> StoryPage:
    """An editor sees the stories of their own channels; the office and viewer, all."""
    stories, total = await store.search(
        uow.session, channels=channel_scope(user), channel_id=channel_id, status=status,
        nomination_id=nomination_id, year=year, limit=limit, offset=offset)
    return StoryPage(items=[StoryRead.of(s) for s in stories], total=total)


@router.get("/{story_id}", response_model=StoryRead)
async def read_story(story_id: StoryId, user: Reader, uow: Uow, response: Response) -> StoryRead:
    story = await store.get(uow.session, story_id)
    if story is None:
        raise NotFound(workflow.NOT_FOUND, fields={"story_id": "không tồn tại"})
    readable_or_404(user, story.channel_id)
    return _answer(story, response)


@router.patch("/{story_id}", response_model=StoryRead)
async def edit_story(story_id: StoryId, body: StoryUpdate, user: Editor, uow: Uow,
                     response: Response, if_match: IfMatch = None) -> StoryRead:
    story = await workflow.edit_story(
        uow, user=user, story_id=story_id, title=body.title, body=body.body,
        expected_version=expected_version(if_match, required=True))
    return _answer(story, response)


@router.post("/{story_id}/fact-check", response_model=StoryRead)
async def fact_check(story_id: StoryId, body: FactCheck, user: Editor, uow: Uow,
                     response: Response, if_match: IfMatch = None) -> StoryRead:
    story = await workflow.fact_check_story(
        uow, user=user, story_id=story_id, confirmed=body.confirmed,
        expected_version=expected_version(if_match, required=False))
    return _answer(story, response)


@router.post("/{story_id}/approve", response_model=StoryRead)
async def approve(story_id: StoryId, user: Editor, uow: Uow, runtime: RuntimeDep,
                  response: Response, if_match: IfMatch = None) -> StoryRead:
    story = await workflow.approve_story(
        uow, user=user, story_id=story_id, profile=runtime.profile,
        expected_version=expected_version(if_match, required=False))
    return _answer(story, response)


@router.post("/{story_id}/schedule", response_model=StoryRead)
async def schedule(story_id: StoryId, body: Schedule, user: Editor, uow: Uow, response: Response,
                   if_match: IfMatch = None) -> StoryRead:
    story = await workflow.schedule_story(
        uow, user=user, story_id=story_id, at=body.at,
        expected_version=expected_version(if_match, required=False))
    return _answer(story, response)


@router.post("/{story_id}/publish", response_model=StoryRead)
async def publish(story_id: StoryId, user: Editor, uow: Uow, runtime: RuntimeDep,
                  response: Response, if_match: IfMatch = None) -> StoryRead:
    story = await workflow.publish_story(
        uow, user=user, story_id=story_id, url_of=lambda s: story_url(runtime, s),
        expected_version=expected_version(if_match, required=False))
    return _answer(story, response)


@router.post("/{story_id}/withdraw", response_model=StoryRead)
async def withdraw(story_id: StoryId, body: Withdrawal, user: Editor, uow: Uow,
                   response: Response, if_match: IfMatch = None) -> StoryRead:
    story = await workflow.withdraw_story(
        uow, user=user, story_id=story_id, reason=body.reason,
        expected_version=expected_version(if_match, required=False))
    return _answer(story, response)
