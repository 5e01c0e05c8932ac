"""The calendar a data folder runs on: the real one, or a rehearsal's (`exemplar up --as-of`).

The shift is kept in the folder (`calendar`), so a restart, or a service restarted after a
crash, goes on with the same dates instead of jumping back to the first morning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .clock import SHIFT_VARIABLE, shift_to
from .clock import shift as clock_shift

FILE = "calendar"


class CalendarError(ValueError):
    pass


@dataclass(frozen=True)
class Calendar:
    as_of: date  # the first day of the rehearsal
    shift: timedelta

    def line(self) -> str:
        return f"{self.as_of.isoformat()} {self.shift.total_seconds():.3f}\n"


def stored(var_dir: Path) -> Calendar | None:
    """The folder's rehearsal calendar, if it has one."""
    path = var_dir / FILE
    if not path.exists():
        return None
    try:
        first, seconds = path.read_text().split()
        return Calendar(date.fromisoformat(first), timedelta(seconds=float(seconds)))
    except ValueError:
        raise CalendarError(f"{path} is damaged: it should read 'YYYY-MM-DD SECONDS'; "
                            "use another --var-dir") from None


def check_process(var_dir: Path) -> None:
    """A service refuses to start on a shifted clock unless its folder is a rehearsal's with
    that very shift: a variable left in an environment file must never backdate decisions,
    and processes disagreeing on the date would leave events in an outbox."""
    calendar, shift = stored(var_dir), clock_shift()
    if calendar is None and shift:
        raise CalendarError(f"{SHIFT_VARIABLE} is set but {var_dir} is not a rehearsal's "
                            "folder (no calendar): unset it, or start with exemplar up --as-of")
    if calendar is not None and abs(calendar.shift - shift) > timedelta(seconds=1):
        raise CalendarError(f"{var_dir} runs on a rehearsal calendar from "
                            f"{calendar.as_of.isoformat()}; start it with exemplar up")


def resolve(var_dir: Path, as_of: date | None) -> Calendar | None:
    """The folder's calendar: the stored one; else a new one starting on `as_of`; else None
    (the real calendar). Asking a folder for another start than its own is refused: its data
    would go back in time."""
    kept = stored(var_dir)
    if kept is not None:
        if as_of is not None and as_of != kept.as_of:
            raise CalendarError(
                f"{var_dir} already runs on a calendar that started on "
                f"{kept.as_of.isoformat()}; use another --var-dir for {as_of.isoformat()}")
        return kept
    if as_of is None:
        return None
    if (var_dir / "nats.url").exists():
        raise CalendarError(f"{var_dir} has run on the real calendar; use another --var-dir "
                            f"for a rehearsal from {as_of.isoformat()}")
    # Whole milliseconds, as stored: every process reads the same shift.
    calendar = Calendar(as_of, timedelta(seconds=round(shift_to(as_of).total_seconds(), 3)))
    var_dir.mkdir(parents=True, exist_ok=True)
    partial = var_dir / f"{FILE}.tmp"
    partial.write_text(calendar.line())
    partial.replace(var_dir / FILE)  # whole or absent, never half written
    return calendar
