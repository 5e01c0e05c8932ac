"""Two replicas' outbox relays share one PostgreSQL outbox: each event is published once."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from exemplar.bus import NatsBus
from exemplar.db import Database, is_postgres, service_metadata
from exemplar.events import NominationWithdrawnV1
from exemplar.outbox import OutboxRelay
from exemplar.uow import UnitOfWork


class CountingBus(NatsBus):
    def __init__(self, *args, published: Counter, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.published = published

    async def publish(self, subject, data, *, msg_id, headers=None) -> None:
        await super().publish(subject, data, msg_id=msg_id, headers=headers)
        self.published[msg_id] += 1


async def test_replicas_relays_publish_each_event_once(service_databases, nats_server):
    url = service_databases["nomination"]
    if not is_postgres(url):
        pytest.skip("FOR UPDATE SKIP LOCKED needs PostgreSQL: set TEST_DATABASE_URL")
    published: Counter = Counter()
    replicas = []
    for n in range(2):
        db = Database.open(url, service_metadata())
        bus = CountingBus(nats_server.url, name=f"nomination-{n}", published=published)
        await bus.start(wait=10)
        replicas.append((db, bus, OutboxRelay(db, bus, batch=25)))
    db = replicas[0][0]
    staged = []
    async with UnitOfWork(db, source="nomination") as uow:
        for i in range(300):
            staged.append(uow.stage(NominationWithdrawnV1(
                nomination_id=f"n-{i}", revision=1, unit_id="xa-dak-o", year=2023,
                reason="Đơn vị rút đề nghị", withdrawn_by="dak-o.head"), subject=f"n-{i}").id)
        await uow.commit()

    async def drain(relay: OutboxRelay) -> int:
        passes = 0
        while await relay.publish_pending():
            passes += 1
        return passes

    passes = await asyncio.gather(*(drain(relay) for _, _, relay in replicas))
    try:
        assert sorted(published) == sorted(staged)
        assert set(published.values()) == {1}, "an event was published twice"
        assert all(p > 0 for p in passes), f"both replicas should take a share: {passes}"
        assert await replicas[1][2].pending() == 0
    finally:
        for db, bus, _ in replicas:
            await bus.close()
            await db.close()
