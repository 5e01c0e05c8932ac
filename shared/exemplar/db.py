"""Async SQLAlchemy engine and session: SQLite (WAL) by default, PostgreSQL by DATABASE_URL.

Each service declares its own tables on its own metadata; `Database` adds the two platform
tables (outbox and processed_message) to that metadata so one migration creates them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    event,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.types import TypeDecorator


def async_url(url: str) -> str:
    """Accept plain `postgresql://` and `sqlite://` URLs and pick the async drivers."""
    parsed = make_url(url)
    driver = {"postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg",
              "sqlite": "sqlite+aiosqlite"}.get(parsed.drivername)
    return parsed.set(drivername=driver).render_as_string(False) if driver else url


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def create_engine(url: str) -> AsyncEngine:
    url = async_url(url)
    if is_postgres(url):
        return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)
    engine = create_async_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record):  # WAL: readers never block the writer
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


class UtcDateTime(TypeDecorator):
    """A timestamp stored in UTC and read back timezone-aware, on SQLite as on PostgreSQL
    (SQLite keeps no zone, so a plain DateTime would come back naive there)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def platform_tables(metadata: MetaData) -> tuple[Table, Table]:
    """The outbox and inbox tables, declared on a service's own metadata."""
    outbox = metadata.tables.get("outbox")
    if outbox is None:
        outbox = Table(
            "outbox", metadata,
            Column("id", String(36), primary_key=True),  # the event id = Nats-Msg-Id
            Column("subject", String(200), nullable=False),
            Column("payload", Text, nullable=False),
            Column("headers", Text, nullable=False),  # JSON: trace context taken at staging
            Column("created_at", UtcDateTime, nullable=False, index=True),
            Column("published_at", UtcDateTime, nullable=True, index=True),
            Column("attempts", Integer, nullable=False, server_default=text("0")),
            Column("next_attempt_at", UtcDateTime, nullable=False),
            Column("last_error", Text, nullable=True),
        )
    inbox = metadata.tables.get("processed_message")
    if inbox is None:
        inbox = Table(
            "processed_message", metadata,
            Column("consumer", String(200), nullable=False),
            Column("event_id", String(36), nullable=False),
            Column("subject", String(200), nullable=False),
            Column("processed_at", UtcDateTime, nullable=False),
            PrimaryKeyConstraint("consumer", "event_id"),
        )
    return outbox, inbox


@dataclass
class Database:
    """One service's database: engine, sessions and the platform tables."""

    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker
    outbox: Table
    inbox: Table

    @classmethod
    def open(cls, url: str, metadata: MetaData) -> Database:
        engine = create_engine(url)
        outbox, inbox = platform_tables(metadata)
        return cls(url=async_url(url), engine=engine,
                   sessions=async_sessionmaker(engine, expire_on_commit=False),
                   outbox=outbox, inbox=inbox)

    @property
    def is_postgres(self) -> bool:
        return is_postgres(self.url)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self.engine.dispose()


# Constraint names that are the same on SQLite and PostgreSQL, so migrations can name them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s", "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}


def service_metadata() -> MetaData:
    """A fresh metadata for one service's tables (each service owns its own)."""
    return MetaData(naming_convention=NAMING_CONVENTION)
