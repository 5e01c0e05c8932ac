"""Submit → event hop benchmark (DESIGN §8): N nominations over HTTP, timed until review,
publication and reporting all hold them, with per-nomination hop latencies read back from the
services' own databases.

    python benchmarks/submit_hop.py [--count N] [--concurrency C] [--database sqlite|postgres]
                                    [--rate R]

Everything runs in this one process: a real nats-server (JetStream, fsync always), the four
services in-process with their own databases, HTTP through each app's in-process ASGI client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from exemplar import services
from exemplar.cli import account_token
from exemplar.db import UtcDateTime
from exemplar.migrations import upgrade
from exemplar.testing import NatsServer, auth, eventually, pg_execute, run_service

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
ACCOUNT, HEAD = "dak-o.officer", "dak-o.head"
NOMINATION = {
    "nominee": {"kind": "individual", "name": "Nguyễn Thị Hoa", "gender": "female",
                "birth_year": 1985, "ethnicity": "Kinh", "position": "Trưởng ấp",
                "workplace": "Ấp 3, xã Đắk Ơ"},
    "field": "kinh_te", "proposed_award": "lao_dong_tien_tien", "commendation_kind": "regular",
    "year": 2023, "achievement_summary": "Vận động 40 hộ chuyển đổi cây trồng, thu nhập tăng 25 %.",
}
# Per consumer: (table holding the nominations it has, SQL giving nomination/event → time).
CONSUMERS = {
    "review": ("review_case", "SELECT nomination_id AS k, opened_at AS t FROM review_case"),
    "publication": ("pending_exemplar",
                    "SELECT nomination_id AS k, received_at AS t FROM pending_exemplar"),
    # nomination_fact keeps the producer's time only: use the inbox row, keyed by event id.
    "reporting": ("nomination_fact", "SELECT event_id AS k, processed_at AS t "
                                     "FROM processed_message"),
}


async def create_databases(admin: str | None, tmp: Path, urls: dict[str, str]) -> None:
    """Fill `urls` (service → URL) with fresh, migrated databases: SQLite files under `tmp`,
    or new PostgreSQL databases on `admin` (filled as they are made, so all can be dropped)."""
    run = uuid.uuid4().hex[:8]
    for name, spec in services.installed().items():
        if admin:
            db = f"exemplar_bench_{run}_{name}"
            await pg_execute(admin, f'CREATE DATABASE "{db}"')
            urls[name] = make_url(admin).set(database=db).render_as_string(False)
        else:
            urls[name] = f"sqlite+aiosqlite:///{tmp / f'{name}.db'}"
        await asyncio.to_thread(upgrade, spec.migrations, urls[name])


async def drop_databases(admin: str | None, urls: dict[str, str]) -> None:
    for url in urls.values() if admin else ():
        await pg_execute(admin, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


async def query(svc, sql: str, **types) -> list:
    async with svc.runtime.db.engine.connect() as conn:
        return (await conn.execute(text(sql).columns(**types))).all()


async def submit_all(nomination, bearer: tuple[str, str], count: int, concurrency: int,
                     rate: float) -> list[float]:
    """Draft (officer) and submit (head) `count` nominations from `concurrency` submitters,
    each as soon as the previous one answered (or, with `rate`, at most `rate` per second in
    all); latencies in ms of the submit request, the one that commits and emits."""
    officer, head = bearer
    latencies: list[float] = []
    remaining, start = iter(range(count)), time.perf_counter()

    async def submitter() -> None:
        for i in remaining:
            if rate:
                await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
            draft = await nomination.client.post("/nominations", json=NOMINATION,
                                                 headers=auth(officer))
            if draft.status_code != 201:
                raise RuntimeError(f"draft failed: {draft.status_code} {draft.text}")
            started = time.perf_counter()
            response = await nomination.client.post(
                f"/nominations/{draft.json()['id']}/submit", headers=auth(head))
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"submit failed: {response.status_code} {response.text}")

    await asyncio.gather(*(submitter() for _ in range(concurrency)))
    return latencies


def pct(values: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[94], q[98]


async def measure(running: dict, bearer: tuple[str, str], args) -> dict:
    count = args.count
    t0, cpu0, wall0 = time.perf_counter(), time.process_time(), datetime.now(UTC)
    http = await submit_all(running["nomination"], bearer, count, args.concurrency, args.rate)
    submit_s = time.perf_counter() - t0

    async def counts() -> dict[str, int]:
        return {name: (await query(running[name], f"SELECT count(*) FROM {table}"))[0][0]
                for name, (table, _) in CONSUMERS.items()}

    async def all_there() -> bool:
        return all(n >= count for n in (await counts()).values())

    await eventually(all_there, timeout=60 + count * 0.2, interval=0.05,
                     what=f"all {count} nominations in review, publication and reporting")
    cpu_s, busy_s = time.process_time() - cpu0, time.perf_counter() - t0
    if any(n != count for n in (await counts()).values()):
        raise RuntimeError(f"expected exactly {count} everywhere, got {await counts()}")

    produced = await query(running["nomination"], "SELECT id, submitted_at FROM nomination",
                           submitted_at=UtcDateTime)
    submitted = dict(produced)
    outbox = await query(running["nomination"], "SELECT id, payload, created_at, published_at "
                         "FROM outbox", created_at=UtcDateTime, published_at=UtcDateTime)
    event_to_nomination = {row.id: json.loads(row.payload)["subject"] for row in outbox}
    hops, last = {}, wall0
    for name, (_, sql) in CONSUMERS.items():
        rows = await query(running[name], sql, t=UtcDateTime)
        at = {event_to_nomination.get(k, k): t for k, t in rows}
        hops[name] = [(at[n] - s).total_seconds() * 1000 for n, s in submitted.items()]
        last = max(last, *at.values())
    relay = [(r.published_at - r.created_at).total_seconds() * 1000 for r in outbox]
    return {"http": http, "submit_s": submit_s, "e2e_s": (last - wall0).total_seconds(),
            "hops": hops, "relay": relay,
            "cpu_ms": cpu_s * 1000 / count, "cpu_share": cpu_s / busy_s}


def report(args, m: dict) -> None:
    def row(what: str, value: str, must: str = "", goal: str = "") -> None:
        print(f"  {what:<44}{value:>24}  {must:>9}  {goal:>9}")

    def ms(values: list[float]) -> str:
        return " / ".join(f"{v:6.1f}" for v in pct(values))

    print(f"\nsubmit → hop benchmark: N={args.count}, concurrency={args.concurrency}, "
          f"database={args.database}, rate={args.rate or 'unpaced'}")
    row("", "measured", "must", "goal")
    row("submit throughput (nominations/s)", f"{args.count / m['submit_s']:.1f}")
    row("end-to-end throughput (nominations/s)", f"{args.count / m['e2e_s']:.1f}", "≥ 60", "≥ 150")
    row("HTTP submit p50/p95/p99 (ms)", ms(m["http"]), "p99 ≤ 50", "p99 ≤ 20")
    for name, values in m["hops"].items():
        row(f"hop nomination → {name} p50/p95/p99", ms(values),
            "p99 ≤ 25" if name == "review" else "", "p99 ≤ 10" if name == "review" else "")
    row("  of which outbox relay (staged → PubAck)", ms(m["relay"]))
    row("process CPU per nomination (ms)", f"{m['cpu_ms']:.1f}")
    row("process CPU / wall time until all in", f"{m['cpu_share']:.0%}")
    print("""
