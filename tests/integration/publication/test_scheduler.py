"""A scheduled story goes out by itself when its time comes: published once, with its
event, and delivered to its page like one published by hand."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

from exemplar.testing import auth, eventually

from ..helpers import stream_events
from .steps import PORTAL_EDITOR, decided, publish, stories_of
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

        async def announced() -> list[str] | None:
            ids = [e["data"]["story_id"] for e in await stream_events(url, PUBLISHED)]
            return ids if len(ids) >= 2 else None

        ids = await eventually(announced, what="both published events")
        assert sorted(ids) == sorted([portal["id"], zalo["id"]])  # once each
        assert len(page.requests) == 1
