"""Bulk list import benchmark (DESIGN §8: ≥ 10 k rows/s, goal ≥ 50 k rows/s): one CSV or XLSX
of N nominees POSTed to /nomination-lists and timed end to end, then the same work again
called in-process, phase by phase (read the file, check the rows, write and commit).

    python benchmarks/list_import.py [--rows N] [--database sqlite|postgres] [--format csv|xlsx]

A real nats-server and the nomination service run in this process (`exemplar.testing`), on a
fresh migrated database: a SQLite file in a temporary folder, or a new PostgreSQL database
(TEST_DATABASE_URL, else postgres@127.0.0.1/test) dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from exemplar import services
from exemplar.cli import account_token
from exemplar.migrations import upgrade
from exemplar.testing import NatsServer, auth, eventually, pg_execute, run_service

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
HEADERS = ["STT", "Loại đối tượng", "Họ và tên / Tên tập thể", "Giới tính", "Năm sinh",
           "Dân tộc", "Chức vụ", "Đơn vị công tác", "Số thành viên", "Tỷ lệ nữ", "Lĩnh vực",
           "Danh hiệu/Hình thức", "Thành tích"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Điểu", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ"]
GIVEN = ["Văn Hùng", "Thị Hoa", "Minh Tuấn", "Thị Ngọc Lan", "Văn Bình", "Thị Mai", "Quốc Bảo"]


def rows(n: int) -> list[list]:
    """Nine individuals (Lao động tiên tiến) to one collective (Tập thể lao động tiên tiến)."""
    out = []
    for i in range(n):
        name = f"{FAMILY[i % 10]} {GIVEN[i % 7]} {i}"
        if i % 10 == 9:
            out.append([i + 1, "tập thể", f"Tổ sản xuất số {i}", "", "", "", "", "", 12, "40%",
                        "nong_nghiep", "tap_the_lao_dong_tien_tien",
                        "Hoàn thành xuất sắc kế hoạch sản xuất năm."])
        else:
            out.append([i + 1, "cá nhân", name, "Nữ" if i % 2 else "Nam", 1960 + i % 40, "Kinh",
                        "Công nhân", "Ấp 3, xã Đắk Ơ", "", "", "kinh_te", "lao_dong_tien_tien",
                        "Hoàn thành tốt nhiệm vụ, vượt 15 % chỉ tiêu sản lượng mủ cao su."])
    return out


def build_file(n: int, fmt: str) -> tuple[str, bytes]:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(rows(n))
        return "danh-sach.csv", out.getvalue().encode("utf-8-sig")
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for row in rows(n):
        sheet.append([None if v == "" else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return "danh-sach.xlsx", out.getvalue()


async def scalar(svc, sql: str):
    async with svc.runtime.db.engine.connect() as conn:
        return (await conn.execute(text(sql))).scalar_one()


async def over_http(svc, bearer: str, filename: str, content: bytes, n: int) -> dict:
    started = time.perf_counter()
    response = await svc.client.post(
        "/nomination-lists", headers=auth(bearer), timeout=600,
        files={"file": (filename, content)}, data={"year": "2024"})
    seconds = time.perf_counter() - started
    if response.status_code != 201 or response.json()["row_count"] != n:
        raise RuntimeError(f"import failed: {response.status_code} {response.text[:2000]}")
    list_id = response.json()["id"]
    stored = await scalar(svc, f"SELECT count(*) FROM nomination WHERE list_id = '{list_id}'")
    events = await scalar(svc, "SELECT count(*) FROM outbox")
    if (stored, events) != (n, n):
        raise RuntimeError(f"expected {n} nominations and events, got {stored} and {events}")
    relay_start = time.perf_counter()
    await all_published(svc, n)
    return {"http_s": seconds, "relay_s": time.perf_counter() - relay_start}


async def all_published(svc, n: int) -> None:
    async def published() -> bool:
        return await scalar(svc, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0

    await eventually(published, timeout=60 + n / 100, interval=0.05,
                     what="every event published")


async def in_process(svc, account: str, content: bytes) -> dict:
    """The import's phases, timed one by one (the same functions the endpoint calls)."""
    from exemplar.auth import Principal
    from nomination.lists import parse, service

    runtime = svc.runtime
    acct = runtime.profile.account(account)
    user = Principal(sub=acct.id, name=acct.name, unit=acct.unit, roles=frozenset(acct.roles))
    defaults = service.Defaults(year=2024)
    t0 = time.perf_counter()
    table = parse.read_table(content, max_rows=runtime.profile.thresholds.import_max_rows)
    t1 = time.perf_counter()
    valid = service.check_rows(table, profile=runtime.profile, unit_id=user.unit,
                               defaults=defaults)
    t2 = time.perf_counter()
    async with runtime.uow() as uow:
        await service.write_list(uow, profile=runtime.profile, user=user, rows=valid,
                                 filename="phases.csv", digest="0" * 64, movement_id=None)
        t3 = time.perf_counter()
        await uow.commit()
    t4 = time.perf_counter()
    await all_published(svc, len(valid))  # stopping the service mid-publish is not measured
    return {"read": t1 - t0, "check": t2 - t1, "build+insert": t3 - t2, "outbox+commit": t4 - t3}


