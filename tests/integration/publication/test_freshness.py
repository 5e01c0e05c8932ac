"""Column freshness: a regular column quiet longer than its maximum gap is listed as overdue
and announced as `column_overdue` once per gap, on the real stream. Time is simulated by
moving the recorded times back in the database, never by waiting."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from exemplar.testing import auth, eventually
from publication.freshness.store import RegularColumn
from publication.stories.store import Story

from ..helpers import stream_count, stream_events
from .steps import PORTAL_EDITOR, decided, publish, to_published

OVERDUE = "exemplar.publication.column_overdue.v1"
PORTAL, GOOD_DEEDS = "portal-guong-dien-hinh", "portal-nguoi-tot"
OFFICE = "noi-vu.head"
DAY = timedelta(days=1)


def days_ago(days: float) -> datetime:
    return datetime.now(UTC) - days * DAY


async def published_on_portal(publication, token) -> dict:
    """A decision's story on the portal column, taken through to published."""
    event = decided()
    await publish(publication.runtime.settings.nats_url, event, subject=event.nomination_id)

    async def portal_story() -> dict | None:
        response = await publication.client.get("/stories", params={
            "nomination_id": event.nomination_id, "channel_id": PORTAL},
            headers=auth(token(OFFICE)))
        return next(iter(response.json()["items"]), None)

    story = await eventually(portal_story, what="the portal draft")
    return await to_published(publication, token, story, PORTAL_EDITOR)


async def set_published_at(publication, story_id: str, at: datetime) -> None:
    async with publication.runtime.uow() as uow:
        await uow.session.execute(update(Story).where(Story.id == story_id)
                                  .values(published_at=at))
        await uow.commit()


async def set_first_seen(publication, channel_id: str, at: datetime) -> None:
    async with publication.runtime.uow() as uow:
        done = await uow.session.execute(update(RegularColumn).where(
            RegularColumn.channel_id == channel_id).values(first_seen_at=at))
        assert done.rowcount == 1
        await uow.commit()


async def check(publication, token) -> list[str]:
    response = await publication.client.post("/columns/check", headers=auth(token(OFFICE)))
    assert response.status_code == 200, response.text
    return [c["channel_id"] for c in response.json()["announced"]]


async def columns(publication, token, path: str = "/columns",
                  who: str = OFFICE) -> dict[str, dict]:
    response = await publication.client.get(path, headers=auth(token(who)))
    assert response.status_code == 200, response.text
    return {c["channel_id"]: c for c in response.json()}


async def announced_on_stream(publication) -> int:
    """How many column_overdue events reached the stream, once the outbox has sent all."""
    outbox = publication.runtime.db.outbox

    async def drained() -> bool:
        async with publication.runtime.uow() as uow:
            waiting = await uow.session.scalar(select(func.count()).select_from(outbox).where(
                outbox.c.published_at.is_(None)))
        return waiting == 0

    await eventually(drained, what="the outbox sent")
    return await stream_count(publication.runtime.settings.nats_url, OVERDUE)


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_a_quiet_column_is_announced_once_per_gap(publication, token):
    story = await published_on_portal(publication, token)
    await set_published_at(publication, story["id"], days_ago(40))

    overdue = await columns(publication, token, "/columns/overdue")
    assert set(overdue) == {PORTAL}
    assert (overdue[PORTAL]["status"], overdue[PORTAL]["days_since"]) == ("overdue", 40)
    assert overdue[PORTAL]["announced_at"] is None

    assert await check(publication, token) == [PORTAL]
    assert await check(publication, token) == []
    assert await check(publication, token) == []
    assert await announced_on_stream(publication) == 1
    [envelope] = await stream_events(publication.runtime.settings.nats_url, OVERDUE)
    first = envelope["data"]
    assert (first["channel_id"], first["max_gap_days"]) == (PORTAL, 30)
    assert first["channel_name"] == "Chuyên mục Gương điển hình tiên tiến"
    assert abs(moment(first["last_published_at"]) - days_ago(40)) < DAY
    assert (await columns(publication, token))[PORTAL]["announced_at"] is not None

    # The column publishes again: fresh, nothing to announce…
    again = await published_on_portal(publication, token)
    listed = await columns(publication, token)
    assert (listed[PORTAL]["status"], listed[PORTAL]["days_since"]) == ("fresh", 0)
    assert await check(publication, token) == []
    # …until it goes quiet again: a new gap, announced once more.
    await set_published_at(publication, again["id"], days_ago(31))
    assert await check(publication, token) == [PORTAL]
    assert await check(publication, token) == []
    assert await announced_on_stream(publication) == 2
    latest = (await stream_events(publication.runtime.settings.nats_url, OVERDUE))[-1]
    assert moment(latest["data"]["last_published_at"]) > moment(first["last_published_at"])


