"""What a bus offers the outbox relay, the inbox and the `exemplar dlq` command."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class BusUnavailable(Exception):
    """The broker cannot be reached now; the caller retries later."""


@dataclass(frozen=True)
class Delivery:
    """One delivery of a message to a consumer."""

    subject: str
    data: bytes
    headers: dict[str, str]
    num_delivered: int = 1
    msg_id: str | None = None
    sequence: int | None = None  # the message's place in the stream


@dataclass(frozen=True)
class DeadLetter:
    """A message a consumer gave up on, kept with its error."""

    sequence: int
    consumer: str
    subject: str
    msg_id: str | None
    error: str
    deliveries: int
    data: bytes
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Delivery], Awaitable[None]]


class Bus(Protocol):
    @property
    def connected(self) -> bool: ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, subject: str, data: bytes, *, msg_id: str,
                      headers: dict[str, str] | None = None) -> None:
        """Returns once the broker has stored the message; raises BusUnavailable otherwise."""

    async def subscribe(self, consumer: str, subject: str, handler: Handler) -> None:
        """Deliver every message on `subject` to `handler` through the durable `consumer`.

        The handler returning means done (ack); raising `Poison` dead-letters at once;
        any other exception retries with backoff, and dead-letters after max_deliver.
        """

    def history(self, subjects: Sequence[str]) -> AsyncIterator[Delivery]:
        """Every message stored for `subjects`, oldest first, up to the newest stored when
        the reading began: what a projection is rebuilt from."""

    async def dead_letters(self) -> list[DeadLetter]: ...

    async def replay(self, sequence: int) -> DeadLetter: ...


def retry_delay(num_delivered: int, *, base: float = 0.25, cap: float = 30.0) -> float:
    """Exponential backoff for a nak: 0.25 s, 0.5 s, 1 s … at most `cap`."""
    return min(cap, base * 2 ** max(0, num_delivered - 1))


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS wildcards: `*` is one token, `>` the rest."""
    want, have = pattern.split("."), subject.split(".")
    for i, token in enumerate(want):
        if token == ">":
            return len(have) > i
        if i >= len(have) or token not in ("*", have[i]):
            return False
    return len(want) == len(have)
