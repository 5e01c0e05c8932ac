"""The four services running in this process, each with its own database and NATS client,
all on one real nats-server, with every span collected in one in-memory exporter."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from exemplar import services
from exemplar.testing import RunningService, run_service

FAST = {"ack_wait_seconds": 2.0, "relay_sweep_seconds": 0.5, "max_deliver": 4}


@dataclass
class Cluster:
    services: dict[str, RunningService]
    spans: InMemorySpanExporter

    def __getitem__(self, name: str) -> RunningService:
        return self.services[name]


@pytest.fixture
def start_service(nats_server, service_databases, key_dir, tmp_path):
    """start_service(stack, name, **settings) → a running service on the test NATS and DB."""

    async def start(stack: AsyncExitStack, name: str, **overrides) -> RunningService:
        return await stack.enter_async_context(run_service(
            name, database_url=service_databases[name], nats_url=nats_server.url,
            key_dir=key_dir, var_dir=tmp_path / name, **{**FAST, **overrides}))

    return start


@pytest.fixture
async def cluster(start_service):
    spans = InMemorySpanExporter()
    async with AsyncExitStack() as stack:
        running = {name: await start_service(stack, name, span_exporter=spans)
                   for name in services.installed()}
        yield Cluster(running, spans)