async def test_a_column_published_within_its_gap_is_not_listed(publication, token):
    story = await published_on_portal(publication, token)
    await set_published_at(publication, story["id"], days_ago(10))

    listed = await columns(publication, token)
    assert (listed[PORTAL]["status"], listed[PORTAL]["days_since"]) == ("fresh", 10)
    assert listed[PORTAL]["status_name"] == "đăng đều đặn"
    assert PORTAL not in await columns(publication, token, "/columns/overdue")
    assert await check(publication, token) == []
    assert await announced_on_stream(publication) == 0


async def test_a_column_never_published_is_overdue_only_a_full_gap_after_first_seen(
        publication, token):
    await check(publication, token)  # watches every column from now
    await set_first_seen(publication, GOOD_DEEDS, days_ago(29))
    assert GOOD_DEEDS not in await columns(publication, token, "/columns/overdue")
    assert await check(publication, token) == []

    await set_first_seen(publication, GOOD_DEEDS, days_ago(31))
    overdue = await columns(publication, token, "/columns/overdue")
    assert set(overdue) == {GOOD_DEEDS}
    assert overdue[GOOD_DEEDS]["last_published_at"] is None
    assert overdue[GOOD_DEEDS]["days_since"] == 31
    # Three checks at once (replicas, an operator): the gap is announced by one of them.
    rounds = await asyncio.gather(*(check(publication, token) for _ in range(3)))
    assert [c for announced in rounds for c in announced] == [GOOD_DEEDS]
    assert await check(publication, token) == []
    assert await announced_on_stream(publication) == 1
    [envelope] = await stream_events(publication.runtime.settings.nats_url, OVERDUE)
    assert envelope["data"]["last_published_at"] is None
    assert envelope["subject"] == GOOD_DEEDS


async def test_the_service_watches_every_regular_column_from_its_start(publication, token):
    profile = publication.runtime.profile
    regular = {c.id for c in profile.channels if c.max_gap_days}

    async def watched() -> bool:
        listed = await columns(publication, token)
        return set(listed) == regular and all(c["watched_since"] for c in listed.values())

    await eventually(watched, what="every column watched by the periodic check")
    listed = await columns(publication, token)
    assert {c["status"] for c in listed.values()} == {"fresh"}
    assert listed["radio-huyen"]["max_gap_days"] == 14


async def test_who_reads_columns_and_who_runs_the_check(publication, token):
    for who in ("dak-o.officer", "ubnd.chair"):
        response = await publication.client.get("/columns", headers=auth(token(who)))
        assert response.status_code == 403, (who, response.text)
    assert set(await columns(publication, token, who=PORTAL_EDITOR)) == {PORTAL, GOOD_DEEDS}
    assert set(await columns(publication, token, who="dak-o.radio")) == {"radio-dak-o"}
    assert "radio-huyen" in await columns(publication, token, who="tinh.viewer")
    for who in (PORTAL_EDITOR, "tinh.viewer", "dak-o.officer"):
        response = await publication.client.post("/columns/check", headers=auth(token(who)))
        assert response.status_code == 403, (who, response.text)
    response = await publication.client.post("/columns/check", headers=auth(token("admin")))
    assert response.status_code == 200, response.text
