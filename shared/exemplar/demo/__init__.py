"""A demo year for Bù Gia Mập, driven through the four services' HTTP APIs only.

`exemplar up --demo` runs `seed` once every service is ready. Each step is a module:
units (criteria, a movement), nominations (drafts, dossiers, submissions, a list import),
review (appraisal, a return and resubmission, the Front, posting, the council, the
decision, escalation, revocation), publication (stories on the portal, the district radio
and a commune station) and reporting (quotas and the yearly report)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from . import nominations, publication, reporting, review, units
from .client import Demo

MARKER = "demo-seeded"
# The demo year is 2024, when the district still existed: a new folder seeded with it runs on
# a calendar starting on this day (after the last quota warning, before the quotas are due).
AS_OF = date(2024, 12, 2)


def seed(urls: dict[str, str], *, key_dir: Path, var_dir: Path,
         profile: Path | str | None = None, echo: Callable[[str], None] = print) -> bool:
    """Seed the demo year unless this var dir already holds it; True if it seeded."""
    marker = var_dir / MARKER
    if marker.exists():
        echo(f"demo: already seeded ({marker}), skipped")
        return False
    demo = Demo(urls, key_dir=key_dir, profile=profile, echo=echo)
    with demo:
        units.run(demo)
        year = nominations.run(demo)
        review.decide(demo, year)
        publication.run(demo, year)
        review.after_publication(demo, year)
        reporting.run(demo, year)
    marker.write_text("seeded\n")
    echo("demo: done")
    return True
