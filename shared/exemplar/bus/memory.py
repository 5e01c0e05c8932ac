"""An in-memory bus for unit tests: same contract as NatsBus, no broker, no durability."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence

from ..errors import Poison, Transient
from .base import DeadLetter, Delivery, Handler, subject_matches


class InMemoryBus:
    """Delivers synchronously on publish; dedupes on msg id like JetStream's window."""

    def __init__(self, *, max_deliver: int = 3) -> None:
        self.max_deliver = max_deliver
        self.published: list[Delivery] = []
        self._seen: set[str] = set()
        self._handlers: dict[str, list[tuple[str, Handler]]] = defaultdict(list)
        self._dead: list[DeadLetter] = []
        self._next_sequence = 0
        self.stalled: list[tuple[str, Delivery]] = []  # transient failures, not dead letters

    @property
    def connected(self) -> bool:
        return True

    async def start(self, *, wait: float | None = None) -> None:
        return None

    async def close(self) -> None:
        return None

    async def publish(self, subject: str, data: bytes, *, msg_id: str,
                      headers: dict[str, str] | None = None) -> None:
        if msg_id in self._seen:
            return
        self._seen.add(msg_id)
        delivery = Delivery(subject=subject, data=data, headers=dict(headers or {}),
                            msg_id=msg_id)
        self.published.append(delivery)
        for consumer, handler in self._handlers[subject]:
            await self._deliver(consumer, delivery, handler)

    async def history(self, subjects: Sequence[str]) -> AsyncIterator[Delivery]:
        for sequence, delivery in enumerate(list(self.published), start=1):
            if any(subject_matches(pattern, delivery.subject) for pattern in subjects):
                yield Delivery(**{**delivery.__dict__, "sequence": sequence})

    async def subscribe(self, consumer: str, subject: str, handler: Handler) -> None:
        self._handlers[subject].append((consumer, handler))

    async def _deliver(self, consumer: str, delivery: Delivery, handler: Handler) -> None:
        for attempt in range(1, self.max_deliver + 1):
            try:
                await handler(Delivery(**{**delivery.__dict__, "num_delivered": attempt}))
                return
            except Poison as exc:
                error = f"poison: {exc}"
                break
            except Transient:
                error = None
            except Exception as exc:
                error = repr(exc)
        if error is None:  # JetStream would keep retrying; here it waits for the test
            self.stalled.append((consumer, delivery))
            return
        self._next_sequence += 1
        self._dead.append(DeadLetter(sequence=self._next_sequence, consumer=consumer,
                                     subject=delivery.subject, msg_id=delivery.msg_id,
                                     error=error, deliveries=attempt, data=delivery.data,
                                     headers=delivery.headers))

    async def dead_letters(self) -> list[DeadLetter]:
        return list(self._dead)

    async def replay(self, sequence: int) -> DeadLetter:
        letter = next((d for d in self._dead if d.sequence == sequence), None)
        if letter is None:
            raise KeyError(f"no dead letter {sequence}")
        self._dead.remove(letter)
        for consumer, handler in self._handlers[letter.subject]:
            if consumer == letter.consumer:
                await self._deliver(consumer, Delivery(subject=letter.subject, data=letter.data,
                                                       headers=letter.headers,
                                                       msg_id=letter.msg_id), handler)
        return letter
