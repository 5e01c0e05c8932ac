"""Reporting on its own: the service on a real nats-server and database, fed by the events
nomination, review and publication send, published to the stream."""

from __future__ import annotations

from contextlib import AsyncExitStack

import pytest

from exemplar.testing import eventually


@pytest.fixture
async def reporting(start_service):
    async with AsyncExitStack() as stack:
        running = await start_service(stack, "reporting")
        # A new database is built by a replay at start; its figures (and reports) wait
        # for it, as a user's would.
        await eventually(running.app.state.replayer.current, what="the replay at start")
        yield running
