"""A scheduled story goes out by itself when its time comes: published once, with its
event, and delivered to its page like one published by hand."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from exemplar.testing import auth, eventually
from publication.stories import scheduler
from publication.stories.store import Story

from ..helpers import stream_count, stream_events
from .steps import (
    DAK_O_RADIO,
    PORTAL_EDITOR,
    RADIO_EDITOR,
    decided,
    drained,
    publish,
    revoked_meanwhile,
    stories_of,
)
from .test_social import SOCIAL_EDITOR, Receiver, delivery_of

PUBLISHED = "exemplar.publication.published.v1"


async def scheduled(publication, token, story: dict, who: str, *, seconds: float) -> dict:
    """Fact-checked, approved and scheduled `seconds` from now by the channel's editor."""
    headers, path = auth(token(who)), f"/stories/{story['id']}"
    checked = await publication.client.post(f"{path}/fact-check", headers=headers, json={
        "confirmed": list(range(len(story["claims"])))})
    assert checked.status_code == 200, checked.text
    approved = await publication.client.post(f"{path}/approve", headers=headers)
    assert approved.status_code == 200, approved.text
    at = datetime.now(UTC) + timedelta(seconds=seconds)
    response = await publication.client.post(f"{path}/schedule", headers=headers,
                                             json={"at": at.isoformat()})
    assert response.status_code == 200, response.text
    return response.json()


async def test_scheduled_stories_are_published_when_their_time_comes_once_each(
        start_service, token):
    async with AsyncExitStack() as stack:
        page = await stack.enter_async_context(Receiver(200))
        publication = await start_service(
            stack, "publication", scheduler_poll_seconds=0.2, social_poll_seconds=0.1,
            social_endpoints={"zalo-huyen": page.url})
        url = publication.runtime.settings.nats_url
        event = decided()
        await publish(url, event, subject=event.nomination_id)
        stories = {s["channel_id"]: s for s in await stories_of(
            publication, token, event.nomination_id, expect=6)}
        portal = await scheduled(publication, token, stories["portal-guong-dien-hinh"],
                                 PORTAL_EDITOR, seconds=2)
        zalo = await scheduled(publication, token, stories["zalo-huyen"], SOCIAL_EDITOR,
                               seconds=3)
        assert (portal["status"], zalo["status"]) == ("scheduled", "scheduled")
        hidden = await publication.client.get(f"/portal/portal-guong-dien-hinh/stories/"
                                              f"{portal['id']}")
        assert hidden.status_code == 404  # not public before its time

        async def published(story: dict) -> dict | None:
            response = await publication.client.get(
                f"/stories/{story['id']}", headers=auth(token("noi-vu.head")))
            body = response.json()
            return body if body["status"] == "published" else None

        out = await eventually(lambda: published(portal), what="the portal story published")
        assert datetime.fromisoformat(out["published_at"]) >= datetime.fromisoformat(
            portal["scheduled_for"])
        assert out["url"].endswith(f"/portal/portal-guong-dien-hinh/stories/{portal['id']}")
        shown = await publication.client.get(f"/portal/portal-guong-dien-hinh/stories/"
                                             f"{portal['id']}")
        assert shown.status_code == 200
        await eventually(lambda: published(zalo), what="the zalo story published")
        await delivery_of(publication, token, zalo["id"], status="delivered")

        await drained(publication)
        ids = [e["data"]["story_id"] for e in await stream_events(url, PUBLISHED)]
        assert sorted(ids) == sorted([portal["id"], zalo["id"]])  # once each
        assert len(page.requests) == 1


async def due_now(publication, story_id: str) -> None:
    """The scheduled time has come (the version is kept: the editor's ETag still holds)."""
    async with publication.runtime.uow() as uow:
        await uow.session.execute(update(Story).where(Story.id == story_id).values(
            scheduled_for=datetime.now(UTC) - timedelta(seconds=1)))
        await uow.commit()


async def test_a_revoked_decisions_scheduled_story_is_withdrawn_not_published(
        publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    stories = {s["channel_id"]: s for s in await stories_of(
        publication, token, event.nomination_id, expect=6)}
    story = await scheduled(publication, token, stories["radio-huyen"], RADIO_EDITOR,
                            seconds=600)
    reason = "Thu hồi theo 230/QĐ-UBND: Kê khai sai thành tích"
    await revoked_meanwhile(publication, event.nomination_id, reason)
    await due_now(publication, story["id"])
    assert await scheduler.publish_due(publication.runtime) == 0
    after = await publication.client.get(f"/stories/{story['id']}",
                                         headers=auth(token(RADIO_EDITOR)))
    assert (after.json()["status"], after.json()["withdrawn_reason"]) == ("withdrawn", reason)
    await drained(publication)
    assert await stream_count(url, PUBLISHED) == 0


async def test_an_editor_publishing_as_the_scheduler_does_publishes_once(publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    stories = {s["channel_id"]: s for s in await stories_of(
        publication, token, event.nomination_id, expect=6)}
    editors = {"portal-guong-dien-hinh": PORTAL_EDITOR, "radio-huyen": RADIO_EDITOR,
               "radio-dak-o": DAK_O_RADIO, "giao-luu-huyen": "vhtt.editor"}
    ready = [(await scheduled(publication, token, stories[c], who, seconds=600), who)
             for c, who in editors.items()]
    for story, _ in ready:
        await due_now(publication, story["id"])

    async def by_editor(story: dict, who: str) -> int:
        response = await publication.client.post(
            f"/stories/{story['id']}/publish",
            headers={**auth(token(who)), "If-Match": story["etag"]})
        return response.status_code

    codes = await asyncio.gather(scheduler.publish_due(publication.runtime),
                                 *(by_editor(story, who) for story, who in ready))
    assert set(codes[1:]) <= {200, 409, 412}, codes  # the loser is told, never a 500
    for story, who in ready:  # the scheduler takes next round what it lost
        await eventually(lambda s=story, w=who: _published(publication, token, s, w),
                         what="published")
    await scheduler.publish_due(publication.runtime)
    await drained(publication)
    ids = [e["data"]["story_id"] for e in await stream_events(url, PUBLISHED)]
    assert sorted(ids) == sorted(story["id"] for story, _ in ready)  # exactly once each


async def _published(publication, token, story: dict, who: str) -> bool:
    await scheduler.publish_due(publication.runtime)
    response = await publication.client.get(f"/stories/{story['id']}",
                                            headers=auth(token(who)))
    return response.json()["status"] == "published"
