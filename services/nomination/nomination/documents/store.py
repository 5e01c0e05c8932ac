"""The document library table and its queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    String,
    or_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base
from ..nominations.store import Nomination


class Document(Base):
    """A dossier document (tờ trình, báo cáo thành tích, biên bản họp xét…): generated from
    a nomination or uploaded; without a nomination it belongs to the unit's library."""

    __tablename__ = "document"
    __table_args__ = (
        Index("ix_document_nomination_kind", "nomination_id", "kind"),
        # One generated document of a kind per nomination, even under concurrent requests.
        Index("uq_document_generated_kind", "nomination_id", "kind", unique=True,
              sqlite_where=text("generated"), postgresql_where=text("generated")),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nomination_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("nomination.id"))
    unit_id: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(50))  # a document id of the profile
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storage_path: Mapped[str] = mapped_column(String(300))  # relative to the storage folder
    generated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def get(session: AsyncSession, document_id: str) -> Document | None:
    return await session.get(Document, document_id)


async def kinds(session: AsyncSession, nomination_id: str) -> list[str]:
    rows = await session.scalars(select(Document.kind).distinct()
                                 .where(Document.nomination_id == nomination_id)
                                 .order_by(Document.kind))
    return list(rows.all())


async def drop_generated(session: AsyncSession, nomination_id: str,
                         kind: str) -> list[Document]:
    """Delete the generated documents of a kind (flushed now: the replacement follows)."""
    rows = list((await session.scalars(select(Document).where(
        Document.nomination_id == nomination_id, Document.kind == kind,
        Document.generated.is_(True)))).all())
    for row in rows:
        await session.delete(row)
    await session.flush()
    return rows


async def visible(session: AsyncSession, *, unit_id: str, wide: bool,
                  nomination_id: str | None, kind: str | None, limit: int,
                  offset: int) -> list[Document]:
    """The unit's own documents; for wide readers also those of other units' nominations
    that are no longer drafts."""
    query = select(Document).outerjoin(Nomination, Document.nomination_id == Nomination.id)
    own = Document.unit_id == unit_id
    query = query.where(or_(own, Nomination.revision > 0) if wide else own)
    if nomination_id is not None:
        query = query.where(Document.nomination_id == nomination_id)
    if kind is not None:
        query = query.where(Document.kind == kind)
    rows = await session.scalars(query.order_by(Document.created_at.desc(), Document.id)
                                 .limit(limit).offset(offset))
    return list(rows.all())


async def path_in_use(session: AsyncSession, *, sha256: str, storage_path: str) -> bool:
    """Whether another row still points at a content-addressed file."""
    found = await session.execute(select(Document.id).where(
        Document.sha256 == sha256, Document.storage_path == storage_path).limit(1))
    return found.first() is not None
