"""A delivery of a published story to a page's receiver, and when to try it again.

    pending ──2xx──▶ delivered
       │ ├──network error, timeout, 5xx, 429──▶ pending again, later (until the last attempt)
       │ └──any other answer, or the last attempt failing──▶ failed
       └── before any attempt: refused (breaks the page's limits), skipped (the channel has
           no receiver configured) or cancelled (the story was taken down first)

Retries wait with exponential backoff and jitter. The retry state is a row (its
`next_attempt_at`), so it survives a restart and replicas share it; a retry library drives
retries inside one call, which does not fit, and its wait arithmetic is the one line below."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Ds(StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"
    refused = "refused"
    skipped = "skipped"
    cancelled = "cancelled"


STATUS_NAMES = {Ds.pending: "đang chờ gửi", Ds.delivered: "đã gửi",
                Ds.failed: "gửi không thành công", Ds.refused: "không gửi: vượt giới hạn",
                Ds.skipped: "không gửi: chưa cấu hình địa chỉ nhận",
                Ds.cancelled: "không gửi: tin bài đã gỡ"}
# The channel kinds whose stories go out to a receiver (a page's webhook or API relay).
DELIVERED_KINDS = frozenset({"zalo", "facebook", "unit_site"})


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
