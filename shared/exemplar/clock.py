"""The users' calendar: "today" and printed dates are Vietnam's (UTC+7, no daylight saving)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")


def today() -> date:
    return datetime.now(UTC).astimezone(VIETNAM).date()
