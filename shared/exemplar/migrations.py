"""The body of every service's alembic env.py: async engine, SQLite batch mode, offline SQL."""

from __future__ import annotations

import asyncio

from alembic import context as alembic
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from .db import UtcDateTime, async_url, platform_tables


def _render_item(type_: str, obj, _autogen_context):
    """Migrations name plain SQLAlchemy types, so they stay valid if our types change."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run(metadata: MetaData) -> None:
    """Call from env.py with the service's metadata (platform tables are added here)."""
    platform_tables(metadata)
    url = async_url(alembic.config.get_main_option("sqlalchemy.url"))
    if alembic.is_offline_mode():
        alembic.configure(url=url, target_metadata=metadata, literal_binds=True,
                          render_as_batch=url.startswith("sqlite"), render_item=_render_item)
        with alembic.begin_transaction():
            alembic.run_migrations()
        return
    asyncio.run(_online(url, metadata))


async def _online(url: str, metadata: MetaData) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as conn:
        await conn.run_sync(_migrate, metadata, url.startswith("sqlite"))
    await engine.dispose()


def _migrate(conn: Connection, metadata: MetaData, batch: bool) -> None:
    alembic.configure(connection=conn, target_metadata=metadata, render_as_batch=batch,
                      render_item=_render_item)
    with alembic.begin_transaction():
        alembic.run_migrations()


def upgrade(script_location: str, url: str, revision: str = "head") -> None:
    """Run a service's migrations against `url` (what `exemplar migrate` does)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", script_location)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, revision)
