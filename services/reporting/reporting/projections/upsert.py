"""INSERT … ON CONFLICT on PostgreSQL and SQLite alike: what makes a projection idempotent."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def _insert(session: AsyncSession, model):
    dialect = session.bind.dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


async def insert_missing(session: AsyncSession, model, values: dict[str, Any]) -> bool:
    """Add the row unless one with its key is there already; True if it was added."""
    result = await session.execute(
        _insert(session, model).values(**values).on_conflict_do_nothing())
    return result.rowcount == 1


async def add_counts(session: AsyncSession, model, rows: list[dict[str, Any]], *,
                     keys: list[str], column: str = "count") -> None:
    """Add each row's `column` to the row with its keys, creating it at that value."""
    if not rows:
        return
    statement = _insert(session, model)
    statement = statement.on_conflict_do_update(
        index_elements=keys,
        set_={column: getattr(model, column) + getattr(statement.excluded, column)})
    await session.execute(statement, rows)
