"""Social delivery: a page's receiver gets each published story once, whatever it answers on
the way, and its retraction once when it is withdrawn; a page that hangs holds up neither the
portal nor another page; a story that breaks a page's limits is never sent."""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import AsyncExitStack
from datetime import datetime, timedelta
from http import HTTPStatus

import httpx

from exemplar.testing import auth, eventually, free_port

from .steps import PORTAL_EDITOR, decided, publish, revoked, stories_of, to_published

SOCIAL_EDITOR = "vhtt.social"  # zalo-huyen and facebook-huyen
FAST = {"social_poll_seconds": 0.05, "social_timeout_seconds": 1.0,
        "social_backoff_base_seconds": 0.2, "social_backoff_max_seconds": 2.0}


class Receiver:
    """A page's webhook on a free local port. It answers its n-th request with the n-th
    status given (the last one repeats); None accepts the request and never answers."""

    def __init__(self, *answers: int | None) -> None:
        self.answers = answers
        self.requests: list[tuple[dict[str, str], dict]] = []
        self.answered: list[int] = []
        self.url = f"http://127.0.0.1:{free_port()}/hook"
        self._handlers: set[asyncio.Task] = set()

    async def __aenter__(self) -> Receiver:
        port = int(self.url.split(":")[2].split("/")[0])
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", port)
        return self

    async def __aexit__(self, *exc_info) -> None:
        self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.wait_for(self._server.wait_closed(), 5)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._handlers.add(task)
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip()
                       for k, v in (line.split(":", 1) for line in head[1:] if ":" in line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append((headers, json.loads(body)))
            answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
            if answer is None:
                await asyncio.Event().wait()  # holds the connection, never answers
            writer.write(f"HTTP/1.1 {answer} {HTTPStatus(answer).phrase}\r\n"
                         f"Content-Length: 0\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            self.answered.append(answer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the sender gave up (its timeout): what a hung page sees
        finally:
            writer.close()
            self._handlers.discard(task)


async def drafted(publication, token, event=None) -> dict[str, dict]:
    """Đắk Ơ's recognised exemplar drafted on its channels, zalo and facebook among them."""
    event = event or decided()
    await publish(publication.runtime.settings.nats_url, event, subject=event.nomination_id)
    stories = await stories_of(publication, token, event.nomination_id, expect=6)
    return {s["channel_id"]: s for s in stories}


async def delivery_of(publication, token, story_id: str, *, status: str | None = None,
                      action: str = "published", timeout: float = 15.0) -> dict:
    """The story's delivery (or its retraction), once it exists (and has reached `status`),
    with its attempts."""
    headers = auth(token(SOCIAL_EDITOR))

    async def reached() -> dict | None:
        listed = await publication.client.get("/deliveries", params={
            "story_id": story_id, "action": action}, headers=headers)
        assert listed.status_code == 200, listed.text
        items = listed.json()["items"]
        if not items or (status is not None and items[0]["status"] != status):
            return None
        detail = await publication.client.get(f"/deliveries/{items[0]['id']}",
                                              headers=headers)
        assert detail.status_code == 200, detail.text
        return detail.json()

    return await eventually(reached, timeout=timeout, what=f"delivery {status or ''}")


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_receiver_failing_twice_then_accepting_gets_one_delivery_and_three_attempts(
        start_service, token):
    async with AsyncExitStack() as stack:
        page = await stack.enter_async_context(Receiver(503, 503, 200))
        publication = await start_service(stack, "publication", **FAST,
                                          social_endpoints={"zalo-huyen": page.url})
        story = (await drafted(publication, token))["zalo-huyen"]
        published = await to_published(publication, token, story, SOCIAL_EDITOR)

        delivery = await delivery_of(publication, token, story["id"], status="delivered")
        assert page.answered == [503, 503, 200]  # accepted exactly once
        assert [a["status_code"] for a in delivery["attempts"]] == [503, 503, 200]
        assert [a["number"] for a in delivery["attempts"]] == [1, 2, 3]
        assert delivery["attempt_count"] == 3 and delivery["delivered_at"] is not None
        first, second, last = delivery["attempts"]
        assert first["retry_at"] and second["retry_at"] and last["retry_at"] is None
        assert at(second["started_at"]) >= at(first["retry_at"])
        # Every attempt carries the same key, so a receiver can drop what it already has.
        assert {h["idempotency-key"] for h, _ in page.requests} == {delivery["id"]}
        # A page's story has no portal page: it names none, and is known by its id.
        assert published["url"] is None
        assert page.requests[0][1] == {
            "action": "published", "story_id": story["id"], "title": published["title"],
            "description": published["body"], "url": None, "channel": "zalo-huyen",
            "published_at": page.requests[0][1]["published_at"]}
        assert at(page.requests[0][1]["published_at"]) == at(published["published_at"])


async def test_page_that_never_answers_holds_up_neither_the_portal_nor_another_page(
        start_service, token):
    async with AsyncExitStack() as stack:
        hung = await stack.enter_async_context(Receiver(None))
        page = await stack.enter_async_context(Receiver(200))
        publication = await start_service(
            stack, "publication", **{**FAST, "social_timeout_seconds": 3.0},
            social_max_attempts=3,
            social_endpoints={"facebook-huyen": hung.url, "zalo-huyen": page.url})
        stories = await drafted(publication, token)
        facebook = stories["facebook-huyen"]
        await to_published(publication, token, facebook, SOCIAL_EDITOR)
        await eventually(lambda: _now(bool(hung.requests)), what="the hung page reached")

        started = time.monotonic()
        portal = await to_published(publication, token, stories["portal-guong-dien-hinh"],
                                    PORTAL_EDITOR)
        assert time.monotonic() - started < 2.5, "publishing waited for a page"
        page_html = await publication.client.get(httpx.URL(portal["url"]).path)
        assert page_html.status_code == 200 and portal["title"] in page_html.text
        feed = await publication.client.get("/portal/portal-guong-dien-hinh/feed.atom")
        assert portal["url"] in feed.text

        zalo = stories["zalo-huyen"]
        await to_published(publication, token, zalo, SOCIAL_EDITOR)
        await delivery_of(publication, token, zalo["id"], status="delivered")
        stuck = await delivery_of(publication, token, facebook["id"])
        assert stuck["status"] == "pending" and stuck["attempts"] == []  # still in flight

        failed = await delivery_of(publication, token, facebook["id"], status="failed",
                                   timeout=30)
        attempts = failed["attempts"]
        assert [a["error"] for a in attempts] == ["Quá thời gian chờ 3 giây"] * 3
        assert all(a["status_code"] is None and a["duration_ms"] >= 2900 for a in attempts)
        assert len(hung.requests) == 3 and "đã thử 3 lần" in failed["reason"]
        # Backoff: each wait at least half its nominal 0.2·2^(n-1) s, growing.
        waits = [(at(a["retry_at"]) - at(a["started_at"])).total_seconds()
                 - a["duration_ms"] / 1000 for a in attempts[:2]]
        assert waits[0] >= 0.1 - 0.01 and waits[1] >= 0.2 - 0.01, waits
        assert attempts[2]["retry_at"] is None


async def _now(value: bool) -> bool:
    return value


async def test_receiver_answering_400_fails_at_once(start_service, token):
    async with AsyncExitStack() as stack:
        page = await stack.enter_async_context(Receiver(400))
        publication = await start_service(stack, "publication", **FAST,
                                          social_endpoints={"zalo-huyen": page.url})
        story = (await drafted(publication, token))["zalo-huyen"]
        await to_published(publication, token, story, SOCIAL_EDITOR)

        failed = await delivery_of(publication, token, story["id"], status="failed")
        assert [a["status_code"] for a in failed["attempts"]] == [400]
        assert failed["attempts"][0]["retry_at"] is None
        assert "HTTP 400" in failed["reason"] and len(page.requests) == 1


async def test_story_over_the_page_title_limit_is_refused_before_sending(start_service,
                                                                         token):
    async with AsyncExitStack() as stack:
        page = await stack.enter_async_context(Receiver(200))
        publication = await start_service(
            stack, "publication", **FAST,
            social_endpoints={"zalo-huyen": page.url, "facebook-huyen": page.url})
        stories = await drafted(publication, token)
        zalo, headers = stories["zalo-huyen"], auth(token(SOCIAL_EDITOR))
        long_title = "Gương sáng " + "ệ" * 140  # 151 characters; Zalo allows 100
        edited = await publication.client.patch(
            f"/stories/{zalo['id']}", headers={**headers, "If-Match": zalo["etag"]},
            json={"title": long_title})
        assert edited.status_code == 200, edited.text
        checked = await publication.client.post(
            f"/stories/{zalo['id']}/fact-check", headers=headers,
            json={"confirmed": list(range(len(edited.json()["claims"])))})
        assert checked.status_code == 200, checked.text
        # The editor is told at approval, while the story can still be edited…
        early = await publication.client.post(f"/stories/{zalo['id']}/approve",
                                              headers=headers)
        assert early.status_code == 422
        assert early.json()["detail"]["fields"]["title"] == "tiêu đề dài 151 ký tự, tối đa 100"
        # …and the worker checks again before sending (a page's limits may tighten after a
        # story was approved): here the title grows behind the approval's back.
        story = (await publication.client.get(f"/stories/{zalo['id']}", headers=headers))
        shortened = await publication.client.patch(
            f"/stories/{zalo['id']}", headers={**headers, "If-Match": story.headers["ETag"]},
            json={"title": "Gương sáng"})
        assert shortened.status_code == 200, shortened.text
        await to_published(publication, token, shortened.json(), SOCIAL_EDITOR,
                           title_after_approval=long_title)
        facebook = stories["facebook-huyen"]
        await to_published(publication, token, facebook, SOCIAL_EDITOR)

        refused = await delivery_of(publication, token, zalo["id"], status="refused")
        assert "tiêu đề dài 151 ký tự, tối đa 100" in refused["reason"]
        assert refused["status_name"] == "không gửi: vượt giới hạn"
        assert refused["attempts"] == [] and refused["attempt_count"] == 0
        sent = await delivery_of(publication, token, facebook["id"], status="delivered")
        assert {h["idempotency-key"] for h, _ in page.requests} == {sent["id"]}

        # The office sees it; another channel's editor finds nothing.
        office = await publication.client.get(f"/deliveries/{refused['id']}",
                                              headers=auth(token("noi-vu.head")))
        assert office.status_code == 200
        other = await publication.client.get(f"/deliveries/{refused['id']}",
                                             headers=auth(token(PORTAL_EDITOR)))
        assert other.status_code == 404
        listed = await publication.client.get("/deliveries", params={"story_id": zalo["id"]},
                                              headers=auth(token(PORTAL_EDITOR)))
        assert listed.json() == {"items": [], "total": 0}


async def test_page_without_a_receiver_is_skipped_and_portal_stories_are_not_delivered(
        start_service, token):
    async with AsyncExitStack() as stack:
        publication = await start_service(stack, "publication", **FAST)
        stories = await drafted(publication, token)
        zalo = stories["zalo-huyen"]
        await to_published(publication, token, zalo, SOCIAL_EDITOR)
        portal = stories["portal-guong-dien-hinh"]
        await to_published(publication, token, portal, PORTAL_EDITOR)

        skipped = await delivery_of(publication, token, zalo["id"], status="skipped")
        assert "chưa được cấu hình địa chỉ nhận" in skipped["reason"]
        listed = await publication.client.get("/deliveries", params={
            "story_id": portal["id"]}, headers=auth(token("noi-vu.head")))
        assert listed.json()["total"] == 0

        # Never sent, so nothing to take down.
        withdrawn = await publication.client.post(
            f"/stories/{zalo['id']}/withdraw", headers=auth(token(SOCIAL_EDITOR)),
            json={"reason": "Gỡ theo yêu cầu"})
        assert withdrawn.status_code == 200, withdrawn.text
        unneeded = await delivery_of(publication, token, zalo["id"], action="withdrawn",
                                     status="not_needed")
        assert unneeded["attempts"] == [] and "không cần gỡ" in unneeded["reason"]


async def test_story_withdrawn_while_waiting_for_a_retry_is_not_sent_again_but_retracted(
        start_service, token):
    async with AsyncExitStack() as stack:
        page = await stack.enter_async_context(Receiver(503, 200))
        publication = await start_service(
            stack, "publication", **{**FAST, "social_backoff_base_seconds": 2.0},
            social_endpoints={"zalo-huyen": page.url})
        story = (await drafted(publication, token))["zalo-huyen"]
        await to_published(publication, token, story, SOCIAL_EDITOR)
        await eventually(lambda: _now(page.answered == [503]), what="the first attempt")
        withdrawn = await publication.client.post(
            f"/stories/{story['id']}/withdraw", headers=auth(token(SOCIAL_EDITOR)),
            json={"reason": "Gỡ theo yêu cầu"})
        assert withdrawn.status_code == 200, withdrawn.text

        cancelled = await delivery_of(publication, token, story["id"], status="cancelled")
        assert [a["status_code"] for a in cancelled["attempts"]] == [503]
        # The first attempt may have reached the page: it is told the story is taken down.
        retracted = await delivery_of(publication, token, story["id"], action="withdrawn",
                                      status="delivered")
        assert [body["action"] for _, body in page.requests] == ["published", "withdrawn"]
        assert page.requests[1][0]["idempotency-key"] == retracted["id"]


async def test_a_revocation_takes_the_post_down_from_the_page_once(start_service, token):
    async with AsyncExitStack() as stack:
        page = await stack.enter_async_context(Receiver(200))
        publication = await start_service(stack, "publication", **FAST,
                                          social_endpoints={"zalo-huyen": page.url})
        event = decided()
        story = (await drafted(publication, token, event))["zalo-huyen"]
        await to_published(publication, token, story, SOCIAL_EDITOR)
        posted = await delivery_of(publication, token, story["id"], status="delivered")

        await publish(publication.runtime.settings.nats_url, revoked(event),
                      subject=event.nomination_id)
        retracted = await delivery_of(publication, token, story["id"], action="withdrawn",
                                      status="delivered")
        headers = auth(token(SOCIAL_EDITOR))
        withdrawn = (await publication.client.get(f"/stories/{story['id']}",
                                                  headers=headers)).json()
        assert retracted["action_name"] == "gỡ tin bài" and retracted["attempt_count"] == 1
        assert [h["idempotency-key"] for h, _ in page.requests] == [posted["id"],
                                                                    retracted["id"]]
        assert page.requests[1][1] == {
            "action": "withdrawn", "story_id": story["id"], "url": None,
            "channel": "zalo-huyen", "reason": withdrawn["withdrawn_reason"],
            "withdrawn_at": page.requests[1][1]["withdrawn_at"]}
        assert "Kê khai sai thành tích" in withdrawn["withdrawn_reason"]
        assert at(page.requests[1][1]["withdrawn_at"]) == at(withdrawn["withdrawn_at"])
        # The revocation heard again (a redelivered event) sends nothing more.
        await publish(publication.runtime.settings.nats_url, revoked(event),
                      subject=event.nomination_id)
        listed = await publication.client.get("/deliveries", params={"story_id": story["id"]},
                                              headers=headers)
        assert sorted(d["action"] for d in listed.json()["items"]) == ["published",
                                                                       "withdrawn"]
        assert len(page.requests) == 2


async def test_a_retraction_waits_for_the_attempt_in_flight(start_service, token):
    async with AsyncExitStack() as stack:
        page = await stack.enter_async_context(Receiver(None, 200))  # the post hangs
        publication = await start_service(stack, "publication", **FAST,
                                          social_endpoints={"zalo-huyen": page.url})
        story = (await drafted(publication, token))["zalo-huyen"]
        await to_published(publication, token, story, SOCIAL_EDITOR)
        await eventually(lambda: _now(len(page.requests) == 1), what="the post in flight")
        withdrawn = await publication.client.post(
            f"/stories/{story['id']}/withdraw", headers=auth(token(SOCIAL_EDITOR)),
            json={"reason": "Gỡ theo yêu cầu"})
        assert withdrawn.status_code == 200, withdrawn.text

        retracted = await delivery_of(publication, token, story["id"], action="withdrawn",
                                      status="delivered")
        posted = await delivery_of(publication, token, story["id"], status="cancelled")
        [tried] = posted["attempts"]  # timed out; not tried again once the story was down
        assert tried["error"] == "Quá thời gian chờ 1 giây" and tried["retry_at"] is None
        [sent] = retracted["attempts"]
        # Never ahead of the post it takes down.
        assert at(sent["started_at"]) >= at(tried["started_at"]) + timedelta(
            milliseconds=tried["duration_ms"])
        assert [body["action"] for _, body in page.requests] == ["published", "withdrawn"]


async def test_stories_to_a_hung_page_leave_slots_for_another_page(start_service, token):
    hung_timeout, stuck = 4.0, 3
    async with AsyncExitStack() as stack:
        hung = await stack.enter_async_context(Receiver(None))
        page = await stack.enter_async_context(Receiver(200))
        publication = await start_service(
            stack, "publication", **{**FAST, "social_timeout_seconds": hung_timeout},
            social_concurrency=2, social_max_attempts=1,
            social_endpoints={"facebook-huyen": hung.url, "zalo-huyen": page.url})
        drafts = [await drafted(publication, token) for _ in range(stuck)]
        for stories in drafts:
            await to_published(publication, token, stories["facebook-huyen"], SOCIAL_EDITOR)
        await eventually(lambda: _now(bool(hung.requests)), what="the hung page reached")

        started = time.monotonic()
        zalo = drafts[0]["zalo-huyen"]
        await to_published(publication, token, zalo, SOCIAL_EDITOR)
        # Well within one hung attempt, let alone the three before it in the queue.
        await delivery_of(publication, token, zalo["id"], status="delivered",
                          timeout=hung_timeout * 0.6)
        assert time.monotonic() - started < hung_timeout
        assert len(hung.requests) == 1  # the hung page holds one slot of two, no more


async def test_ids_that_are_not_ids_are_refused_before_any_query(publication, token):
    headers = auth(token("noi-vu.head"))
    for path, params in (("/deliveries/a%00b", {}), ("/deliveries/" + "a" * 101, {}),
                         ("/deliveries", {"story_id": "a\x00b"}),
                         ("/deliveries", {"channel_id": "../zalo"})):
        response = await publication.client.get(path, params=params, headers=headers)
        assert response.status_code == 422, (path, params, response.text)
