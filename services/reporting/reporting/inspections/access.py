"""Who sees and does what with inspections: the standing office runs them; the chair and the
province's viewer read every one; a unit's officer and head read the plans that inspect their
unit, see only their own unit's results in them, and record the follow-up on their own
recommendations. Anyone else (finance, editors…) is refused."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from exemplar.auth import Principal, require_roles
from exemplar.errors import NotFound

from ..access import UNIT, sees_all

FollowUpWriter = Annotated[Principal, Depends(require_roles("standing_office", *UNIT))]
NOT_FOUND = "Không tìm thấy đợt kiểm tra."


def own_unit(user: Principal) -> str | None:
    """The only unit a user sees in plans (None: every unit)."""
    return None if sees_all(user) else user.unit


def missing(inspection_id: str) -> NotFound:
    return NotFound(NOT_FOUND, fields={"inspection_id": inspection_id})


def unit_missing(unit_id: str) -> NotFound:
    return NotFound("Đợt kiểm tra này không kiểm tra đơn vị đó.", fields={"unit_id": unit_id})


def check_follow_up_unit(user: Principal, unit_id: str) -> None:
    """The office records any unit's follow-up; a unit, only its own (another's is 404)."""
    if not user.has_any("standing_office") and unit_id != user.unit:
        raise unit_missing(unit_id)
