"""Appending to the hash chain and verifying it.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own canonical JSON
(who, when, what), so changing, removing or reordering any entry breaks every link after it.
An append takes a transaction-scoped lock on PostgreSQL, so concurrent use cases line up
instead of racing for the same position; the sequence key refuses a fork either way."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text

from exemplar.concurrency import flush
from exemplar.uow import UnitOfWork, now

from .store import AuditEntry

GENESIS = "0" * 64
_LOCK = text("SELECT pg_advisory_xact_lock(7385001)")  # the chain's lock id, any fixed number
BATCH = 1000


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def entry_hash(prev_hash: str, *, seq: int, at: datetime, actor: str, action: str,
               entity: str, entity_id: str, data: dict) -> str:
    body = canonical({"seq": seq, "at": at.astimezone(UTC).isoformat(), "actor": actor,
                      "action": action, "entity": entity, "entity_id": entity_id,
                      "data": data})
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


async def record(uow: UnitOfWork, *, actor: str, action: str, entity: str, entity_id: str,
                 data: dict | None = None) -> AuditEntry:
    """Append one state change, in the use case's own transaction."""
    session = uow.session
    # The use case's own row changes go first: every writer then takes its row locks before
    # the chain's lock, never the other way round, so two writers cannot deadlock.
    await flush(uow)
    if session.bind.dialect.name == "postgresql":
        await session.execute(_LOCK)
    last = await session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    # What is stored is what is hashed: dates and the like become their JSON text first.
    stored = json.loads(canonical(data or {}))
    at = now()
    entry = AuditEntry(seq=seq, at=at, actor=actor, action=action, entity=entity,
                       entity_id=entity_id, data=stored, prev_hash=prev,
                       hash=entry_hash(prev, seq=seq, at=at, actor=actor, action=action,
                                       entity=entity, entity_id=entity_id, data=stored))
    session.add(entry)
    await session.flush([entry])
    return entry


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    first_broken: int | None = None
    reason: str | None = None
    head_seq: int | None = None  # the last entry and its hash: noted elsewhere (a report,
    head_hash: str | None = None  # a letter), they let a later check see a cut or rewrite


REWRITTEN = ("Mục đã ghi nhận trước đây không còn như cũ: nhật ký đã bị cắt bớt hoặc viết "
             "lại từ mục này.")


async def verify(uow: UnitOfWork, *, anchor: tuple[int, str] | None = None) -> Verification:
    """Walk the chain in order, in batches; name the first entry whose link or content fails.

    A chain alone cannot show that its newest entries were cut off, or all re-hashed from
    some entry on by someone with write access: `anchor` (a sequence number and the hash it
    had when someone noted it outside the database) catches both."""
    prev, expected_seq, checked = GENESIS, 1, 0
    anchored = anchor is None
    while True:
        rows = list(await uow.session.scalars(
            select(AuditEntry).where(AuditEntry.seq >= expected_seq)
            .order_by(AuditEntry.seq).limit(BATCH)))
        for row in rows:
            problem = _problem(row, prev, expected_seq)
            if problem:
                return Verification(False, checked, row.seq, problem)
            if anchor is not None and row.seq == anchor[0]:
                if row.hash != anchor[1]:
                    return Verification(False, checked, row.seq, REWRITTEN)
                anchored = True
            prev, expected_seq, checked = row.hash, row.seq + 1, checked + 1
        if len(rows) < BATCH:
            break
    if not anchored:
        return Verification(False, checked, anchor[0], REWRITTEN)
    total = await uow.session.scalar(select(func.count()).select_from(AuditEntry))
    if total != checked:  # a row below the first one seen (seq < 1) or similar
        return Verification(False, checked, None, "Nhật ký có mục ngoài chuỗi.")
    return Verification(True, checked, head_seq=expected_seq - 1 if checked else None,
                        head_hash=prev if checked else None)


def _problem(row: AuditEntry, prev: str, expected_seq: int) -> str | None:
    if row.seq != expected_seq:
        return f"Thiếu mục số {expected_seq}: chuỗi bị cắt."
    if row.prev_hash != prev:
        return "Liên kết với mục trước không khớp: một mục trước đó đã bị thay đổi hoặc xóa."
    recomputed = entry_hash(prev, seq=row.seq, at=row.at, actor=row.actor, action=row.action,
                            entity=row.entity, entity_id=row.entity_id, data=row.data)
    if recomputed != row.hash:
        return "Nội dung của mục đã bị sửa sau khi ghi."
    return None
