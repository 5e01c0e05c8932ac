"""The calendar a data folder runs on: the real one, or a rehearsal's (`exemplar up --as-of`).

The shift is kept in the folder (`calendar`), so a restart, or a service restarted after a
crash, goes on with the same dates instead of jumping back to the first morning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .clock import shift_to

FILE = "calendar"


class CalendarError(ValueError):
    pass


@dataclass(frozen=True)
class Calendar:
    as_of: date  # the first day of the rehearsal
    shift: timedelta

    def line(self) -> str:
        return f"{self.as_of.isoformat()} {self.shift.total_seconds():.3f}\n"


def resolve(var_dir: Path, as_of: date | None) -> Calendar | None:
    """The folder's calendar: the stored one; else a new one starting on `as_of`; else None
    (the real calendar). Asking a folder for another start than its own is refused: its data
    would go back in time."""
    path = var_dir / FILE
    if path.exists():
        first, seconds = path.read_text().split()
        stored = Calendar(date.fromisoformat(first), timedelta(seconds=float(seconds)))
        if as_of is not None and as_of != stored.as_of:
            raise CalendarError(
                f"{var_dir} already runs on a calendar that started on "
                f"{stored.as_of.isoformat()}; use another --var-dir for {as_of.isoformat()}")
        return stored
    if as_of is None:
        return None
    if (var_dir / "nats.url").exists():
        raise CalendarError(f"{var_dir} has run on the real calendar; use another --var-dir "
                            f"for a rehearsal from {as_of.isoformat()}")
    # Whole milliseconds, as stored: every process reads the same shift.
    calendar = Calendar(as_of, timedelta(seconds=round(shift_to(as_of).total_seconds(), 3)))
    var_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(calendar.line())
    return calendar
