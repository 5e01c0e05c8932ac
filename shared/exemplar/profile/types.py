"""The profile's vocabulary: the Literal kinds and the constrained scalars the models use."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Final, Literal, get_args

import pydantic
from pydantic import AfterValidator

Role = Literal[
    "unit_officer", "unit_head", "standing_office", "council_member", "chair",
    "front_reviewer", "editor", "finance", "viewer", "admin",
]  # fmt: skip
UnitKind = Literal[
    "district_people_committee", "council", "standing_office", "agency", "commune",
    "mass_organisation", "enterprise", "radio", "commune_radio", "portal", "party_committee",
    "political_centre", "front", "province", "provincial_board",
]  # fmt: skip
NomineeKind = Literal["individual", "collective", "household"]
ChannelKind = Literal[
    "portal_column", "radio", "commune_radio", "zalo", "facebook", "unit_site", "exchange",
    "political_class",
]  # fmt: skip
EventKind = Literal["decided", "escalated", "good_deed"]

UNIT_KINDS: Final = frozenset(get_args(UnitKind))

Slug = Annotated[str, pydantic.StringConstraints(pattern=r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")]
Name = Annotated[str, pydantic.StringConstraints(min_length=1), AfterValidator(
    lambda s: unicodedata.normalize("NFC", s.strip()))]  # fmt: skip
Share = Annotated[float, pydantic.Field(gt=0, le=1)]
Days = Annotated[int, pydantic.Field(ge=1)]
