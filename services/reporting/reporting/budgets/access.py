"""Who sees and does what with budget estimates: the finance office reads every one, allocates
and returns them; the standing office and the chair read every one; a unit's officer and head
make, edit and submit their own unit's estimate and read only it (another unit's answers 404).
The home government's estimate (UBND huyện; the commune where there is no district) is the
standing office's to make, edit and submit: it budgets for the district. The province's
viewer and everyone else are refused."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from exemplar.auth import Principal, require_roles
from exemplar.errors import Forbidden, NotFound
from exemplar.profile import Profile

from ..access import UNIT

OFFICE = "standing_office"
WIDE = ("finance", OFFICE, "chair")
Reader = Annotated[Principal, Depends(require_roles(*WIDE, *UNIT))]
WideReader = Annotated[Principal, Depends(require_roles(*WIDE))]
Preparer = Annotated[Principal, Depends(require_roles(*UNIT, OFFICE))]
Finance = Annotated[Principal, Depends(require_roles("finance"))]
NOT_FOUND = "Không tìm thấy dự toán kinh phí."


def reads_all(user: Principal) -> bool:
    return user.has_any(*WIDE)


def missing(estimate_id: str) -> NotFound:
    return NotFound(NOT_FOUND, fields={"estimate_id": estimate_id})


def check_readable(user: Principal, estimate_id: str, unit_id: str) -> None:
    if not reads_all(user) and unit_id != user.unit:
        raise missing(estimate_id)


def may_prepare(user: Principal, profile: Profile, unit_id: str) -> bool:
    if unit_id == profile.home_unit().id:
        return user.has_any(OFFICE)
    return user.has_any(*UNIT) and unit_id == user.unit


def default_unit(user: Principal, profile: Profile) -> str:
    """The estimate a user makes when they name no unit: their own unit's, or the home
    government's for the standing office's staff who prepare no unit's own."""
    if not may_prepare(user, profile, user.unit) and user.has_any(OFFICE):
        return profile.home_unit().id
    return user.unit


def check_preparer(user: Principal, profile: Profile, unit_id: str) -> None:
    """A unit's staff prepare their own unit's estimate; the standing office, the home
    government's. Anyone else is refused, naming the unit."""
    if may_prepare(user, profile, unit_id):
        return
    home = profile.home_unit()
    if unit_id == home.id:
        raise Forbidden(f"Dự toán kinh phí của {home.name} do cơ quan thường trực Hội đồng "
                        "Thi đua – Khen thưởng lập, sửa và gửi.",
                        fields={"unit_id": f"chỉ cơ quan thường trực lập dự toán của {home.id}"})
    raise Forbidden("Chỉ đơn vị lập dự toán mới lập, sửa và gửi được dự toán của đơn vị mình.",
                    fields={"unit_id": f"không phải đơn vị của bạn ({unit_id})"})


def check_own(user: Principal, profile: Profile, estimate_id: str, unit_id: str) -> None:
    """Only whoever prepares an estimate changes it: another unit's is 404 to those who may
    not read it, 403 to those who may (the standing office, a commune's, say)."""
    check_readable(user, estimate_id, unit_id)
    check_preparer(user, profile, unit_id)
