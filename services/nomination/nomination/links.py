"""What a nomination may point to in this service: its unit's movements and criteria sets.
The checks live with those features; this is the one place nominations ask them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from .criteria import service as criteria
from .movements import service as movements


async def movement_problems(session: AsyncSession, *, unit_id: str, movement_id: str | None,
                            year: int) -> dict[str, str]:
    if movement_id is None:
        return {}
    return await movements.movement_problems(session, unit_id=unit_id,
                                             movement_id=movement_id, year=year)


async def criteria_problems(session: AsyncSession, *, unit_id: str,
                            criteria_set_id: str | None, criteria_version: int | None,
                            claims: list[str]) -> dict[str, str]:
    if criteria_set_id is None:
        if criteria_version is not None:
            return {"criteria_set_id": "bắt buộc khi có criteria_version"}
        return {}
    return await criteria.criteria_problems(session, unit_id=unit_id,
                                            criteria_set_id=criteria_set_id,
                                            criteria_version=criteria_version, claims=claims)


async def claimed_version(session: AsyncSession, *, criteria_set_id: str | None,
                          criteria_version: int | None) -> int | None:
    """The criteria version a nomination claims against, pinned when it is written: the one
    named, else the latest published."""
    if criteria_set_id is None or criteria_version is not None:
        return criteria_version
    latest = await criteria.store.latest_version(session, criteria_set_id,
                                                 status=criteria.PUBLISHED)
    return latest.version if latest else None
