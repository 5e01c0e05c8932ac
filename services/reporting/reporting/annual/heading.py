"""Who issues a yearly report, to whom, and who signs, from the profile: the district's report
comes from the council's standing office to the province; a unit's from the unit to the
standing office and the district."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from exemplar.paperwork import Letterhead, abbreviation, place_name
from exemplar.profile import Profile, Unit

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


def _first(profile: Profile, kind: str, on: date) -> Unit | None:
    """The unit of that kind on the day (the province before a merger, say), else any."""
    units = [u for u in profile.units if u.kind == kind]
    return next((u for u in units if u.active_on(on)), units[0] if units else None)


def issuer_of(profile: Profile, unit_id: str | None, on: date) -> Unit:
    """The district's report is the standing office's (the home unit's where it has none)."""
    if unit_id is not None:
        return profile.unit(unit_id)
    return _first(profile, "standing_office", on) or profile.home_unit()


def _head(profile: Profile, unit: Unit) -> str:
    return next((a.name for a in profile.accounts
                 if a.unit == unit.id and "unit_head" in a.roles), "")


def _roles(unit: Unit, title: str | None) -> tuple[str, ...]:
    if title:
        return (title.upper(),)
    if unit.kind in PEOPLES_COMMITTEES:
        return ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    if unit.name.startswith("Phòng"):
        return ("TRƯỞNG PHÒNG",)
    return ("THỦ TRƯỞNG ĐƠN VỊ",)


def _recipients(profile: Profile, unit: Unit, district: bool, on: date) -> tuple[str, ...]:
    home = profile.home_unit()
    if district:
        upward = [_first(profile, kind, on) for kind in ("province", "provincial_board")]
        names = [*(u.name for u in upward if u), f"Chủ tịch {home.name}"]
    else:
        office = issuer_of(profile, None, on)
        names = [office.name if office.id != unit.id else None,
                 home.name if home.id != unit.id else None]
    return (*(f"{n};" for n in names if n), "Lưu: VT.")


def heading(profile: Profile, *, unit_id: str | None, on: date, number: str | None = None,
            signer: Signer = Signer()) -> Heading:
    """`number`: the registered number in full ("125/BC-PNVLĐTBXH") or its first part
    ("125"); without it the number is left to fill in."""
    unit = issuer_of(profile, unit_id, on)
    committee = unit.kind in PEOPLES_COMMITTEES
    parent = profile.unit(unit.parent).name if unit.parent and not committee else None
    short = abbreviation(unit.name)
    place = (place_name(unit.name) if unit.kind == "commune"
             else place_name(profile.jurisdiction.name))
    letterhead = Letterhead(parent=parent, unit=expand(unit.name) if committee else unit.name,
                            abbreviation=short, place=place,
                            signer_roles=_roles(unit, signer.title),
                            signer_name=signer.name or _head(profile, unit))
    if number and "/" not in number:
        number = f"{number}/BC-{short}"
    return Heading(letterhead=letterhead, number=number or f"{BLANK_NUMBER}/BC-{short}", on=on,
                   recipients=_recipients(profile, unit, unit_id is None, on))
