"""Test fixtures shared by every test suite: a real nats-server per test, real databases
(PostgreSQL when TEST_DATABASE_URL is set, else SQLite), running services, tokens, polling.

Enable with `pytest_plugins = ["exemplar.testing"]` in the root conftest.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from . import services
from .cli import account_token
from .embedded import nats_config, nats_server_binary
from .migrations import upgrade


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def eventually(check: Callable[[], Awaitable[Any]], *, timeout: float = 15.0,
                     interval: float = 0.05, what: str = "condition") -> Any:
    """Poll `check` until it returns a truthy value (returned) or raise after `timeout`."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"{what} not reached within {timeout} s (last value: {last!r})")


class NatsServer:
    """A nats-server with JetStream on a free port; can be stopped and started again with
    its data (same port, same store), as a broker restart would."""

    def __init__(self, root: Path) -> None:
        self.root, self.port = root, free_port()
        self.url = f"nats://127.0.0.1:{self.port}"
        self._proc: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> None:
        store = self.root / "store"
        store.mkdir(parents=True, exist_ok=True)
        conf = self.root / "nats.conf"
        conf.write_text(nats_config(store, self.port))
        log = (self.root / "nats.log").open("ab")
        self._proc = subprocess.Popen([nats_server_binary(), "-c", str(conf)], stdout=log,
                                      stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            if self._proc.poll() is not None:
                raise RuntimeError(f"nats-server exited: {(self.root / 'nats.log').read_text()}")
            time.sleep(0.02)
        raise TimeoutError("nats-server did not open its port")

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None


@pytest.fixture
def nats_server(tmp_path: Path):
    server = NatsServer(tmp_path / "nats")
    server.start()
    yield server
    server.stop()


# -- databases ---------------------------------------------------------------------------------

def _pg_admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return url or None


async def pg_execute(admin_url: str, *statements: str) -> None:
    import asyncpg

    url = make_url(admin_url).set(drivername="postgresql")
    conn = await asyncpg.connect(url.render_as_string(False))
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def _postgres_databases():
    """One fresh database per service for this run, migrated once, dropped afterwards."""
    admin = _pg_admin_url()
    if admin is None:
        yield None
        return
    run = uuid.uuid4().hex[:8]
    urls = {}
    for name, spec in services.installed().items():
        db = f"exemplar_test_{run}_{name}"
        asyncio.run(pg_execute(admin, f'CREATE DATABASE "{db}"'))
        urls[name] = make_url(admin).set(database=db).render_as_string(False)
        upgrade(spec.migrations, urls[name])
    yield urls
    for url in urls.values():
        db = make_url(url).database
        asyncio.run(pg_execute(admin, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))


async def pg_tables(url: str) -> list[str]:
    """The tables of a PostgreSQL database's public schema."""
    import asyncpg

    conn = await asyncpg.connect(make_url(url).set(drivername="postgresql")
                                 .render_as_string(False))
    try:
        return [r["tablename"] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    finally:
        await conn.close()


async def _truncate(url: str) -> None:
    tables = [t for t in await pg_tables(url) if t != "alembic_version"]
    if tables:
        await pg_execute(url, "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")


@pytest.fixture
async def service_databases(tmp_path: Path, _postgres_databases) -> dict[str, str]:
    """Service name → URL of an empty, migrated database of its own."""
    if _postgres_databases is not None:
        for url in _postgres_databases.values():
            await _truncate(url)
        return dict(_postgres_databases)
    urls = {}
    for name, spec in services.installed().items():
        urls[name] = f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}"
        await asyncio.to_thread(upgrade, spec.migrations, urls[name])
    return urls


# -- running services in-process ---------------------------------------------------------------

@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "keys"


@pytest.fixture
def token(key_dir: Path) -> Callable[[str], str]:
    """token(account) → a bearer token for an account of the default profile."""
    return lambda account: account_token(account, key_dir=key_dir)


def auth(bearer: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {bearer}"}


class RunningService:
    def __init__(self, name: str, app, client: httpx.AsyncClient) -> None:
        self.name, self.app, self.client = name, app, client

    @property
    def runtime(self):
        return self.app.state.runtime


@asynccontextmanager
async def run_service(name: str, *, database_url: str, nats_url: str, key_dir: Path,
                      var_dir: Path, bus=None, span_exporter=None,
                      **overrides: Any) -> AsyncIterator[RunningService]:
    """Start one service's app with its lifespan (relay, consumers) and an HTTP client."""
    from .auth import ensure_keys

    spec = services.get(name)
    module, factory = spec.app.split(":")
    create_app = getattr(importlib.import_module(module), factory)
    settings_cls = importlib.import_module(f"{spec.name}.config").Settings
    _, public = ensure_keys(key_dir)
    settings = settings_cls(database_url=database_url, nats_url=nats_url, var_dir=var_dir,
                            auth_public_key_file=public, log_json=False, **overrides)
    app = create_app(settings, bus, span_exporter=span_exporter)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{name}") as client:
            await app.state.runtime.bus.start(wait=10)
            yield RunningService(name, app, client)


def nats_available() -> bool:
    try:
        nats_server_binary()
        return True
    except FileNotFoundError:
        return False


def docker_available() -> bool:
    """Whether a Docker daemon answers (tests marked `docker` skip otherwise)."""
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True,
                              timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def pytest_collection_modifyitems(config, items) -> None:
    if any("docker" in item.keywords for item in items) and not docker_available():
        skip = pytest.mark.skip(reason="no Docker daemon answers")
        for item in items:
            if "docker" in item.keywords:
                item.add_marker(skip)