Notes: the HTTP figures are in-process ASGI calls (httpx.ASGITransport, no sockets): optimistic.
All four services, their relays and consumers and the submitters share one process and one
event loop on one CPU core, where §8 gives them a process each on two cores: pessimistic for
the hop and the throughputs. A hop is the consumer's stamp taken just before its commit
(review_case.opened_at, pending_exemplar.received_at, reporting's processed_message.processed_at)
minus nomination.submitted_at (stamped just before the producer's commit). End-to-end is the
first POST to the last of those stamps; §8's end-to-end also covers decision and publishing,
which do not exist yet. Unpaced, the submitters outrun the consumers, so the hop is mostly the
backlog's wait: use --rate to read the hop at a given load.""")


async def main(args) -> None:
    admin = (os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
             if args.database == "postgres" else None)
    with tempfile.TemporaryDirectory(prefix="exemplar-bench-") as tmp_name:
        tmp, urls = Path(tmp_name), {}
        nats = NatsServer(tmp / "nats")
        try:
            nats.start()
            await create_databases(admin, tmp, urls)
            async with AsyncExitStack() as stack:
                running = {name: await stack.enter_async_context(run_service(
                    name, database_url=url, nats_url=nats.url, key_dir=tmp / "keys",
                    var_dir=tmp / name, log_level="WARNING")) for name, url in urls.items()}
                bearer = (account_token(ACCOUNT, key_dir=tmp / "keys"),
                          account_token(HEAD, key_dir=tmp / "keys"))
                result = await measure(running, bearer, args)
            report(args, result)
        finally:
            nats.stop()
            await drop_databases(admin, urls)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="pace submissions to this many per second (default: unpaced)")
    asyncio.run(main(parser.parse_args()))
