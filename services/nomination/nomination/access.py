"""Who may act on which unit's records: one place for every feature of the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from exemplar.auth import Principal, require_roles
from exemplar.concurrency import IfMatch, expected_version
from exemplar.errors import NotFound

__all__ = ["Head", "IfMatch", "Officer", "Reader", "expected_version", "own_unit_or_404",
           "readable_or_404", "reads_all_units"]

WIDE_READERS = ("standing_office", "viewer", "admin")

# Route dependencies: every route states its roles (admin is always admitted).
Officer = Annotated[Principal, Depends(require_roles("unit_officer", "unit_head"))]
Head = Annotated[Principal, Depends(require_roles("unit_head"))]
Reader = Annotated[Principal, Depends(require_roles(
    "unit_officer", "unit_head", "standing_office", "viewer"))]


def reads_all_units(user: Principal) -> bool:
    return user.has_any(*WIDE_READERS)


def readable_or_404(user: Principal, unit_id: str, what: str) -> None:
    """Readers see their own unit's records, wide readers every unit's; else 'not found'."""
    if unit_id != user.unit and not reads_all_units(user):
        raise NotFound(f"Không tìm thấy {what}.")


def own_unit_or_404(user: Principal, unit_id: str, what: str) -> None:
    """Another unit's record answers 'not found', so its existence does not leak."""
    if user.unit != unit_id and not user.has_any("admin"):
        raise NotFound(f"Không tìm thấy {what}.")
