"""Tables and queries of list imports: the list record, and the set-at-a-time reads and writes
that let one import of thousands of rows cost a handful of statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base
from ..subjects.store import Subject, SubjectAward

# Names per IN (...) list: far below SQLite's and asyncpg's 32 k parameter limits.
IN_CHUNK = 5000
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
    """The unit's known subjects among these folded names, by identity
    (kind, folded name, birth year) → id: one query per IN_CHUNK names."""
    found: dict[tuple, str] = {}
    columns = (Subject.id, Subject.kind, Subject.name_folded, Subject.birth_year)
    for names in _chunks(sorted(names_folded), IN_CHUNK):
        result = await session.execute(
            select(*columns).where(Subject.unit_id == unit_id, Subject.name_folded.in_(names))
            .order_by(Subject.created_at.desc()))
        for sid, kind, folded, birth_year in result:
            found[(kind, folded, birth_year)] = sid  # the oldest wins, as a find(limit 1)…
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


async def insert_many(session: AsyncSession, table: Table, rows: list[dict]) -> None:
    """executemany in chunks: one prepared INSERT, never one ORM object per row."""
    for chunk in _chunks(rows, INSERT_CHUNK):
        await session.execute(insert(table), chunk)


async def get(session: AsyncSession, list_id: str) -> NominationList | None:
    return await session.get(NominationList, list_id)


async def search(session: AsyncSession, *, unit_id: str | None, limit: int,
                 offset: int) -> list:
    """Newest first, without the per-row columns."""
    query = select(*SUMMARY).order_by(NominationList.created_at.desc(), NominationList.id)
    if unit_id is not None:
        query = query.where(NominationList.unit_id == unit_id)
    return list((await session.execute(query.limit(limit).offset(offset))).all())
