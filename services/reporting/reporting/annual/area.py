"""The home government's level and who is above it on a day, from the profile: what the
report's words say of the area ("toàn huyện", "toàn xã") and whom it goes up to."""

from __future__ import annotations

from datetime import date

from exemplar.profile import Profile, Unit

from ..quotas.rules import exists_in

TIERS = {"district_people_committee": "huyện", "commune": "xã", "province": "tỉnh"}


def tier(profile: Profile) -> str:
    """'huyện', or 'xã' for a commune's profile: the home government's level."""
    return TIERS.get(profile.home_unit().kind, "địa bàn")


def upward(profile: Profile, kind: str, on: date) -> list[Unit]:
    """The units of that kind (province, provincial_board…) that exist on the day."""
    return [u for u in profile.units if u.kind == kind and u.active_on(on)]


def board_name(profile: Profile, *, year: int, on: date) -> str:
    """The provincial emulation board exemplars are sent to: the one of the report's day,
    else the last of the year (the province before a merger)."""
    boards = upward(profile, "provincial_board", on) or [
        u for u in profile.units if u.kind == "provincial_board" and exists_in(u, year)][-1:]
    return boards[0].name if boards else "cơ quan thi đua, khen thưởng cấp tỉnh"
