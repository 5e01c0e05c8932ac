"""Review on its own: the service on a real nats-server and database, fed by submissions
published to the stream as the nomination service would."""

from __future__ import annotations

from contextlib import AsyncExitStack

import pytest


@pytest.fixture
async def review(start_service):
    async with AsyncExitStack() as stack:
        yield await start_service(stack, "review")
