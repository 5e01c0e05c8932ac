"""The training tables: a session, and one row per unit that sent people to it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..projections.store import Base


class Training(Base):
    __tablename__ = "training"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)  # the year of held_on
    held_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(500))
    organiser_unit_id: Mapped[str] = mapped_column(String(100))
    organiser_unit_name: Mapped[str] = mapped_column(String(300))
    place: Mapped[str] = mapped_column(String(300))
    trainers: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class Participation(Base):
    """How many people a unit sent to a session, and who, when named."""

    __tablename__ = "training_participation"

    training_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("training.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    unit_name: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    names: Mapped[list[str]] = mapped_column(JSON, default=list)


async def get(session: AsyncSession, training_id: str, *,
              for_update: bool = False) -> Training | None:
    return await session.get(Training, training_id, with_for_update=for_update or None)


async def participation(session: AsyncSession, training_ids: list[str], *,
                        unit_id: str | None = None) -> dict[str, list[Participation]]:
    """Each session's lines in order (only `unit_id`'s line when given)."""
    query = select(Participation).where(Participation.training_id.in_(training_ids))
    if unit_id is not None:
        query = query.where(Participation.unit_id == unit_id)
    found: dict[str, list[Participation]] = {i: [] for i in training_ids}
    for row in await session.scalars(query.order_by(Participation.position)):
        found[row.training_id].append(row)
    return found


def _sessions(*, year: int | None, unit_ids: list[str] | None):
    query = select(Training)
    if year is not None:
        query = query.where(Training.year == year)
    if unit_ids is not None:
        query = query.where(Training.id.in_(
            select(Participation.training_id).where(Participation.unit_id.in_(unit_ids))))
    return query


async def search(session: AsyncSession, *, year: int | None, unit_id: str | None, limit: int,
                 offset: int) -> tuple[list[Training], int]:
    query = _sessions(year=year, unit_ids=None if unit_id is None else [unit_id])
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Training.held_on.desc(), Training.id)
                                 .limit(limit).offset(offset))
    return list(rows), total or 0


async def year_figures(session: AsyncSession, *, year: int,
                       unit_ids: list[str] | None) -> tuple[int, int, int]:
    """Sessions, people trained and units that sent someone, in the year (for `unit_ids`:
    the sessions one of them attended, and their own people)."""
    sessions = await session.scalar(select(func.count()).select_from(
        _sessions(year=year, unit_ids=unit_ids).subquery())) or 0
    query = (select(func.coalesce(func.sum(Participation.count), 0),
                    func.count(func.distinct(Participation.unit_id)))
             .join(Training, Training.id == Participation.training_id)
             .where(Training.year == year))
    if unit_ids is not None:
        query = query.where(Participation.unit_id.in_(unit_ids))
    people, units = (await session.execute(query)).one()
    return sessions, int(people), int(units)
