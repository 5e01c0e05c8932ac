"""The delivery worker: takes due deliveries, sends each to its page's receiver, records the
attempt and decides what comes next.

Sends run side by side, at most `social_concurrency` at once and at most `PER_CHANNEL` to
one page, each bounded by its own timeout: a page that hangs holds its own few slots for that
long, never every slot, so the other pages' deliveries go on. No transaction is
open while a request is in flight; a taken delivery is leased instead (its
`next_attempt_at` moved past the attempt), so another replica leaves it alone and a worker
that dies mid-attempt leaves it to be taken again."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import case, literal

from exemplar.runtime import Runtime
from exemplar.uow import UnitOfWork, now

from ..stories.domain import St
from ..stories.store import Story
from . import limits, retraction, store
from .domain import (
    Action,
    Answer,
    Ds,
    accepted,
    failure_text,
    retry_after_seconds,
    retry_delay,
    retryable,
)

log = logging.getLogger(__name__)
LEASE_MARGIN = timedelta(seconds=30)  # beyond the attempt's timeout, for recording it
# Sends in flight to one channel (in this process), and never all of `social_concurrency`:
# a few stories to one hung page cannot hold up the others. A setting would do as well.
PER_CHANNEL = 2


@dataclass(frozen=True)
class Job:
    delivery_id: str
    channel_id: str
    endpoint: str
    number: int  # which attempt this is
    payload: dict[str, Any]


def endpoint_of(runtime: Runtime, channel_id: str) -> str | None:
    configured = runtime.settings.social_endpoints.get(channel_id)
    if configured is not None:
        return str(configured)
    return runtime.profile.channel(channel_id).endpoint


def payload_of(story: Story) -> dict[str, Any]:
    return {"action": Action.published.value, "story_id": story.id, "title": story.title,
            "description": story.body, "url": story.url, "channel": story.channel_id,
            "published_at": story.published_at.isoformat()}


def channel_cap(concurrency: int) -> int:
    """Sends one channel may have in flight: PER_CHANNEL, leaving at least one slot free for
    the other channels whenever there are two slots or more."""
    return max(1, min(PER_CHANNEL, concurrency - 1))


def allowance(busy: Counter[str], cap: int):
    """For store.due: how many more of a channel's deliveries may be taken now."""
    full = {channel: max(0, cap - n) for channel, n in busy.items() if n}
    return (lambda column: case(full, value=column, else_=cap)) if full else (
        lambda _column: literal(cap))


def settle(runtime: Runtime, delivery: store.Delivery, story: Story,
           publication: store.Publication | None) -> Job | None:
    """Before any attempt: end the delivery here if it must not be sent (or put off a
    retraction that must wait); else lease it."""
    at = now()
    delivery.updated_at = at
    if delivery.action == Action.withdrawn:
        wait = timedelta(seconds=runtime.settings.social_poll_seconds)
        if not retraction.ready(delivery, publication, at=at, wait=wait):
            return None
    elif story.status != St.published:
        delivery.status, delivery.reason = Ds.cancelled, retraction.CANCELLED
        return None
    try:
        channel = runtime.profile.channel(delivery.channel_id)
    except KeyError:
        delivery.status = Ds.skipped
        delivery.reason = "Kênh không còn trong hồ sơ cấu hình."
        return None
    endpoint = endpoint_of(runtime, channel.id)
    if not endpoint:
        delivery.status = Ds.skipped
        delivery.reason = (f"Kênh “{channel.name}” chưa được cấu hình địa chỉ nhận "
                           f"(SOCIAL_ENDPOINTS hoặc endpoint trong hồ sơ).")
        return None
    found = (limits.breaches(channel, title=story.title, description=story.body)
             if delivery.action == Action.published else {})
    if found:
        delivery.status, delivery.reason = Ds.refused, limits.refusal(channel, found)
        return None
    if delivery.attempts >= runtime.settings.social_max_attempts:  # the last one died mid-way
        delivery.status = Ds.failed
        delivery.reason = f"Đã thử {delivery.attempts} lần, không thử lại."
        return None
    delivery.attempts += 1  # counted now: an attempt that kills the worker still counts
    delivery.next_attempt_at = at + timedelta(
        seconds=runtime.settings.social_timeout_seconds) + LEASE_MARGIN
    payload = (payload_of(story) if delivery.action == Action.published
               else retraction.payload_of(story))
    return Job(delivery_id=delivery.id, channel_id=channel.id, endpoint=endpoint,
               number=delivery.attempts, payload=payload)


async def claim(runtime: Runtime, *, limit: int, busy: Counter[str]) -> list[Job]:
    """Take up to `limit` due deliveries in one short transaction, no channel past its cap
    counting the sends `busy` in flight."""
    cap = channel_cap(runtime.settings.social_concurrency)
    async with runtime.uow() as uow:
        rows = await store.due(uow.session, at=now(), limit=limit,
                               allowance=allowance(busy, cap))
        publications = await store.publications_of(
            uow.session, [d.story_id for d, _ in rows if d.action == Action.withdrawn])
        jobs = [settle(runtime, delivery, story, publications.get(delivery.story_id))
                for delivery, story in rows]
        await uow.commit()
    return [job for job in jobs if job is not None]


