"""Messages a consumer gives up on are kept with their error, listed and replayed."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from contextlib import AsyncExitStack

import nats

from exemplar.bus import NatsBus
from exemplar.events import NominationSubmittedV1
from exemplar.testing import eventually

from .helpers import counts, submit

CONSUMERS = {"review-nomination-submitted-v1", "publication-nomination-submitted-v1",
             "reporting-nomination-submitted-v1"}


async def exemplar_cli(*args: str) -> subprocess.CompletedProcess:
    return await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "exemplar.cli", *args], capture_output=True,
        text=True, timeout=60)


def listed(output: str) -> list[list[str]]:
    return [line.split("\t") for line in output.splitlines() if "\t" in line]


async def test_poison_message_is_dead_lettered_listed_and_replayed(cluster, nats_server):
    nc = await nats.connect(nats_server.url)
    await nc.jetstream().publish(NominationSubmittedV1.type, b"{not json",
                                 headers={"Nats-Msg-Id": "poison-1"})
    await nc.close()

    async def three_letters():
        result = await exemplar_cli("dlq", "list", "--nats-url", nats_server.url)
        rows = listed(result.stdout)
        return rows if {r[1] for r in rows} == CONSUMERS else None

    rows = await eventually(three_letters, what="one dead letter per consumer")
    assert all(r[2] == NominationSubmittedV1.type for r in rows)
    assert all(r[3] == "poison-1" for r in rows)
    assert all("not an event envelope" in r[5] for r in rows)
    first_sequences = {int(r[0]) for r in rows}

    replay = await exemplar_cli("dlq", "replay", "--all", "--nats-url", nats_server.url)
    assert replay.returncode == 0, replay.stderr
    assert replay.stdout.count("replayed to exemplar.nomination.submitted.v1") == 3

    # Still poison: each consumer gets it again and dead-letters it again, under new numbers.
    again = await eventually(three_letters, what="re-delivered and dead-lettered again")
    assert {int(r[0]) for r in again}.isdisjoint(first_sequences)


class BrokenProjection(NatsBus):
    """A consumer whose handler fails while `away` is set, as a bug later fixed would."""

    away = True

    async def subscribe(self, consumer, subject, handler):
        async def maybe_fail(delivery):
            if self.away:
                raise RuntimeError("projection failed")
            await handler(delivery)

        await super().subscribe(consumer, subject, maybe_fail)


async def test_replayed_dead_letter_is_applied_once_the_cause_is_fixed(start_service, token,
                                                                       nats_server):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination")
        flaky = BrokenProjection(nats_server.url, name="reporting", max_deliver=2)
        stack.push_async_callback(flaky.close)
        reporting = await start_service(stack, "reporting", bus=flaky)

        await submit(nomination, token)

        async def dead_lettered():
            result = await exemplar_cli("dlq", "list", "--nats-url", nats_server.url)
            return [r for r in listed(result.stdout)
                    if r[1] == "reporting-nomination-submitted-v1"]

        letters = await eventually(dead_lettered, what="dead-lettered after 2 deliveries")
        assert letters[0][4] == "deliveries=2"
        assert "projection failed" in letters[0][5]
        assert await counts(reporting, token("noi-vu.officer")) == {}

        flaky.away = False
        replay = await exemplar_cli("dlq", "replay", letters[0][0], "--nats-url",
                                    nats_server.url)
        assert replay.returncode == 0, replay.stderr
        await eventually(lambda: _counted(reporting, token), what="replayed event applied")
        assert await counts(reporting, token("noi-vu.officer")) == {"xa-dak-o": 1}
        assert await dead_lettered() == []


async def _counted(reporting, token) -> bool:
    return await counts(reporting, token("noi-vu.officer")) == {"xa-dak-o": 1}
