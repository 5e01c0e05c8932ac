"""Reporting on its own: the service on a real nats-server and database, fed by the events
nomination, review and publication send, published to the stream."""

from __future__ import annotations

from contextlib import AsyncExitStack

import pytest


@pytest.fixture
async def reporting(start_service):
    async with AsyncExitStack() as stack:
        yield await start_service(stack, "reporting")