async def attempt(client: httpx.AsyncClient, job: Job, *, timeout: float) -> Answer:
    """POST the story; the whole exchange is bounded, not each read, so a receiver that
    trickles bytes cannot stretch it. The body of the answer is not read."""
    try:
        async with asyncio.timeout(timeout), client.stream(
                "POST", job.endpoint, json=job.payload,
                headers={"Idempotency-Key": job.delivery_id}) as response:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            return Answer(response.status_code, None, wait)
    except (TimeoutError, httpx.TimeoutException):
        return Answer(None, f"Quá thời gian chờ {timeout:g} giây")
    except (httpx.HTTPError, httpx.InvalidURL) as exc:  # a bad address may yet be corrected
        return Answer(None, f"Lỗi kết nối: {type(exc).__name__}: {exc}"[:500])


async def record(runtime: Runtime, job: Job, answer: Answer, *, started: datetime,
                 duration_ms: int) -> str:
    """The attempt's log row and the delivery's next state, in one transaction."""
    settings = runtime.settings
    async with runtime.uow() as uow:
        delivery = await store.get(uow.session, job.delivery_id)
        at, retry_at = now(), None
        # Not pending: settled meanwhile, by an attempt after a lease or by a retraction.
        if delivery.status == Ds.pending:
            delivery.updated_at = at
            if accepted(answer):
                delivery.status, delivery.delivered_at, delivery.reason = Ds.delivered, at, None
            elif retryable(answer) and await withdrawn_meanwhile(uow, delivery):
                delivery.status, delivery.reason = Ds.cancelled, retraction.CANCELLED_RETRY
            elif retryable(answer) and delivery.attempts < settings.social_max_attempts:
                retry_at = at + timedelta(seconds=retry_delay(
                    answer, delivery.attempts, base=settings.social_backoff_base_seconds,
                    cap=settings.social_backoff_max_seconds))
                delivery.next_attempt_at, delivery.reason = retry_at, failure_text(answer)
            else:
                delivery.status = Ds.failed
                delivery.reason = (f"{failure_text(answer)}; đã thử {delivery.attempts} lần, "
                                   f"không thử lại.")
        uow.session.add(store.DeliveryAttempt(
            delivery_id=job.delivery_id, number=job.number, started_at=started,
            duration_ms=duration_ms, status_code=answer.status_code, error=answer.error,
            retry_at=retry_at))
        await uow.commit()
        return delivery.status


async def withdrawn_meanwhile(uow: UnitOfWork, delivery: store.Delivery) -> bool:
    """A story taken down during its attempt is not tried again: its retraction waits."""
    if delivery.action != Action.published:
        return False
    story = await uow.session.get(Story, delivery.story_id)
    return story is not None and story.status != St.published


async def deliver_one(runtime: Runtime, client: httpx.AsyncClient, job: Job) -> None:
    tracer = runtime.tracer_provider.get_tracer(__name__)
    with tracer.start_as_current_span("social delivery", attributes={
            "delivery.id": job.delivery_id, "delivery.channel": job.channel_id,
            "delivery.attempt": job.number}) as span:
        started, clock = now(), time.monotonic()
        answer = await attempt(client, job, timeout=runtime.settings.social_timeout_seconds)
        duration_ms = round((time.monotonic() - clock) * 1000)
        if answer.status_code is not None:
            span.set_attribute("http.response.status_code", answer.status_code)
        outcome = await record(runtime, job, answer, started=started, duration_ms=duration_ms)
    log.info("social delivery attempt", extra={
        "delivery_id": job.delivery_id, "channel_id": job.channel_id, "attempt": job.number,
        "status_code": answer.status_code, "error": answer.error, "outcome": outcome})


async def deliver(runtime: Runtime) -> None:
    """Runs while the service runs: every poll, fill the free slots with due deliveries.

    A task group ties the sends in flight to this loop, so stopping the service stops them
    (their leases run out and they are taken again)."""
    settings = runtime.settings
    in_flight: dict[str, str] = {}  # delivery id → its channel

    async def run(client: httpx.AsyncClient, job: Job) -> None:
        try:
            await deliver_one(runtime, client, job)
        except Exception:  # the database is away: the lease runs out, the job comes back
            log.exception("social delivery failed", extra={"delivery_id": job.delivery_id})
        finally:
            in_flight.pop(job.delivery_id, None)

    async with httpx.AsyncClient(timeout=settings.social_timeout_seconds,
                                 follow_redirects=False) as client, asyncio.TaskGroup() as group:
        while True:
            free = settings.social_concurrency - len(in_flight)
            jobs: list[Job] = []
            if free > 0:
                try:
                    jobs = await claim(runtime, limit=free,
                                       busy=Counter(in_flight.values()))
                except Exception:  # the database is away: the next poll tries again
                    log.exception("taking due social deliveries failed")
            for job in jobs:
                in_flight[job.delivery_id] = job.channel_id
                group.create_task(run(client, job))
            await asyncio.sleep(settings.social_poll_seconds)
