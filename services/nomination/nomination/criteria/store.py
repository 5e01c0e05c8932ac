"""Tables and queries of criteria sets: a unit's criteria for exemplars in one field, kept in
numbered versions; a published version never changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base

DRAFT, PUBLISHED = "draft", "published"


class CriteriaSet(Base):
    """Bộ tiêu chí điển hình của một đơn vị cho một lĩnh vực."""

    __tablename__ = "criteria_set"
    __table_args__ = (UniqueConstraint("unit_id", "field", name="uq_criteria_set_unit_field"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100), index=True)
    field: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CriteriaVersion(Base):
    """One version of a set: a draft the unit edits, or a published, immutable list."""

    __tablename__ = "criteria_version"

    criteria_set_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("criteria_set.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1, 2, 3…
    status: Mapped[str] = mapped_column(String(20))
    criteria: Mapped[list] = mapped_column(JSON, default=list)  # [{code, text}]
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_by: Mapped[str | None] = mapped_column(String(100))
    row_version: Mapped[int] = mapped_column(Integer, default=1)  # the ETag

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012 (SQLAlchemy reads it)


async def get_set(session: AsyncSession, set_id: str) -> CriteriaSet | None:
    return await session.get(CriteriaSet, set_id)


async def get_version(session: AsyncSession, set_id: str,
                      version: int) -> CriteriaVersion | None:
    return await session.get(CriteriaVersion, (set_id, version))


async def versions(session: AsyncSession, set_ids: list[str]) -> list[CriteriaVersion]:
    """Every version of the given sets, oldest first."""
    if not set_ids:
        return []
    rows = await session.scalars(
        select(CriteriaVersion).where(CriteriaVersion.criteria_set_id.in_(set_ids))
        .order_by(CriteriaVersion.criteria_set_id, CriteriaVersion.version))
    return list(rows.all())


async def latest_version(session: AsyncSession, set_id: str, *,
                         status: str | None = None) -> CriteriaVersion | None:
    query = select(CriteriaVersion).where(CriteriaVersion.criteria_set_id == set_id)
    if status is not None:
        query = query.where(CriteriaVersion.status == status)
    row = await session.scalars(query.order_by(CriteriaVersion.version.desc()).limit(1))
    return row.first()


async def find_set(session: AsyncSession, *, unit_id: str, field: str) -> CriteriaSet | None:
    row = await session.scalars(select(CriteriaSet).where(
        CriteriaSet.unit_id == unit_id, CriteriaSet.field == field))
    return row.first()


async def search_sets(session: AsyncSession, *, own_unit: str | None, unit_id: str | None,
                      field: str | None, limit: int, offset: int) -> list[CriteriaSet]:
    """Sets of `own_unit` (all of them), or, for wide readers (own_unit None), the sets
    with at least one published version."""
    query = select(CriteriaSet)
    if own_unit is not None:
        query = query.where(CriteriaSet.unit_id == own_unit)
    else:
        published = select(CriteriaVersion.criteria_set_id).where(
            CriteriaVersion.status == PUBLISHED)
        query = query.where(CriteriaSet.id.in_(published))
    if unit_id is not None:
        query = query.where(CriteriaSet.unit_id == unit_id)
    if field is not None:
        query = query.where(CriteriaSet.field == field)
    rows = await session.scalars(query.order_by(CriteriaSet.unit_id, CriteriaSet.field,
                                                CriteriaSet.id).limit(limit).offset(offset))
    return list(rows.all())
