"""Who may act on which unit's records: one place for every feature of the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from exemplar.auth import Principal, require_roles
from exemplar.errors import NotFound, StaleVersion, VersionRequired

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


IfMatch = Annotated[str | None, Header(alias="If-Match")]


def expected_version(if_match: str | None, *, required: bool) -> int | None:
    """The row version an If-Match header names (`"3"` or `W/"3"`); every ETag of the
    service is its row's version."""
    if if_match is None:
        if required:
            raise VersionRequired("Cần tiêu đề If-Match với ETag của lần đọc gần nhất.",
                                  fields={"If-Match": "bắt buộc"})
        return None
    try:
        return int(if_match.strip().removeprefix("W/").strip('"'))
    except ValueError:
        raise StaleVersion("If-Match không hợp lệ.",
                           fields={"If-Match": "không hợp lệ"}) from None
