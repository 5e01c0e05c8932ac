"""HTTP shapes of nominations (also the input of list imports and prospect promotion)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from exemplar.events.common import CommendationKind, NomineeKind

Text200 = Field(min_length=1, max_length=200)


class NomineeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: NomineeKind
    name: str = Field(min_length=1, max_length=200)
    subject_id: str | None = Field(default=None, max_length=36)
    gender: Literal["male", "female", "other"] | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    ethnicity: str | None = Field(default=None, max_length=50)
    position: str | None = Field(default=None, max_length=200)
    workplace: str | None = Field(default=None, max_length=300)
    member_count: int | None = Field(default=None, ge=1, le=1_000_000)
    women_share: float | None = Field(default=None, ge=0, le=1)
    head: str | None = Field(default=None, max_length=200)


class ClaimIn(BaseModel):
    """One criterion the nominee is said to meet, and the evidence files behind it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    criterion: str = Field(min_length=1, max_length=50)
    claim: str = Field(min_length=1, max_length=5000)
    evidence_ids: list[str] = Field(default_factory=list, max_length=50)


class NominationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    nominee: NomineeIn
    field: str = Field(min_length=1, max_length=100)
    proposed_award: str = Field(min_length=1, max_length=100)
    commendation_kind: CommendationKind = "regular"
    year: int = Field(ge=2000, le=2100)
    movement_id: str | None = Field(default=None, max_length=36)
    criteria_set_id: str | None = Field(default=None, max_length=36)
    criteria_version: int | None = Field(default=None, ge=1)
    achievement_summary: str = Field(min_length=1, max_length=20000)
    claims: list[ClaimIn] = Field(default_factory=list, max_length=100)


class NominationUpdate(BaseModel):
    """PATCH: only the fields given change."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    nominee: NomineeIn | None = None
    field: str | None = Field(default=None, min_length=1, max_length=100)
    proposed_award: str | None = Field(default=None, min_length=1, max_length=100)
    commendation_kind: CommendationKind | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    movement_id: str | None = Field(default=None, max_length=36)
    criteria_set_id: str | None = Field(default=None, max_length=36)
    criteria_version: int | None = Field(default=None, ge=1)
    achievement_summary: str | None = Field(default=None, min_length=1, max_length=20000)
    claims: list[ClaimIn] | None = Field(default=None, max_length=100)


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class NominationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    unit_id: str
    unit_name: str
    year: int
    nominee: dict
    subject_id: str | None
    field: str
    proposed_award: str
    commendation_kind: str
    movement_id: str | None
    prospect_id: str | None
    criteria_set_id: str | None
    criteria_version: int | None
    achievement_summary: str
    claims: list[dict]
    status: str
    revision: int
    version: int
    source: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    submitted_by: str | None
    submitted_at: datetime | None
    review_reasons: list[str]
    decision: dict | None
    escalation: dict | None
    revocation: dict | None
    withdrawn_reason: str | None


class NominationPage(BaseModel):
    items: list[NominationRead]
    total: int
    limit: int
    offset: int
