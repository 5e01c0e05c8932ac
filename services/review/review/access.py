"""Who may do what in review: one place for every feature's route dependencies.

Deciding, voting and revoking are personal acts of office: they admit only the role itself,
never `admin` (an administrator runs the system, not the council)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from exemplar.auth import CurrentUser, Principal, require_roles
from exemplar.errors import NotFound
from exemplar.runtime import RuntimeDep

FORBIDDEN = "Vai trò của bạn không được phép thực hiện thao tác này."
# Who reads every unit's cases; a unit's officer and head read only their own unit's.
WIDE_READERS = ("standing_office", "council_member", "chair", "front_reviewer", "viewer",
                "admin")


def _only(*roles: str):
    async def check(user: CurrentUser) -> Principal:
        if not user.has_any(*roles):
            raise HTTPException(403, FORBIDDEN)
        return user

    return check


Reader = Annotated[Principal, Depends(require_roles(
    "unit_officer", "unit_head", "standing_office", "council_member", "chair", "front_reviewer",
    "viewer"))]
# The council's deliberation (Front comments, public feedback, ballots' who): not for units.
Deliberator = Annotated[Principal, Depends(require_roles(
    "standing_office", "council_member", "chair", "front_reviewer"))]
# The council's side and the province's viewer read decisions; units read their own cases.
DecisionReader = Annotated[Principal, Depends(require_roles(
    "standing_office", "council_member", "chair", "front_reviewer", "viewer"))]
Office = Annotated[Principal, Depends(require_roles("standing_office"))]
OfficeOrChair = Annotated[Principal, Depends(require_roles("standing_office", "chair"))]
Front = Annotated[Principal, Depends(_only("front_reviewer"))]
Member = Annotated[Principal, Depends(_only("council_member", "chair"))]


async def _council_chair(user: CurrentUser, runtime: RuntimeDep) -> Principal:
    """The chair of this council by name, not any account holding a `chair` role (an identity
    provider may give that role to every commune's chairman too)."""
    if not user.has_any("chair") or user.sub != runtime.profile.council.chair:
        raise HTTPException(403, "Chỉ Chủ tịch Hội đồng Thi đua – Khen thưởng được thực hiện "
                                 "thao tác này.")
    return user


Chair = Annotated[Principal, Depends(_council_chair)]
# The log names who voted and why a member stepped aside: the office and the chair read it;
# anyone who oversees may check that the chain is whole.
Auditor = Annotated[Principal, Depends(_only("standing_office", "chair"))]
ChainChecker = Annotated[Principal, Depends(require_roles("standing_office", "chair",
                                                          "viewer"))]


def reads_all_units(user: Principal) -> bool:
    return user.has_any(*WIDE_READERS)


def unit_scope(user: Principal) -> str | None:
    """None for wide readers; else the only unit whose cases the user may see."""
    return None if reads_all_units(user) else user.unit


def readable_or_404(user: Principal, unit_id: str, what: str = "hồ sơ xét duyệt") -> None:
    """Another unit's case answers 'not found', so its existence does not leak."""
    if not reads_all_units(user) and user.unit != unit_id:
        raise NotFound(f"Không tìm thấy {what}.")
