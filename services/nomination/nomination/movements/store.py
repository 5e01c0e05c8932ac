"""Tables and queries of emulation movements and campaigns, and of the lower units'
registrations for them (đăng ký thi đua)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base


class Movement(Base):
    """Phong trào thi đua (regular, thematic) or cuộc vận động (campaign) of one unit."""

    __tablename__ = "movement"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100), index=True)
    unit_name: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))  # regular, campaign, thematic
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # None: an ongoing movement
    targets: Mapped[list] = mapped_column(JSON, default=list)  # [text]
    interim_review_on: Mapped[date | None] = mapped_column(Date)
    final_review_on: Mapped[date | None] = mapped_column(Date)
    directive: Mapped[str | None] = mapped_column(String(500))  # number/date of the directive
    status: Mapped[str] = mapped_column(String(20), index=True)  # draft, launched, closed
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    launched_by: Mapped[str | None] = mapped_column(String(100))
    launched_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    row_version: Mapped[int] = mapped_column(Integer, default=1)  # the ETag

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012 (SQLAlchemy reads it)


class Registration(Base):
    """A lower unit's registration for a movement, with its own targets."""

    __tablename__ = "movement_registration"
    __table_args__ = (UniqueConstraint("movement_id", "unit_id",
                                       name="uq_movement_registration_unit"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    movement_id: Mapped[str] = mapped_column(String(36), ForeignKey("movement.id"), index=True)
    unit_id: Mapped[str] = mapped_column(String(100), index=True)
    unit_name: Mapped[str] = mapped_column(String(300))
    targets: Mapped[list] = mapped_column(JSON, default=list)  # [text]
    status: Mapped[str] = mapped_column(String(20))  # draft, sent, returned, approved
    return_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_by: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    row_version: Mapped[int] = mapped_column(Integer, default=1)  # the ETag

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012 (SQLAlchemy reads it)


async def get(session: AsyncSession, movement_id: str) -> Movement | None:
    return await session.get(Movement, movement_id)


async def search(session: AsyncSession, *, own_unit: str | None, open_from: set[str] | None,
                 filters: dict, year: int | None, limit: int, offset: int) -> list[Movement]:
    """Movements a reader may see: all of `own_unit`'s, plus the launched or closed ones of
    the units in `open_from` (None: of every unit)."""
    shown = Movement.status != "draft"
    if open_from is not None:
        shown = shown & Movement.unit_id.in_(open_from)
    query = select(Movement).where(or_(Movement.unit_id == own_unit, shown)
                                   if own_unit is not None else shown)
    for column, value in filters.items():
        if value is not None:
            query = query.where(getattr(Movement, column) == value)
    if year is not None:
        query = query.where(Movement.starts_on <= date(year, 12, 31),
                            or_(Movement.ends_on.is_(None), Movement.ends_on >= date(year, 1, 1)))
    rows = await session.scalars(query.order_by(Movement.starts_on.desc(), Movement.id)
                                 .limit(limit).offset(offset))
    return list(rows.all())


async def get_registration(session: AsyncSession, registration_id: str) -> Registration | None:
    return await session.get(Registration, registration_id)


async def registration_of(session: AsyncSession, movement_id: str,
                          unit_id: str) -> Registration | None:
    row = await session.scalars(select(Registration).where(
        Registration.movement_id == movement_id, Registration.unit_id == unit_id))
    return row.first()


async def registrations(session: AsyncSession, movement_id: str, *,
                        unit_id: str | None) -> list[Registration]:
    """One unit's registration (any status), or, with `unit_id` None, every registration
    that has been sent at least once: drafts stay with their unit."""
    query = select(Registration).where(Registration.movement_id == movement_id)
    if unit_id is not None:
        query = query.where(Registration.unit_id == unit_id)
    else:
        query = query.where(Registration.status != "draft")
    rows = await session.scalars(query.order_by(Registration.unit_id))
    return list(rows.all())
