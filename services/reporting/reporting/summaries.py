"""What each feature tells the yearly report about a year: the shapes the report reads.

`unit_id=None` means the whole jurisdiction; a unit's id means that unit and the units below
it. Each feature's `service.year_summary(...)` returns its shape."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InspectionSummary:
    plans: int  # inspection plans of the year
    units_inspected: int
    findings: int
    recommendations: int
    recommendations_done: int  # follow-up status "done"
    recommendations_open: int


@dataclass(frozen=True)
class TrainingSummary:
    sessions: int
    participants: int  # people trained, all units (or the unit's own)
    units: int  # units that sent someone


@dataclass(frozen=True)
class BudgetSummary:
    estimated: int  # VND, all lines the units estimated, the bonus line included
    allocated: int  # VND, what the finance office allocated
    bonus: int  # VND, the computed bonus line
    unpriced: int  # commendations with no multiplier in the profile (listed apart)
