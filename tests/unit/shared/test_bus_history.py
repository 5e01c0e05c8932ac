"""Reading the stored history back (what projections are rebuilt from) on the in-memory bus,
and NATS subject wildcards."""

from __future__ import annotations

import pytest

from exemplar.bus import InMemoryBus
from exemplar.bus.base import subject_matches

SUBMITTED = "exemplar.nomination.submitted.v1"
DECIDED = "exemplar.review.decided.v1"
PUBLISHED = "exemplar.publication.published.v1"


async def stored(*messages: tuple[str, bytes]) -> InMemoryBus:
    bus = InMemoryBus()
    for i, (subject, data) in enumerate(messages):
        await bus.publish(subject, data, msg_id=f"m-{i}", headers={"traceparent": f"t-{i}"})
    return bus


async def read(bus: InMemoryBus, subjects: list[str]) -> list[tuple[int, str, bytes]]:
    return [(d.sequence, d.subject, d.data) async for d in bus.history(subjects)]


async def test_history_reads_every_stored_message_in_order_with_its_place():
    bus = await stored((SUBMITTED, b"1"), (DECIDED, b"2"), (SUBMITTED, b"3"))
    assert await read(bus, [SUBMITTED, DECIDED]) == [
        (1, SUBMITTED, b"1"), (2, DECIDED, b"2"), (3, SUBMITTED, b"3")]


async def test_history_keeps_headers_and_message_ids():
    bus = await stored((SUBMITTED, b"1"))
    [delivery] = [d async for d in bus.history([SUBMITTED])]
    assert delivery.headers == {"traceparent": "t-0"} and delivery.msg_id == "m-0"


async def test_history_reads_only_the_subjects_asked_for_with_stream_positions():
    bus = await stored((SUBMITTED, b"1"), (PUBLISHED, b"2"), (DECIDED, b"3"))
    assert await read(bus, [DECIDED]) == [(3, DECIDED, b"3")]
    assert await read(bus, [SUBMITTED, PUBLISHED]) == [(1, SUBMITTED, b"1"),
                                                       (2, PUBLISHED, b"2")]
    assert await read(bus, ["exemplar.review.>"]) == [(3, DECIDED, b"3")]


async def test_history_skips_duplicates_the_bus_dropped():
    bus = InMemoryBus()
    await bus.publish(SUBMITTED, b"1", msg_id="same")
    await bus.publish(SUBMITTED, b"1", msg_id="same")
    assert await read(bus, [SUBMITTED]) == [(1, SUBMITTED, b"1")]


async def test_history_stops_at_the_newest_message_stored_when_it_began():
    bus = await stored((SUBMITTED, b"1"), (SUBMITTED, b"2"))
    seen = []
    async for delivery in bus.history([SUBMITTED]):
        seen.append(delivery.data)
        await bus.publish(SUBMITTED, b"late-" + delivery.data, msg_id=f"late-{len(seen)}")
    assert seen == [b"1", b"2"]
    assert len(await read(bus, [SUBMITTED])) == 4  # the next reading sees them


async def test_history_of_an_empty_bus_yields_nothing():
    assert await read(InMemoryBus(), [SUBMITTED]) == []
    assert await read(await stored((DECIDED, b"1")), [SUBMITTED]) == []


@pytest.mark.parametrize(("pattern", "subject", "matches"), [
    (SUBMITTED, SUBMITTED, True),
    (SUBMITTED, DECIDED, False),
    ("exemplar.*.submitted.v1", SUBMITTED, True),
    ("exemplar.*.submitted.v1", "exemplar.nomination.withdrawn.v1", False),
    ("exemplar.>", SUBMITTED, True),
    ("exemplar.nomination.>", SUBMITTED, True),
    ("exemplar.nomination.>", DECIDED, False),
    ("exemplar.>", "exemplar", False),  # `>` needs at least one token
    ("exemplar.*", SUBMITTED, False),  # `*` is exactly one token
    ("exemplar.nomination.submitted", SUBMITTED, False),
    (SUBMITTED, "exemplar.nomination.submitted", False),
    ("*.*.*.*", SUBMITTED, True),
    (">", SUBMITTED, True),
])
def test_subject_wildcards_follow_nats(pattern, subject, matches):
    assert subject_matches(pattern, subject) is matches
