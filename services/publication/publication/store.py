"""Tables and queries of the publication service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from exemplar.db import UtcDateTime, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class PendingExemplar(Base):
    """A submitted nomination publication waits on: nothing is public before a decision."""

    __tablename__ = "pending_exemplar"

    nomination_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[str] = mapped_column(String(100), index=True)
    unit_name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer, index=True)
    nominee_name: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SettledNomination(Base):
    """A nomination decided or withdrawn: its pending row is gone, and a `submitted` of the
    same or an older revision arriving late (it travels on its own consumer) brings nothing
    back. A returned nomination submitted again has a newer revision and is pending again."""

    __tablename__ = "settled_nomination"

    nomination_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    settled_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def list_pending(session: AsyncSession, *, year: int | None, limit: int,
                       offset: int) -> list[PendingExemplar]:
    # A `submitted` consumed while its decision was being consumed may leave its row behind;
    # the settled nomination still hides it.
    settled = select(SettledNomination.nomination_id).where(
        SettledNomination.nomination_id == PendingExemplar.nomination_id,
        SettledNomination.revision >= PendingExemplar.revision)
    query = (select(PendingExemplar).where(~settled.exists())
             .order_by(PendingExemplar.received_at.desc(), PendingExemplar.nomination_id))
    if year is not None:
        query = query.where(PendingExemplar.year == year)
    return list((await session.scalars(query.limit(limit).offset(offset))).all())
