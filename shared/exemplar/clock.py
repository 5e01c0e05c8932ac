"""The users' calendar: "today" and printed dates are Vietnam's (UTC+7, no daylight saving).

A rehearsal (`exemplar up --as-of DATE`: training, a demo, the end-to-end test of a past year)
runs every service on a calendar shifted by `EXEMPLAR_CLOCK_SHIFT` seconds, the same shift for
all of them, so a year whose units no longer exist can still be lived through: decisions,
stories and escalations get dates in that year. Token lifetimes stay on the real clock."""

from __future__ import annotations

import math
import os
from datetime import UTC, date, datetime, time, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")
SHIFT_VARIABLE = "EXEMPLAR_CLOCK_SHIFT"


LONGEST_SHIFT = timedelta(days=366 * 30)  # a rehearsal of a past (or coming) plan, not more


def shift() -> timedelta:
    raw = os.environ.get(SHIFT_VARIABLE, "").strip()
    if not raw:
        return timedelta(0)
    try:
        seconds = float(raw)
        if not math.isfinite(seconds) or abs(seconds) > LONGEST_SHIFT.total_seconds():
            raise ValueError
    except ValueError:
        raise ValueError(f"{SHIFT_VARIABLE} must be a number of seconds within 30 years, "
                         f"not {raw!r}") from None
    return timedelta(seconds=seconds)


def now() -> datetime:
    return datetime.now(UTC) + shift()


def today() -> date:
    return now().astimezone(VIETNAM).date()


def shift_to(day: date, *, real: datetime | None = None) -> timedelta:
    """The shift that makes this moment 08:00 (Vietnam) on `day`."""
    start = datetime.combine(day, time(8, 0), tzinfo=VIETNAM)
    return start - (real or datetime.now(UTC))
