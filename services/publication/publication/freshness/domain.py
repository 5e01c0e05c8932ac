"""Column freshness: a regular column (a channel with a maximum gap in the profile) must not
stay quiet longer than its gap.

A gap runs from the last time something was published on the column or, when nothing ever
was, from the time the service first watched the column (never from the epoch: a column
just set up is not years overdue). It is overdue once more than `max_gap_days` whole days of
elapsed time have passed; a gap is identified by the channel and the instant it runs from,
so it is announced once and a new gap opens only when the column publishes again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

DAY = timedelta(days=1)


class Freshness(StrEnum):
    fresh = "fresh"
    overdue = "overdue"


FRESHNESS_NAMES = {Freshness.fresh: "đăng đều đặn", Freshness.overdue: "quá lâu chưa có bài"}


@dataclass(frozen=True)
class Gap:
    """How long a column has been quiet at `at`."""

    runs_from: datetime
    overdue_since: datetime  # the instant the gap grew longer than allowed
    days_quiet: int  # whole days elapsed since `runs_from`
    overdue: bool

    @property
    def status(self) -> Freshness:
        return Freshness.overdue if self.overdue else Freshness.fresh


def gap_of(*, max_gap_days: int, last_published_at: datetime | None,
           first_seen_at: datetime | None, at: datetime) -> Gap:
    """The current gap of a column; one never published nor yet watched starts now."""
    runs_from = last_published_at or first_seen_at or at
    overdue_since = runs_from + max_gap_days * DAY
    quiet = max(at - runs_from, timedelta(0))  # a clock step back is no negative gap
    return Gap(runs_from=runs_from, overdue_since=overdue_since, days_quiet=quiet // DAY,
               overdue=at > overdue_since)
