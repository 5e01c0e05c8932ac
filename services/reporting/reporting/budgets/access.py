"""Who sees and does what with budget estimates: the finance office reads every one, allocates
and returns them; the standing office and the chair read every one; a unit's officer and head
make, edit and submit their own unit's estimate and read only it (another unit's answers 404).
The province's viewer and everyone else are refused."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from exemplar.auth import Principal, require_roles
from exemplar.errors import NotFound

from ..access import UNIT

WIDE = ("finance", "standing_office", "chair")
Reader = Annotated[Principal, Depends(require_roles(*WIDE, *UNIT))]
WideReader = Annotated[Principal, Depends(require_roles(*WIDE))]
UnitWriter = Annotated[Principal, Depends(require_roles(*UNIT))]
Finance = Annotated[Principal, Depends(require_roles("finance"))]
NOT_FOUND = "Không tìm thấy dự toán kinh phí."


def reads_all(user: Principal) -> bool:
    return user.has_any(*WIDE)


def missing(estimate_id: str) -> NotFound:
    return NotFound(NOT_FOUND, fields={"estimate_id": estimate_id})


def check_readable(user: Principal, estimate_id: str, unit_id: str) -> None:
    if not reads_all(user) and unit_id != user.unit:
        raise missing(estimate_id)


def check_own(user: Principal, estimate_id: str, unit_id: str) -> None:
    """Only the unit's own staff change its estimate: another unit's is 404 to those who may
    not read it, 403 to those who may (the standing office's own head, say)."""
    check_readable(user, estimate_id, unit_id)
    if not user.has_any(*UNIT) or unit_id != user.unit:
        raise HTTPException(403, "Chỉ đơn vị lập dự toán mới sửa và gửi được dự toán này.")


def check_own_unit(user: Principal, unit_id: str) -> None:
    if unit_id != user.unit:
        raise HTTPException(403, "Chỉ lập được dự toán cho đơn vị của mình.")
