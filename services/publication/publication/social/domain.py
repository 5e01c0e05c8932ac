"""A delivery to a page's receiver — a published story, or the retraction of one withdrawn —
and when to try it again.

    pending ──2xx──▶ delivered
       │ ├──network error, timeout, 5xx, 429──▶ pending again, later (until the last attempt)
       │ └──any other answer, or the last attempt failing──▶ failed
       └── before any attempt: refused (breaks the page's limits), skipped (the channel has
           no receiver configured) or cancelled (the story was taken down first); a
           retraction: not_needed (the page was never sent the story)

A retraction goes to the same receiver as the story did, once the page may have the story:
its delivery accepted, or an attempt made whose answer cannot prove the page dropped it. It
waits while an attempt at the story is in flight, so it never overtakes the post it takes
down.

Retries wait with exponential backoff and jitter. The retry state is a row (its
`next_attempt_at`), so it survives a restart and replicas share it; a retry library drives
retries inside one call, which does not fit, and its wait arithmetic is the one line below."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    published = "published"  # post the story
    withdrawn = "withdrawn"  # take the post down


class Ds(StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"
    refused = "refused"
    skipped = "skipped"
    cancelled = "cancelled"
    not_needed = "not_needed"


STATUS_NAMES = {Ds.pending: "đang chờ gửi", Ds.delivered: "đã gửi",
                Ds.failed: "gửi không thành công", Ds.refused: "không gửi: vượt giới hạn",
                Ds.skipped: "không gửi: chưa cấu hình địa chỉ nhận",
                Ds.cancelled: "không gửi: tin bài đã gỡ",
                Ds.not_needed: "không cần gửi: trang chưa nhận tin bài"}
ACTION_NAMES = {Action.published: "đăng tin bài", Action.withdrawn: "gỡ tin bài"}
# The channel kinds whose stories go out to a receiver (a page's webhook or API relay).
DELIVERED_KINDS = frozenset({"zalo", "facebook", "unit_site"})


class Step(StrEnum):
    """What a due retraction does now."""

    send = "send"
    wait = "wait"  # the story's own delivery is being attempted (or taken by another worker)
    not_needed = "not_needed"  # the page was never sent the story


def retraction_step(*, status: str | None, attempts: int, logged: int,
                    busy: bool) -> tuple[Step, bool]:
    """The retraction's step, and whether the story's own delivery (its `status`, its
    `attempts` counted and `logged`; status None when there is none) is to be cancelled now:
    one still pending and not in flight is waiting for a try that must not come."""
    if busy:
        return Step.wait, False
    if status is None:
        return Step.not_needed, False
    pending = status == Ds.pending
    if pending and attempts > logged:  # in flight: its answer (and the post) may yet come
        return Step.wait, False
    # Any attempt may have reached the page (a timeout or a dropped answer proves nothing),
    # and a retraction of a post a page never made costs it nothing.
    return (Step.send if attempts else Step.not_needed), pending


@dataclass(frozen=True)
class Answer:
    """What one attempt got: an HTTP status, or an error before any status came."""

    status_code: int | None
    error: str | None
    retry_after: float | None = None  # seconds, from a Retry-After header


def retryable(answer: Answer) -> bool:
    """The receiver may take it later: it was away, slow, overloaded or rate-limiting."""
    code = answer.status_code
    return code is None or code == 429 or code >= 500


def accepted(answer: Answer) -> bool:
    return answer.status_code is not None and 200 <= answer.status_code < 300


def backoff(attempt: int, *, base: float, cap: float,
            rand: Callable[[], float] = random.random) -> float:
    """Seconds before retry `attempt` + 1: the nominal base·2^(attempt-1), capped, half of it
    fixed and half random ("equal jitter"). The fixed half gives a struggling receiver room;
    the random half keeps many deliveries that failed together from returning together."""
    nominal = min(cap, base * 2 ** (attempt - 1))
    return nominal / 2 + rand() * nominal / 2


def retry_delay(answer: Answer, attempt: int, *, base: float, cap: float) -> float:
    """The backoff, or longer when the receiver asked for it (Retry-After), never past cap."""
    delay = backoff(attempt, base=base, cap=cap)
    if answer.retry_after is not None:
        delay = max(delay, min(cap, answer.retry_after))
    return delay


def retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After in seconds; its date form is rare from webhooks and the backoff stands."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def failure_text(answer: Answer) -> str:
    if answer.status_code is not None:
        return f"Trang nhận trả lời HTTP {answer.status_code}"
    return answer.error or "Lỗi không rõ"
