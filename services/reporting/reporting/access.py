"""Who may read and write what in reporting, in one place.

The standing office, the chair and the province's viewer read every unit's figures; a unit's
officer and head read their own unit only (another unit's objects answer 404). Finance reads
and allocates budgets; the standing office runs inspections and training."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from exemplar.auth import Principal, require_roles
from exemplar.errors import NotFound
from exemplar.profile import Profile

WIDE = ("standing_office", "chair", "viewer", "admin")
UNIT = ("unit_officer", "unit_head")

FigureReader = Annotated[Principal, Depends(require_roles(*WIDE, *UNIT))]
WideReader = Annotated[Principal, Depends(require_roles(*WIDE))]
Office = Annotated[Principal, Depends(require_roles("standing_office"))]
Admin = Annotated[Principal, Depends(require_roles("admin"))]


def sees_all(user: Principal) -> bool:
    return user.has_any(*WIDE)


def scope(user: Principal, profile: Profile, unit_id: str | None = None) -> str | None:
    """The one unit a user's query is limited to (None: all). A unit user asking for another
    unit, or anyone asking for a unit the profile does not have, gets 404."""
    if not sees_all(user):
        if unit_id is not None and unit_id != user.unit:
            raise _unknown(unit_id)
        unit_id = user.unit
    if unit_id is not None and unit_id not in {u.id for u in profile.units}:
        raise _unknown(unit_id)
    return unit_id


def _unknown(unit_id: str) -> NotFound:
    return NotFound(f"Không tìm thấy đơn vị '{unit_id}'.", fields={"unit_id": unit_id})
