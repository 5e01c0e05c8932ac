"""Reading the stream's history on a real nats-server: what a projection is rebuilt from."""

from __future__ import annotations

import time

from exemplar.bus import NatsBus

SUBMITTED = "exemplar.nomination.submitted.v1"
DECIDED = "exemplar.review.decided.v1"
OTHER = "exemplar.reporting.quota_at_risk.v1"  # on the stream, not asked for


async def started(url: str) -> NatsBus:
    bus = NatsBus(url, name="reporting")
    await bus.start(wait=10)
    return bus


async def publish(bus: NatsBus, *messages: tuple[str, bytes]) -> None:
    for subject, data in messages:
        await bus.publish(subject, data, msg_id=data.decode(), headers={"x-test": "1"})


async def read(bus: NatsBus, subjects: list[str]) -> list[tuple[int, str, bytes]]:
    return [(d.sequence, d.subject, d.data) async for d in bus.history(subjects)]


async def test_history_reads_every_stored_message_in_order(nats_server):
    bus = await started(nats_server.url)
    try:
        await publish(bus, *[(SUBMITTED if i % 2 else DECIDED, f"m-{i}".encode())
                             for i in range(600)])  # more than one fetch
        seen = await read(bus, [SUBMITTED, DECIDED])
        assert [s for s, _, _ in seen] == list(range(1, 601))
        assert [d for _, _, d in seen] == [f"m-{i}".encode() for i in range(600)]
        [first] = [d async for d in bus.history([DECIDED]) if d.sequence == 1]
        assert first.msg_id == "m-0" and first.headers["x-test"] == "1"
    finally:
        await bus.close()


async def test_history_reads_only_the_subjects_asked_for(nats_server):
    bus = await started(nats_server.url)
    try:
        await publish(bus, (SUBMITTED, b"a"), (OTHER, b"b"), (DECIDED, b"c"),
                      (SUBMITTED, b"d"))
        assert await read(bus, [SUBMITTED]) == [(1, SUBMITTED, b"a"), (4, SUBMITTED, b"d")]
        assert await read(bus, [SUBMITTED, DECIDED]) == [
            (1, SUBMITTED, b"a"), (3, DECIDED, b"c"), (4, SUBMITTED, b"d")]
    finally:
        await bus.close()


async def test_history_stops_at_the_last_message_stored_when_it_began(nats_server):
    bus = await started(nats_server.url)
    try:
        await publish(bus, *[(SUBMITTED, f"m-{i}".encode()) for i in range(5)])
        seen = []
        async for delivery in bus.history([SUBMITTED]):
            seen.append(delivery.data)
            await publish(bus, (SUBMITTED, b"late-" + delivery.data))
        assert seen == [f"m-{i}".encode() for i in range(5)]
        assert len(await read(bus, [SUBMITTED])) == 10  # stored all the same
    finally:
        await bus.close()


async def test_history_ends_at_its_start_when_the_newest_message_is_not_asked_for(
        nats_server):
    bus = await started(nats_server.url)
    try:
        await publish(bus, (SUBMITTED, b"a"), (OTHER, b"b"))
        seen = []
        began = time.monotonic()
        async for delivery in bus.history([SUBMITTED, DECIDED]):
            seen.append(delivery.data)
            await publish(bus, (DECIDED, b"late"))
        assert seen == [b"a"]
        assert time.monotonic() - began < 1.5  # ends at once, not on a fetch timeout
    finally:
        await bus.close()


async def test_history_of_an_empty_stream_yields_nothing(nats_server):
    bus = await started(nats_server.url)
    try:
        assert await read(bus, [SUBMITTED, DECIDED]) == []
        await publish(bus, (OTHER, b"a"))
        began = time.monotonic()
        assert await read(bus, [SUBMITTED, DECIDED]) == []
        assert time.monotonic() - began < 1.5
    finally:
        await bus.close()
