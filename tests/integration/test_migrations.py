"""`exemplar migrate` builds each service's schema from its own alembic migrations."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, inspect

from exemplar import services

TABLES = {"nomination": "nomination", "review": "review_case",
          "publication": "pending_exemplar", "reporting": "nomination_fact"}


def test_migrate_creates_every_services_tables(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")}
    urls = {name: f"sqlite:///{tmp_path / name}.db" for name in services.installed()}
    env.update({f"{name.upper()}_DATABASE_URL": url for name, url in urls.items()})
    result = subprocess.run([sys.executable, "-m", "exemplar.cli", "migrate"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [w for n in urls for w in (f"{n}:", "migrated")]
    for name, url in urls.items():
        tables = set(inspect(create_engine(url)).get_table_names())
        assert {TABLES[name], "outbox", "processed_message", "alembic_version"} <= tables


@pytest.mark.parametrize("name", list(services.installed()))
def test_migrations_match_the_tables_the_code_declares(name, tmp_path):
    """A table or column added in code without its migration fails here, not in production."""
    from alembic import command
    from alembic.config import Config

    from exemplar.migrations import upgrade

    url = f"sqlite+aiosqlite:///{tmp_path / name}.db"
    upgrade(services.get(name).migrations, url)
    config = Config()
    config.set_main_option("script_location", services.get(name).migrations)
    config.set_main_option("sqlalchemy.url", url)
    command.check(config)  # raises when autogenerate would add, drop or alter anything


@pytest.mark.docker
def test_migrations_run_on_postgres_in_a_container():
    import asyncio

    from testcontainers.postgres import PostgresContainer

    from exemplar.migrations import upgrade
    from exemplar.testing import pg_execute, pg_tables

    with PostgresContainer("postgres:16-alpine", driver=None) as pg:
        admin = pg.get_connection_url()
        for name, spec in services.installed().items():
            asyncio.run(pg_execute(admin, f'CREATE DATABASE "{name}"'))
            url = admin.rsplit("/", 1)[0] + f"/{name}"
            upgrade(spec.migrations, url)
            assert TABLES[name] in asyncio.run(pg_tables(url))


def test_review_upgrade_keeps_each_nominations_latest_case(tmp_path):
    """Before 0002 a case was one per revision; after it, one per nomination, the latest."""
    from sqlalchemy import text

    from exemplar.migrations import upgrade

    location = services.get("review").migrations
    url = f"sqlite:///{tmp_path / 'review.db'}"
    upgrade(location, url.replace("sqlite://", "sqlite+aiosqlite://"), revision="0001")
    engine = create_engine(url)
    with engine.begin() as conn:
        for case_id, revision in (("c1", 1), ("c2", 2)):
            conn.execute(text(
                "INSERT INTO review_case (id, nomination_id, revision, unit_id, unit_name, year,"
                " nominee_name, field, proposed_award, status, opened_at) VALUES (:id, 'n1',"
                " :rev, 'xa-dak-o', 'UBND xã Đắk Ơ', 2024, 'Nguyễn Thị Hoa', 'kinh_te',"
                " 'lao_dong_tien_tien', 'open', '2024-05-01 00:00:00')"),
                {"id": case_id, "rev": revision})
    upgrade(location, url.replace("sqlite://", "sqlite+aiosqlite://"))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, revision, status, version, submitted_at IS NOT NULL"
                                 " FROM review_case"))
        assert rows.all() == [("c2", 2, "open", 1, 1)]
    engine.dispose()
