"""Reporting counts the year, reads the quota table and produces the yearly report.

A title counts for the quota of the year its first story went out, and an escalation for
the year it was sent: the demo publishes and escalates "today", which on the demo's calendar
(`AS_OF`) is in 2024, the nominations' year. On the real calendar (a folder that had already
run without it) those figures are this year's, when the default profile's units, which end
on 2025-06-30, owe no quota."""

from __future__ import annotations

from ..clock import today
from .client import Demo

OFFICE = "noi-vu.head"


def totals(demo: Demo, year: int) -> dict:
    return demo.get("reporting", "/dashboard", OFFICE, params={"year": year})["totals"]


def run(demo: Demo, year: int) -> None:
    counted = today().year
    want = {"submitted": 5, "commended": 2, "revoked": 1}

    def decided() -> dict | None:
        seen = totals(demo, year)
        return seen if all(seen[k] >= n for k, n in want.items()) else None

    seen = demo.wait_for(f"reporting's totals of {year}", decided)
    demo.step(f"reporting: {year}: {seen['submitted']} submitted, {seen['commended']} "
              f"commended, {seen['revoked']} revoked")

    def publicised() -> dict | None:
        seen = totals(demo, counted)
        return seen if seen["publicised"] >= 2 and seen["escalated"] >= 1 else None

    seen = demo.wait_for(f"reporting's publicised and escalated of {counted}", publicised)
    demo.step(f"reporting: {counted}: {seen['publicised']} exemplars publicised in "
              f"{seen['stories']} stories, {seen['escalated']} escalated")
    table = demo.get("reporting", "/quotas", OFFICE, params={"year": counted})
    met = [x["unit_id"] for x in table["lines"] if x["status"] == "met"]
    if table["lines"]:
        demo.step(f"reporting: quotas of {counted}: {table['summary']} (met: "
                  f"{', '.join(met) or 'none'})")
    else:
        demo.step(f"reporting: quotas of {counted}: no unit of the profile owes one "
                  "this year")
    response = demo.call("GET", "reporting", "/reports/annual", OFFICE,
                         params={"year": year})
    demo.step(f"reporting: yearly report of {year} "
              f"({response.headers.get('content-type', '').split(';')[0]}, "
              f"{len(response.content)} bytes)")
