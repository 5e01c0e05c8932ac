"""What a user reads of the figures, the rows behind them, and a reporting service started
afresh (empty database, empty stream) to compare two runs of the same events."""

from __future__ import annotations

from contextlib import AsyncExitStack, asynccontextmanager, suppress
from typing import Any

import nats
from nats.js.errors import NotFoundError
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import create_async_engine

from exemplar.db import async_url
from exemplar.testing import auth, eventually
from reporting.projections.store import PROJECTIONS, Tally

from .steps import ADMIN, ALL_EVENTS, get, settled

ON, AFTER = "2024-11-01", "2024-12-16"


async def figures(reporting, bearer: str) -> dict[str, Any]:
    """Every figure the quota table, the dashboard and the counts show for 2023–2024."""
    return {
        "quotas": await get(reporting, "/quotas", bearer, year=2024, on=ON),
        "quotas_after": await get(reporting, "/quotas", bearer, year=2024, on=AFTER),
        "quotas_2023": await get(reporting, "/quotas", bearer, year=2023, on=ON),
        "dashboard": await get(reporting, "/dashboard", bearer, year=2024),
        "dashboard_2023": await get(reporting, "/dashboard", bearer, year=2023),
        "exemplars": await get(reporting, "/dashboard/exemplars", bearer, from_year=2023,
                               to_year=2024),
        "counts": await get(reporting, "/counts", bearer, year=2024),
        "counts_2023": await get(reporting, "/counts", bearer, year=2023),
    }


async def all_handled(nats_url: str, *, rounds: int = 4) -> None:
    """`settled` for many events: several hundred take longer than one wait on SQLite."""
    for _ in range(rounds - 1):
        try:
            return await settled(nats_url, *ALL_EVENTS)
        except AssertionError:
            continue
    await settled(nats_url, *ALL_EVENTS)


async def rows(runtime) -> dict[str, list[tuple]]:
    """Every row of the projections (tallies at zero left out: a figure never shows them,
    and whether a key was touched at all depends on the order events came in)."""
    out: dict[str, list[tuple]] = {}
    async with runtime.uow() as uow:
        for model in PROJECTIONS:
            columns = list(model.__table__.columns)
            query = select(*columns)
            if model is Tally:
                query = query.where(Tally.count != 0)
            found = (await uow.session.execute(query)).all()
            out[model.__tablename__] = sorted(tuple(r) for r in found)
    return out


async def replay_state(reporting, bearer: str) -> dict[str, Any]:
    response = await reporting.client.get("/admin/replay", headers=auth(bearer))
    assert response.status_code == 200, response.text
    return response.json()


async def replayed(reporting, token, *, started_by: str | None = None) -> dict[str, Any]:
    """Wait for the replay running (or the one at start) to finish; its final status."""
    admin = token(ADMIN)
    seen: list[dict] = []

    async def finished():
        state = await replay_state(reporting, admin)
        seen[:] = [state]
        done = state["state"] in ("finished", "failed") and (
            started_by is None or state["started_by"] == started_by)
        return state if done else None

    try:
        state = await eventually(finished, timeout=60, what="replay finished")
    except AssertionError as exc:
        raise AssertionError(f"replay not finished: {seen}") from exc
    assert state["state"] == "finished", state
    return state


async def emptied(database_url: str, nats_url: str) -> None:
    """No row in any table of the database (its schema kept), no message on the stream."""
    engine = create_async_engine(async_url(database_url))
    try:
        async with engine.begin() as conn:
            tables = MetaData()
            await conn.run_sync(tables.reflect)
            for table in reversed(tables.sorted_tables):
                if table.name != "alembic_version":
                    await conn.execute(table.delete())
    finally:
        await engine.dispose()
    nc = await nats.connect(nats_url, connect_timeout=5)
    try:
        with suppress(NotFoundError):
            await nc.jetstream().purge_stream("EXEMPLAR")
    finally:
        await nc.close()


@asynccontextmanager
async def fresh_reporting(start_service, service_databases, nats_url: str, token):
    """A reporting service on an emptied database and stream, its start replay finished."""
    await emptied(service_databases["reporting"], nats_url)
    async with AsyncExitStack() as stack:
        reporting = await start_service(stack, "reporting")
        await replayed(reporting, token, started_by="startup")
        yield reporting
