"""Quota use cases: the table for a year, and the early warnings."""

from __future__ import annotations

from datetime import date

from exemplar.events import QuotaAtRiskV1
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..figures import tallies
from ..projections.upsert import insert_missing
from .rules import QuotaLine, assess
from .store import QuotaWarning


async def quota_table(uow: UnitOfWork, profile: Profile, *, year: int, on: date,
                      unit_id: str | None = None) -> list[QuotaLine]:
    """Judged on `on`: an exemplar counts from the day its first story went out, an
    escalation from its day; what came later does not count yet. `unit_id`: only that
    unit's line, reading only its own tallies and those below it."""
    units = None if unit_id is None else [u.id for u in profile.descendants(unit_id)]
    by_then = on.isoformat()
    publicised: dict[str, int] = {}
    for f in await tallies(uow.session, years=[year], measures=["publicised"],
                           dimensions=["day"], unit_ids=units):
        if f.value <= by_then:
            publicised[f.unit_id] = publicised.get(f.unit_id, 0) + f.count
    escalated = 0
    if unit_id is None or unit_id == profile.home_unit().id:
        escalated = sum(f.count for f in await tallies(
            uow.session, years=[year], measures=["escalated"], dimensions=["day"])
            if f.value <= by_then)
    return assess(profile, year=year, publicised=publicised, escalated=escalated, on=on,
                  unit_id=unit_id)


async def warn_at_risk(uow: UnitOfWork, profile: Profile, *, on: date) -> list[QuotaLine]:
    """From each of the profile's warning days until the report is due, tell every unit
    still short of a quota, once per unit, quota and period (`quota_at_risk`). Returns the
    lines warned now."""
    year, period = on.year, profile.quotas.warning_period(on)
    if period is None:
        return []
    warned = []
    for line in await quota_table(uow, profile, year=year, on=on):
        if line.status != "at_risk":
            continue
        if not await insert_missing(uow.session, QuotaWarning, dict(
                unit_id=line.unit_id, year=year, quota=line.quota, period=period,
                achieved=line.achieved,
                warned_at=now())):
            continue  # warned in this period already
        uow.stage(QuotaAtRiskV1(unit_id=line.unit_id, unit_name=line.unit_name, year=year,
                                quota=line.quota, required=line.required,
                                achieved=line.achieved, due_on=line.due_on),
                  subject=line.unit_id)
        warned.append(line)
    await uow.commit()
    return warned
