"""Who issues a yearly report, to whom, and who signs, from the profile: the district's report
is the home government's (UBND huyện, or the commune after 2025), drafted by the council's
standing office, to the province; a unit's is the unit's own, to the standing office and the
home government."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from exemplar.paperwork import Letterhead, abbreviation, place_name
from exemplar.profile import Profile, Unit

from .area import upward
from .model import Heading

PEOPLES_COMMITTEES = {"commune", "district_people_committee", "province"}
BLANK_NUMBER = "……"  # filled in by hand when the report is registered


@dataclass(frozen=True)
class Signer:
    name: str | None = None
    title: str | None = None


def expand(name: str) -> str:
    """'UBND xã Đắk Ơ' → 'Ủy ban nhân dân xã Đắk Ơ': a committee's own line is written out."""
    return re.sub(r"^UBND\b", "Ủy ban nhân dân", name)


def issuer_of(profile: Profile, unit_id: str | None) -> Unit:
    return profile.home_unit() if unit_id is None else profile.unit(unit_id)


def _head_title(unit: Unit) -> str:
    if unit.kind in PEOPLES_COMMITTEES:
        return "CHỦ TỊCH"
    if unit.name.startswith("Phòng"):
        return "TRƯỞNG PHÒNG"
    return "THỦ TRƯỞNG ĐƠN VỊ"


def _deputy(title: str | None) -> bool:
    return bool(title) and title.lower().startswith("phó")


def signer_roles(unit: Unit, title: str | None) -> tuple[str, ...]:
    """A committee signs on behalf of the whole (TM.); a deputy signs for the head (KT.):
    'TM. ỦY BAN NHÂN DÂN' / 'KT. CHỦ TỊCH' / 'PHÓ CHỦ TỊCH'."""
    collective = ("TM. ỦY BAN NHÂN DÂN",) if unit.kind in PEOPLES_COMMITTEES else ()
    if not title:
        return (*collective, _head_title(unit))
    if _deputy(title):
        head = re.sub(r"^PHÓ\s+", "", title.upper())
        return (*collective, f"KT. {head}", title.upper())
    return (*collective, title.upper())


def _signer_name(profile: Profile, unit: Unit, signer: Signer) -> str:
    """The caller's; else the head's: the council's chair for the home government, the
    unit's head account for a unit. A deputy named by title alone signs in by hand."""
    if signer.name or _deputy(signer.title):
        return signer.name or ""
    if unit.id == profile.home_unit().id:
        return profile.account(profile.council.chair).name
    return next((a.name for a in profile.accounts
                 if a.unit == unit.id and "unit_head" in a.roles), "")


def _recipients(profile: Profile, unit: Unit, district: bool, on: date) -> tuple[str, ...]:
    """The district's report goes up to the province and its emulation board; its copy is
    kept by the clerk's office and the standing office that drafted it. A unit's goes to the
    standing office and the home government."""
    office = next(iter(upward(profile, "standing_office", on)), None)
    if district:
        names = [u.name for kind in ("province", "provincial_board")
                 for u in upward(profile, kind, on)]
        kept = f"Lưu: VT, {abbreviation(office.name)}." if office else "Lưu: VT."
        return (*(f"{n};" for n in names), kept)
    home = profile.home_unit()
    names = [u.name for u in (office, home) if u is not None and u.id != unit.id]
    return (*(f"{n};" for n in names), "Lưu: VT.")


def heading(profile: Profile, *, unit_id: str | None, on: date, number: str | None = None,
            signer: Signer = Signer()) -> Heading:
    """`number`: the registered number in full ("125/BC-UBND") or its first part ("125");
    without it the number is left to fill in."""
    unit = issuer_of(profile, unit_id)
    committee = unit.kind in PEOPLES_COMMITTEES
    # A people's committee heads its own documents; a department shows its governing body.
    parent = profile.unit(unit.parent).name if unit.parent and not committee else None
    short = abbreviation(unit.name)
    place = (place_name(unit.name) if unit.kind == "commune"
             else place_name(profile.jurisdiction.name))
    letterhead = Letterhead(parent=parent, unit=expand(unit.name) if committee else unit.name,
                            abbreviation=short, place=place,
                            signer_roles=signer_roles(unit, signer.title),
                            signer_name=_signer_name(profile, unit, signer))
    if number and "/" not in number:
        number = f"{number}/BC-{short}"
    return Heading(letterhead=letterhead, number=number or f"{BLANK_NUMBER}/BC-{short}", on=on,
                   recipients=_recipients(profile, unit, unit_id is None, on))
