"""The JetStream bus on its own: stream settings, lost consumers, dead-letter text."""

from __future__ import annotations

import asyncio

import nats
from nats.js.api import StreamConfig

from exemplar.bus import NatsBus
from exemplar.errors import Poison
from exemplar.testing import eventually

SUBJECT = "exemplar.nomination.withdrawn.v1"


async def started(url: str, name: str) -> NatsBus:
    bus = NatsBus(url, name=name, ack_wait=2.0, max_deliver=3)
    await bus.start(wait=10)
    return bus


async def test_existing_stream_keeps_its_operators_settings(nats_server):
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    await js.add_stream(StreamConfig(name="EXEMPLAR", subjects=["exemplar.>"],
                                     duplicate_window=600, max_bytes=50_000_000,
                                     description="vận hành"))
    bus = await started(nats_server.url, "review")
    try:
        config = (await js.stream_info("EXEMPLAR")).config
        assert config.duplicate_window == 600
        assert config.max_bytes == 50_000_000
        assert config.description == "vận hành"
        assert (await js.stream_info("EXEMPLAR_DLQ")).config.subjects == ["exemplar_dlq.>"]
    finally:
        await bus.close()
        await nc.close()


async def test_consumer_deleted_on_the_broker_is_created_again(nats_server):
    bus = await started(nats_server.url, "reporting")
    seen: list[bytes] = []

    async def handle(delivery):
        seen.append(delivery.data)

    try:
        await bus.subscribe("reporting-nomination-withdrawn-v1", SUBJECT, handle)
        await bus.publish(SUBJECT, b"first", msg_id="m-1")
        await eventually(lambda: _async(seen == [b"first"]), what="first delivered")

        nc = await nats.connect(nats_server.url)
        await nc.jetstream().delete_consumer("EXEMPLAR", "reporting-nomination-withdrawn-v1")
        await nc.close()
        await bus.publish(SUBJECT, b"second", msg_id="m-2")
        await eventually(lambda: _async(b"second" in seen), timeout=20,
                         what="delivered after the consumer was recreated")
    finally:
        await bus.close()


async def test_dead_letter_keeps_a_vietnamese_error_readable(nats_server):
    bus = await started(nats_server.url, "review")

    async def reject(delivery):
        raise Poison("Đơn vị 'xa-dak-o' không tồn tại trong năm 2026")

    try:
        await bus.subscribe("review-nomination-withdrawn-v1", SUBJECT, reject)
        await bus.publish(SUBJECT, b"{}", msg_id="m-1")
        letters = await eventually(bus.dead_letters, what="dead-lettered")
        assert letters[0].error == "poison: Đơn vị 'xa-dak-o' không tồn tại trong năm 2026"
        assert letters[0].msg_id == "m-1" and letters[0].deliveries == 1
    finally:
        await bus.close()


async def _async(value):
    await asyncio.sleep(0)
    return value
