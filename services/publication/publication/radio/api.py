"""HTTP routes of radio: the district radio's and each commune station's broadcasts — the
rundown of a slot, its script and its synthesised audio. Read by the channel's editors, the
standing office and the viewer; another channel's editor is told the channel does not exist."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from pydantic import BaseModel

from exemplar.auth import Principal
from exemplar.clock import today
from exemplar.errors import NotFound
from exemplar.profile.models import Channel
from exemplar.runtime import Runtime, RuntimeDep, Uow
from exemplar.text import ID_PATTERN
from exemplar.uow import UnitOfWork
from exemplar.web import error_response

from ..access import Reader, channel_scope
from . import audio
from .rundown import RADIO_KINDS, Rundown, check_request, rundown_of, slots_of
from .script import script_text
from .settings import radio_settings

router = APIRouter(prefix="/radio", tags=["radio"])
NOT_FOUND = "Không tìm thấy kênh phát thanh."
Day = Annotated[date, Query(alias="date", description="ngày phát, YYYY-MM-DD")]
Slot = Annotated[str, Query(max_length=20, description="giờ phát theo hồ sơ, HH:MM")]
ChannelId = Annotated[str, Path(pattern=ID_PATTERN)]


class SlotsRead(BaseModel):
    channel_id: str
    channel_name: str
    station: str
    slots: list[str]


class RundownItemRead(BaseModel):
    position: int
    story_id: str
    title: str
    status: str
    scheduled_for: datetime | None
    published_at: datetime | None
    url: str | None
    words: int
    reading_seconds: int


class RundownRead(BaseModel):
    channel_id: str
    channel_name: str
    station: str
    date: date
    slot: str
    starts_at: datetime  # Vietnam time
    window_start: datetime  # scheduled stories after this and up to starts_at air here
    selection: Literal["scheduled", "rerun"]
    words_per_minute: int
    budget_seconds: int
    running_seconds: int
    items: list[RundownItemRead]
    script_url: str
    audio_url: str


def radio_channel(runtime: Runtime, user: Principal, channel_id: str) -> Channel:
    """A radio channel the user may read; anything else is 'not found'."""
    try:
        channel = runtime.profile.channel(channel_id)
    except KeyError:
        raise NotFound(NOT_FOUND, fields={"channel_id": "không tồn tại"}) from None
    scope = channel_scope(user)
    if channel.kind not in RADIO_KINDS or (scope is not None and channel_id not in scope):
        raise NotFound(NOT_FOUND, fields={"channel_id": "không tồn tại"})
    return channel


def station_of(runtime: Runtime, channel: Channel) -> str:
    try:
        return runtime.profile.unit(channel.unit).name
    except KeyError:
        return channel.name


def broadcast_url(runtime: Runtime, rundown: Rundown, name: str) -> str:
    base = runtime.settings.public_base_url.rstrip("/")
    query = urlencode({"date": rundown.day.isoformat(), "slot": rundown.slot.strftime("%H:%M")})
    return f"{base}/radio/{rundown.channel.id}/{name}?{query}"


async def load_rundown(uow: UnitOfWork, runtime: Runtime, user: Principal, channel_id: str,
                       day: date, slot: str) -> Rundown:
    channel = radio_channel(runtime, user, channel_id)
    wanted = check_request(channel, day, slot, today=today())
    options = radio_settings(runtime.settings)
    return await rundown_of(uow.session, channel=channel, day=day, slot=wanted,
                            words_per_minute=options.words_per_minute,
                            budget_seconds=options.slot_budget_seconds)


def broadcast_name(rundown: Rundown) -> str:
    return f"{rundown.day.isoformat()}-{rundown.slot.strftime('%H%M')}"


@router.get("/{channel_id}/slots", response_model=SlotsRead)
async def list_slots(channel_id: ChannelId, user: Reader, runtime: RuntimeDep) -> SlotsRead:
    channel = radio_channel(runtime, user, channel_id)
    return SlotsRead(channel_id=channel.id, channel_name=channel.name,
                     station=station_of(runtime, channel),
                     slots=[t.strftime("%H:%M") for t in slots_of(channel)])


@router.get("/{channel_id}/rundown", response_model=RundownRead)
async def read_rundown(channel_id: ChannelId, day: Day, slot: Slot, user: Reader, uow: Uow,
                       runtime: RuntimeDep) -> RundownRead:
    """The slot's items in order, each with its reading time, and the running time."""
    rundown = await load_rundown(uow, runtime, user, channel_id, day, slot)
    start, end = rundown.window
    return RundownRead(
        channel_id=rundown.channel.id, channel_name=rundown.channel.name,
        station=station_of(runtime, rundown.channel), date=rundown.day,
        slot=rundown.slot.strftime("%H:%M"), starts_at=end, window_start=start,
        selection=rundown.selection, words_per_minute=rundown.words_per_minute,
        budget_seconds=rundown.budget_seconds, running_seconds=rundown.running_seconds,
        items=[RundownItemRead(
            position=position, story_id=item.story.id, title=item.story.title,
            status=item.story.status, scheduled_for=item.story.scheduled_for,
            published_at=item.story.published_at, url=item.story.url, words=item.words,
            reading_seconds=item.seconds) for position, item in enumerate(rundown.items, 1)],
        script_url=broadcast_url(runtime, rundown, "script.txt"),
        audio_url=broadcast_url(runtime, rundown, "audio.wav"))


@router.get("/{channel_id}/script.txt", response_class=PlainTextResponse)
async def read_script(channel_id: ChannelId, day: Day, slot: Slot, user: Reader, uow: Uow,
                      runtime: RuntimeDep) -> PlainTextResponse:
    rundown = await load_rundown(uow, runtime, user, channel_id, day, slot)
    text = script_text(rundown, station=station_of(runtime, rundown.channel))
    return PlainTextResponse(text, media_type="text/plain; charset=utf-8", headers={
        "Content-Disposition":
            f'inline; filename="{rundown.channel.id}-{broadcast_name(rundown)}.txt"'})


@router.get("/{channel_id}/audio.wav", response_class=FileResponse, response_model=None,
            responses={200: {"content": {"audio/wav": {}}},
                       503: {"description": "chưa tổng hợp được tiếng nói; có kịch bản"}})
async def read_audio(channel_id: ChannelId, day: Day, slot: Slot, user: Reader, uow: Uow,
                     runtime: RuntimeDep) -> FileResponse | JSONResponse:
    """The script spoken in Vietnamese (WAV); 503 naming the script when it cannot be."""
    rundown = await load_rundown(uow, runtime, user, channel_id, day, slot)
    text = script_text(rundown, station=station_of(runtime, rundown.channel))
    options = radio_settings(runtime.settings)
    # Nothing to write: the connection goes back to the pool while espeak-ng works.
    await uow.session.rollback()
    try:
        path = await audio.synthesise(
            text, cache_dir=runtime.settings.var_dir / "radio" / rundown.channel.id,
            name=broadcast_name(rundown), words_per_minute=options.words_per_minute,
            timeout=options.synthesis_timeout_seconds)
    except audio.SynthesisUnavailable as unavailable:
        script_url = broadcast_url(runtime, rundown, "script.txt")
        return error_response(503, "speech_unavailable", {
            "message": f"{unavailable} Chưa có âm thanh cho buổi phát này; kịch bản phát "
                       f"thanh vẫn có tại {script_url}",
            "script_url": script_url})
    return FileResponse(path, media_type="audio/wav", content_disposition_type="inline",
                        filename=f"{rundown.channel.id}-{broadcast_name(rundown)}.wav")
