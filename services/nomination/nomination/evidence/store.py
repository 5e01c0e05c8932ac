"""The evidence table and its queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base


class Evidence(Base):
    """A file behind a nomination's claims (a certificate, a photo, a report…), kept
    content-addressed under the storage folder."""

    __tablename__ = "evidence"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nomination_id: Mapped[str] = mapped_column(String(36), ForeignKey("nomination.id"),
                                               index=True)
    unit_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))  # pdf, png, jpeg, docx: from the content
    content_type: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded, made safe
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storage_path: Mapped[str] = mapped_column(String(300))  # relative to the storage folder
    note: Mapped[str | None] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def get(session: AsyncSession, evidence_id: str) -> Evidence | None:
    return await session.get(Evidence, evidence_id)


async def of_nomination(session: AsyncSession, nomination_id: str) -> list[Evidence]:
    rows = await session.scalars(select(Evidence)
                                 .where(Evidence.nomination_id == nomination_id)
                                 .order_by(Evidence.uploaded_at, Evidence.id))
    return list(rows.all())


async def count(session: AsyncSession, nomination_id: str) -> int:
    total = await session.execute(select(func.count()).select_from(Evidence)
                                  .where(Evidence.nomination_id == nomination_id))
    return total.scalar_one()


async def known_ids(session: AsyncSession, nomination_id: str, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    rows = await session.scalars(select(Evidence.id).where(
        Evidence.nomination_id == nomination_id, Evidence.id.in_(set(ids))))
    return set(rows.all())


async def filenames(session: AsyncSession, nomination_id: str) -> dict[str, str]:
    rows = await session.execute(select(Evidence.id, Evidence.filename)
                                 .where(Evidence.nomination_id == nomination_id))
    return {row.id: row.filename for row in rows}


async def path_in_use(session: AsyncSession, *, sha256: str, storage_path: str) -> bool:
    """Whether another row still points at a content-addressed file."""
    found = await session.execute(select(Evidence.id).where(
        Evidence.sha256 == sha256, Evidence.storage_path == storage_path).limit(1))
    return found.first() is not None
