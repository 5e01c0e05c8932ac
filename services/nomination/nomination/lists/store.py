"""Tables and queries of list imports: the list record, and the set-at-a-time reads and writes
that let one import of thousands of rows cost a handful of statements."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base
from ..subjects.service import IDENTITY
from ..subjects.store import Subject, SubjectAward

# Names per IN (...) list: far below SQLite's and asyncpg's 32 k parameter limits.
IN_LIST_MAX = IN_CHUNK = 2000
# Rows per executemany: bounds the memory of one statement's parameters.
INSERT_CHUNK = 5000


class NominationList(Base):
    """One imported file: who sent it, its fingerprint, and which row became which
    nomination (`rows[i]` → `nomination_ids[i]`). A list is imported whole or not at all."""

    __tablename__ = "nomination_list"
    __table_args__ = (Index("ix_nomination_list_unit_created", "unit_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # imported
    rows: Mapped[list] = mapped_column(JSON)  # spreadsheet row numbers
    nomination_ids: Mapped[list] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


SUMMARY = (NominationList.id, NominationList.unit_id, NominationList.filename,
           NominationList.sha256, NominationList.row_count, NominationList.status,
           NominationList.created_by, NominationList.created_at)


def _chunks(items: list, size: int) -> Iterable[list]:
    return (items[i:i + size] for i in range(0, len(items), size))


async def subjects_named(session: AsyncSession, *, unit_id: str,
                         names_folded: set[str]) -> dict[tuple, str]:
    """The unit's known subjects among these folded names, by identity (kind, folded name,
    birth year) → id, in one query: by name for a short list, else the unit's whole register
    (cheaper than an IN list of thousands of names)."""
    query = select(Subject.id, Subject.kind, Subject.name_folded, Subject.birth_year).where(
        Subject.unit_id == unit_id).order_by(Subject.created_at.desc())
    if len(names_folded) <= IN_LIST_MAX:
        query = query.where(Subject.name_folded.in_(sorted(names_folded)))
    found: dict[tuple, str] = {}
    for sid, kind, folded, birth_year in await session.execute(query):
        if folded in names_folded:
            found[(kind, folded, birth_year)] = sid  # the oldest of namesakes wins
    return found


async def awards_held(session: AsyncSession, subject_ids: Iterable[str]) -> dict[str, list]:
    """Subject id → its commendations in force, as the `submitted` event's history."""
    held: dict[str, list] = defaultdict(list)
    query = (SubjectAward.subject_id, SubjectAward.year, SubjectAward.award,
             SubjectAward.decision_number)
    for ids in _chunks(sorted(set(subject_ids)), IN_CHUNK):
        result = await session.execute(
            select(*query).where(SubjectAward.subject_id.in_(ids), ~SubjectAward.revoked)
            .order_by(SubjectAward.year, SubjectAward.decided_on))
        for sid, year, award, number in result:
            held[sid].append({"year": year, "award": award, "decision_number": number})
    return held


async def resolve_subjects(session: AsyncSession, *, unit_id: str, rows: list,
                           at: datetime) -> tuple[dict[tuple, str], list[dict], dict[str, list]]:
    """Identity → subject id for every row (the unit's known subjects, as resolve_subject
    finds them, else new ones, one per identity), the new subjects' rows, and the
    commendations the known ones hold."""
    known = await subjects_named(session, unit_id=unit_id, names_folded={r.folded for r in rows})
    ids: dict[tuple, str] = {}
    new: list[dict] = []
    for row in rows:
        if row.identity in ids:
            continue
        found = known.get(row.identity)
        if found is None:
            found = str(uuid.uuid4())
            new.append({"id": found, "unit_id": unit_id, "kind": row.identity[0],
                        "name": row.nominee["name"], "name_folded": row.folded,
                        "birth_year": row.identity[2], "created_at": at,
                        "details": {k: row.nominee.get(k) for k in IDENTITY}})
        ids[row.identity] = found
    history = await awards_held(session, known.values()) if known else {}
    return ids, new, history


async def insert_many(session: AsyncSession, table: Table, rows: list[dict]) -> None:
    """All `rows` (dicts with the same keys; None is SQL NULL) in the session's transaction:
    COPY on PostgreSQL, one prepared INSERT run by the driver's executemany elsewhere. The
    columns' own type converters run once per distinct value: SQLAlchemy's per-row parameter
    handling would cost more than the database."""
    if not rows:
        return
    conn = await session.connection()
    dialect = conn.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(rows[0]))
    if compiled.positiontup is None:  # a driver with named parameters: the plain way
        for chunk in _chunks(rows, INSERT_CHUNK):
            await session.execute(insert(table), chunk)
        return
    columns = []
    for key in compiled.positiontup:
        values = [row[key] for row in rows]
        process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            done: dict[int, object] = {}  # id → converted; every value stays alive meanwhile
            values = [None if v is None else done[id(v)] if id(v) in done
                      else done.setdefault(id(v), process(v)) for v in values]
        columns.append(values)
    records = list(zip(*columns, strict=True))
    if dialect.driver == "asyncpg":  # PostgreSQL: COPY, in the session's transaction
        raw = (await conn.get_raw_connection()).driver_connection
        await raw.copy_records_to_table(
            table.name, records=records, columns=[table.c[k].name for k in compiled.positiontup])
        return
    for chunk in _chunks(records, INSERT_CHUNK):
        await conn.exec_driver_sql(compiled.string, chunk)


async def get(session: AsyncSession, list_id: str) -> NominationList | None:
    return await session.get(NominationList, list_id)


async def search(session: AsyncSession, *, unit_id: str | None, limit: int,
                 offset: int) -> list:
    """Newest first, without the per-row columns."""
    query = select(*SUMMARY).order_by(NominationList.created_at.desc(), NominationList.id)
    if unit_id is not None:
        query = query.where(NominationList.unit_id == unit_id)
    return list((await session.execute(query.limit(limit).offset(offset))).all())
