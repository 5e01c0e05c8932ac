"""HTTP shapes of appraisal: the form the office fills in, and what it reads back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from exemplar.text import Text

from .domain import Verdict

FindingNote, Reason, Note = Text(2000, min_length=0), Text(2000), Text(5000, min_length=0)


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Finding(_Form):
    achievement: int  # its number on the case, from 0; the range is checked against the case
    verdict: Verdict
    note: FindingNote = ""


class Facts(_Form):
    """What the office established about the nominee; the decision checks them again."""

    disciplined: bool = False
    under_investigation: bool = False
    # For a collective title: how many members hold the title its share rule names.
    members_holding: Annotated[int, Field(ge=0)] | None = None


class AppraisalCreate(_Form):
    outcome: Literal["appraised", "returned"]
    findings: list[Finding] = Field(max_length=500)
    facts: Facts = Facts()
    reasons: list[Reason] = Field(default_factory=list, max_length=50)
    note: Note | None = None


class AppraisalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    revision: int
    outcome: str
    findings: list[dict[str, Any]]
    facts: dict[str, Any]
    problems: list[dict[str, str]]
    reasons: list[str]
    note: str | None
    appraised_by: str
    appraised_at: datetime


class ProblemRead(BaseModel):
    rule: str
    message: str
    detail: str | None = None  # for the standing office and the council only


class EligibilityRead(BaseModel):
    eligible: bool
    problems: list[ProblemRead]


class CapRead(BaseModel):
    among: str
    max_share: float
    among_count: int
    limit: int  # how many places the cap leaves


class RankRead(BaseModel):
    rank: int
    case_id: str
    nomination_id: str
    nominee_name: str
    nominee_kind: str | None
    gender: str | None
    women_share: float | None
    verified: int
    status: str
    submitted_at: datetime | None
    within_cap: bool


class RankingRead(BaseModel):
    unit_id: str
    year: int
    award: str
    women_priority: bool
    cap: CapRead | None
    items: list[RankRead]
