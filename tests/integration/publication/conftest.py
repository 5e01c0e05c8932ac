"""Publication on its own: the service on a real nats-server and database, fed by review's
and nomination's events published to the stream."""

from __future__ import annotations

from contextlib import AsyncExitStack

import pytest


@pytest.fixture
async def publication(start_service):
    async with AsyncExitStack() as stack:
        yield await start_service(stack, "publication")
