"""Value shapes several events carry."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

NomineeKind = Literal["individual", "collective", "household"]
CommendationKind = Literal["regular", "ad_hoc", "thematic"]


class Nominee(BaseModel):
    """Who is nominated, as a consumer needs to show or count them."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    kind: NomineeKind
    name: str
    subject_id: str | None = None  # the persistent subject across years
    gender: Literal["male", "female", "other"] | None = None
    birth_year: int | None = None
    ethnicity: str | None = None
    position: str | None = None
    workplace: str | None = None
    member_count: int | None = None
    women_share: float | None = None
    head: str | None = None


class DecisionRef(BaseModel):
    """A commendation decision as signed: number, date, signer."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    number: str
    signed_on: date
    signer: str
    signer_title: str | None = None