def report(args, http: dict, phases: dict, size: int) -> None:
    n = args.rows
    print(f"\nlist import benchmark: N={n} rows, {args.format} ({size / 1e6:.1f} MB), "
          f"database={args.database}")
    print(f"  {'':<40}{'seconds':>10}{'rows/s':>12}    must      goal")
    rate = n / http["http_s"]
    verdict = "goal met" if rate >= 50_000 else "must met" if rate >= 10_000 else "BELOW TARGET"
    print(f"  {'POST /nomination-lists, end to end':<40}{http['http_s']:>10.2f}{rate:>12,.0f}"
          f"  ≥ 10 000  ≥ 50 000   ({verdict})")
    for name, seconds in phases.items():
        print(f"    {name:<38}{seconds:>10.2f}{n / seconds:>12,.0f}")
    print(f"    {'all phases (in-process)':<38}{sum(phases.values()):>10.2f}"
          f"{n / sum(phases.values()):>12,.0f}")
    print(f"  {'relay: every event published after':<40}{http['relay_s']:>10.2f}"
          f"{n / http['relay_s']:>12,.0f}")
    print("""
End to end is the in-process ASGI call (no sockets): upload, read, check every row, one
transaction with the list, subjects, nominations and outbox rows, commit, 201. The phases come
from a second import of the same file by another unit, calling the same functions directly.
The relay publishing the events to JetStream afterwards is not part of the import's time.""")


async def main(args) -> None:
    admin = (os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
             if args.database == "postgres" else None)
    filename, content = build_file(args.rows, args.format)
    with tempfile.TemporaryDirectory(prefix="exemplar-bench-") as tmp_name:
        tmp = Path(tmp_name)
        nats, url = NatsServer(tmp / "nats"), None
        try:
            nats.start()
            if admin:
                url = make_url(admin).set(database=f"exemplar_bench_{uuid.uuid4().hex[:8]}")
                url = url.render_as_string(False)
                await pg_execute(admin, f'CREATE DATABASE "{make_url(url).database}"')
            else:
                url = f"sqlite+aiosqlite:///{tmp / 'nomination.db'}"
            await asyncio.to_thread(upgrade, services.get("nomination").migrations, url)
            async with run_service("nomination", database_url=url, nats_url=nats.url,
                                   key_dir=tmp / "keys", var_dir=tmp / "nomination",
                                   log_level="WARNING") as svc:
                bearer = account_token("dak-o.head", key_dir=tmp / "keys")
                http = await over_http(svc, bearer, filename, content, args.rows)
                phases = await in_process(svc, "phu-nghia.head", content)
            report(args, http, phases, len(content))
        finally:
            nats.stop()
            if admin and url:
                await pg_execute(admin, f'DROP DATABASE IF EXISTS "{make_url(url).database}" '
                                        "WITH (FORCE)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    asyncio.run(main(parser.parse_args()))
