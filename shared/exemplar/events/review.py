"""Events produced by the review service."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .common import CommendationKind, DecisionRef, Nominee
from .envelope import Event


class CaseReturnedV1(Event):
    type = "exemplar.review.returned.v1"
    case_id: str
    nomination_id: str
    revision: int
    unit_id: str
    year: int
    reasons: list[str]
    returned_by: str


class CaseAppraisedV1(Event):
    type = "exemplar.review.appraised.v1"
    case_id: str
    nomination_id: str
    revision: int
    unit_id: str
    year: int
    verified: int
    unverified: int
    overstated: int
    note: str | None = None
    appraised_by: str


class CasePostedV1(Event):
    type = "exemplar.review.posted.v1"
    case_id: str
    nomination_id: str
    unit_id: str
    year: int
    opens_on: date
    closes_on: date


class CaseDecidedV1(Event):
    """Carries what publication may say and reporting must count; never more than decided."""

    type = "exemplar.review.decided.v1"
    case_id: str
    nomination_id: str
    revision: int
    unit_id: str
    unit_name: str
    unit_kind: str
    year: int
    nominee: Nominee
    field: str
    outcome: Literal["recognised", "commended", "rejected"]
    award: str | None = None  # title or award form code granted
    award_name: str | None = None
    commendation_kind: CommendationKind = "regular"
    decision: DecisionRef | None = None
    achievement_summary: str | None = None
    # Only the achievements appraisal verified: what a story may claim.
    verified_claims: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    fast_track: bool = False


class ExemplarEscalatedV1(Event):
    type = "exemplar.review.escalated.v1"
    case_id: str
    nomination_id: str
    unit_id: str
    unit_name: str
    unit_kind: str | None = None
    year: int
    nominee: Nominee
    field: str
    proposed_award: str
    decision: DecisionRef | None = None
    verified_claims: list[str] = Field(default_factory=list)
    escalated_by: str
    escalated_on: date


class DecisionRevokedV1(Event):
    type = "exemplar.review.revoked.v1"
    case_id: str
    nomination_id: str
    unit_id: str
    year: int
    decision_number: str
    reason: str
    revocation: DecisionRef
