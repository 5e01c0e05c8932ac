"""Events produced by the reporting service."""

from __future__ import annotations

from datetime import date
from typing import Literal

from .envelope import Event


class QuotaAtRiskV1(Event):
    type = "exemplar.reporting.quota_at_risk.v1"
    unit_id: str
    unit_name: str
    year: int
    quota: Literal["publicised", "escalated"]
    required: int
    achieved: int
    due_on: date
