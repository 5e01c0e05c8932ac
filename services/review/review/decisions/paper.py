"""What a decision's documents say, gathered from the decision, its cases and the profile into
plain values, so the DOCX files are rendered away from the database (and the event loop)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from exemplar.errors import Conflict
from exemplar.paperwork import Letterhead
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork

from ..cases.domain import S
from . import store
from .checks import chair_unit
from .service import get_decision, listed

PEOPLES_COMMITTEES = {"commune", "district_people_committee", "province"}


@dataclass(frozen=True)
class Issuer:
    """The chair's unit as it signs: letterhead, the heading of authority, who proposed."""

    head: Letterhead
    authority: str  # "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN BÙ GIA MẬP"
    short: str  # "Chủ tịch UBND huyện Bù Gia Mập"
    office: str | None  # the standing office, which proposes and executes
    council: str | None
    upward: str | None  # the provincial board, a recipient


@dataclass(frozen=True)
class Line:
    """One nomination of the annex."""

    position: int
    nominee: dict
    unit: str
    year: int
    granted: bool
    award: str | None  # the award's name
    category: str | None  # title / award_form
    reasons: tuple[str, ...]
    achievement: str | None  # the first verified achievement
    revoked: bool


@dataclass(frozen=True)
class Paper:
    issuer: Issuer
    kind: str
    number: str
    signed_on: date
    fast_track: bool
    lines: tuple[Line, ...]
    reason: str | None = None  # a revocation's
    revokes: tuple[str, date] | None = None  # the revoked decision's number and date


def expand(name: str) -> str:
    """'UBND huyện Bù Gia Mập' → 'Ủy ban nhân dân huyện Bù Gia Mập'."""
    return re.sub(r"^UBND\b", "Ủy ban nhân dân", name)


def place(profile: Profile) -> str:
    """Where the chair signs: the jurisdiction's name without its tier ('Bù Gia Mập')."""
    return re.sub(r"^(?:huyện|xã|tỉnh|thành phố|thị xã|quận|phường|đặc khu)\s+", "",
                  profile.jurisdiction.name, flags=re.IGNORECASE).strip()


def signer_roles(signer_title: str | None) -> tuple[str, ...]:
    """The chair signs as such; a vice-chair signs on the chair's behalf (KT.)."""
    if signer_title and signer_title.lower().startswith("phó"):
        return ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    return ("CHỦ TỊCH",)


def issuer(profile: Profile, decision: store.Decision) -> Issuer:
    unit = profile.unit(chair_unit(profile))
    parent = profile.unit(unit.parent).name if unit.parent else None
    # A people's committee heads its own documents; a department shows its governing body.
    head = Letterhead(parent=None if unit.kind in PEOPLES_COMMITTEES else parent,
                      unit=expand(unit.name), abbreviation="UBND", place=place(profile),
                      signer_roles=signer_roles(decision.signer_title),
                      signer_name=decision.signer)

    def first(kind: str) -> str | None:
        return next((u.name for u in profile.units if u.kind == kind), None)

    return Issuer(head=head, authority=f"CHỦ TỊCH {expand(unit.name).upper()}",
                  short=f"Chủ tịch {unit.name}", office=first("standing_office"),
                  council=profile.unit(profile.council.unit).name, upward=first(
                      "provincial_board"))


async def paper_of(uow: UnitOfWork, *, profile: Profile, decision_id: str,
                   applied_only: bool = False) -> Paper:
    decision = await get_decision(uow, decision_id)
    if applied_only and decision.status != store.APPLIED:
        raise Conflict(f"Quyết định số {decision.number} chưa được thi hành; chưa in giấy "
                       "khen, giấy chứng nhận.", fields={"status": "chưa thi hành"})
    awards = {a.id: a for a in profile.awards}
    lines = []
    for entry in await listed(uow, decision):
        case, item = entry.case, entry.item
        award = awards.get(item.award or "")
        lines.append(Line(
            position=item.position, nominee=dict(case.nominee or {}), unit=case.unit_name,
            year=case.year, granted=item.grant, award=award.name if award else item.award,
            category=award.category if award else None, reasons=tuple(item.reasons or ()),
            achievement=(case.verified_claims or [None])[0],
            revoked=case.status == S.revoked))
    revokes = None
    if decision.revokes_id:
        revoked = await store.get(uow.session, decision.revokes_id)
        revokes = (revoked.number, revoked.signed_on) if revoked else None
    return Paper(issuer=issuer(profile, decision), kind=decision.kind, number=decision.number,
                 signed_on=decision.signed_on, fast_track=decision.fast_track,
                 lines=tuple(lines), reason=decision.reason, revokes=revokes)
