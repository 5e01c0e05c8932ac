"""Events produced by the nomination service."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .common import CommendationKind, Nominee, NomineeKind
from .envelope import Event


class MovementLaunchedV1(Event):
    type = "exemplar.nomination.movement_launched.v1"
    movement_id: str
    unit_id: str
    unit_name: str
    title: str
    field: str
    kind: Literal["regular", "campaign", "thematic"]
    starts_on: date
    ends_on: date | None = None
    interim_review_on: date | None = None
    final_review_on: date | None = None
    launched_by: str


class Criterion(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    code: str
    text: str


class CriteriaPublishedV1(Event):
    type = "exemplar.nomination.criteria_published.v1"
    criteria_set_id: str
    unit_id: str
    field: str
    version: int
    title: str
    criteria: list[Criterion]
    published_by: str


class ProspectRegisteredV1(Event):
    type = "exemplar.nomination.prospect_registered.v1"
    prospect_id: str
    unit_id: str
    unit_name: str
    kind: NomineeKind
    name: str
    field: str
    reason: str
    year: int
    movement_id: str | None = None
    registered_by: str


class Claim(BaseModel):
    """A criterion the nominee is said to meet, with the evidence files behind it."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    criterion: str
    claim: str
    evidence_ids: list[str] = Field(default_factory=list)


class AwardHeld(BaseModel):
    """A commendation the subject already holds (for multi-year conditions)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    year: int
    award: str
    decision_number: str | None = None


class NominationSubmittedV1(Event):
    """Submitted or resubmitted: a higher revision reopens the review of the same nomination."""

    type = "exemplar.nomination.submitted.v1"
    nomination_id: str
    revision: int
    unit_id: str
    unit_name: str
    unit_kind: str
    year: int
    nominee: Nominee
    field: str
    proposed_award: str  # a title or award form code from the profile
    commendation_kind: CommendationKind
    movement_id: str | None = None
    criteria_set_id: str | None = None
    criteria_version: int | None = None
    achievement_summary: str
    prospect_id: str | None = None
    claims: list[Claim] = Field(default_factory=list)
    history: list[AwardHeld] = Field(default_factory=list)
    evidence_count: int = 0
    documents: list[str] = Field(default_factory=list)  # document kinds in the dossier
    submitted_by: str
    submitted_at: datetime


class NominationWithdrawnV1(Event):
    type = "exemplar.nomination.withdrawn.v1"
    nomination_id: str
    revision: int
    unit_id: str
    year: int
    reason: str
    withdrawn_by: str


class GoodDeedReportedV1(Event):
    type = "exemplar.nomination.good_deed_reported.v1"
    report_id: str
    unit_id: str
    unit_name: str
    person_name: str
    deed: str
    happened_on: date
    field: str | None = None
    year: int
    reported_by: str
