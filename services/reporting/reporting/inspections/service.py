"""Use cases of inspections: plan, edit (and move through the stages), read, record a unit's
findings and recommendations, record the follow-up; and the year's figures for the report.
One transaction each, everything checked before anything is written."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.auth import Principal
from exemplar.clock import today
from exemplar.concurrency import commit, require_current
from exemplar.errors import NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..access import scope
from ..idempotency import Once, created_before, remember
from ..summaries import InspectionSummary
from . import access, store
from .domain import (
    FollowUp,
    Member,
    Recommendation,
    Status,
    check_editable,
    check_follow_up,
    check_period,
    check_recordable,
    check_recorded_within,
    check_removable,
    check_team,
    check_transition,
    check_units_exist,
    recommendations_kept,
)

Plan = tuple[store.Inspection, list[store.InspectedUnit]]


def unit_names(profile: Profile, unit_ids: Sequence[str], *, period_from: date,
               period_to: date) -> dict[str, str]:
    """Each unit's name; unknown or repeated units, and units that do not exist during the
    inspection, are refused, each one named."""
    known = {u.id: u for u in profile.units}
    wrong = {f"units[{i}]": "không có đơn vị này" for i, u in enumerate(unit_ids)
             if u not in known}
    wrong |= {f"units[{i}]": "trùng đơn vị" for i, u in enumerate(unit_ids)
              if u in unit_ids[:i]}
    if wrong:
        names = [unit_ids[int(k[6:-1])] for k in wrong]
        raise RuleViolation("Đơn vị được kiểm tra không hợp lệ: " + ", ".join(names) + ".",
                            fields=wrong)
    check_units_exist([known[u] for u in unit_ids], period_from=period_from,
                      period_to=period_to)
    return {u: known[u].name for u in unit_ids}


async def plan_inspection(uow: UnitOfWork, *, profile: Profile, user: Principal, year: int,
                          title: str, content: str, period_from: date, period_to: date,
                          team: Sequence[Member], unit_ids: Sequence[str], once: Once) -> Plan:
    """A retry of the same request answers with the plan it made."""
    done = await created_before(uow.session, user=user, once=once)
    if done is not None:
        return await read_inspection(uow, user=user, inspection_id=done)
    check_period(year=year, period_from=period_from, period_to=period_to)
    check_team(team)
    names = unit_names(profile, unit_ids, period_from=period_from, period_to=period_to)
    inspection = store.Inspection(
        id=str(uuid.uuid4()), year=year, title=title, content=content, period_from=period_from,
        period_to=period_to, team=[asdict(m) for m in team], status=Status.planned,
        created_at=now(), created_by=user.sub)
    units = [store.InspectedUnit(inspection_id=inspection.id, unit_id=u, unit_name=n,
                                 position=i, findings=[], recommendations=[])
             for i, (u, n) in enumerate(names.items())]
    uow.session.add(inspection)
    await uow.session.flush()  # the plan before its units (their foreign key)
    uow.session.add_all(units)
    remember(uow.session, user=user, once=once, object_id=inspection.id)
    await commit(uow)
    return inspection, units


async def _units(uow: UnitOfWork, inspection: store.Inspection) -> list[store.InspectedUnit]:
    return (await store.units_of(uow.session, [inspection.id]))[inspection.id]


async def _change_units(uow: UnitOfWork, inspection: store.Inspection,
                        current: Sequence[store.InspectedUnit], names: dict[str, str]) -> None:
    by_id = {u.unit_id: u for u in current}
    check_removable({u.unit_id: u.unit_name for u in current
                     if u.unit_id not in names and u.inspected_on is not None})
    for unit in current:
        if unit.unit_id not in names:
            await uow.session.delete(unit)
    for i, (unit_id, name) in enumerate(names.items()):
        if unit_id in by_id:
            by_id[unit_id].position = i
        else:
            uow.session.add(store.InspectedUnit(
                inspection_id=inspection.id, unit_id=unit_id, unit_name=name, position=i,
                findings=[], recommendations=[]))


async def edit_inspection(uow: UnitOfWork, *, profile: Profile, user: Principal,
                          inspection_id: str, expected_version: int | None,
                          changes: dict[str, Any]) -> Plan:
    """Change the plan (until it is done) and/or move it on (`status`). A new period must
    keep the days units were already inspected on, and the units must exist during it."""
    inspection = await store.get(uow.session, inspection_id, for_update=True)
    if inspection is None:
        raise access.missing(inspection_id)
    require_current(inspection.version, expected_version)
    target = changes.pop("status", inspection.status)
    if changes:
        check_editable(inspection.status)
    period_from = changes.get("period_from", inspection.period_from)
    period_to = changes.get("period_to", inspection.period_to)
    check_period(year=inspection.year, period_from=period_from, period_to=period_to)
    if "team" in changes:
        check_team(changes["team"])
        changes["team"] = [asdict(m) for m in changes["team"]]
    current = await _units(uow, inspection)
    moved = "period_from" in changes or "period_to" in changes
    if moved:
        check_recorded_within(period_from=period_from, period_to=period_to,
                              recorded={u.unit_name: u.inspected_on for u in current
                                        if u.inspected_on is not None})
    unit_ids = changes.pop("unit_ids", None)
    if unit_ids is not None or moved:
        names = unit_names(profile, unit_ids or [u.unit_id for u in current],
                           period_from=period_from, period_to=period_to)
    if unit_ids is not None:
        await _change_units(uow, inspection, current, names)
        await uow.session.flush()
    uninspected = {u.unit_id: u.unit_name for u in await _units(uow, inspection)
                   if u.inspected_on is None}
    check_transition(inspection.status, target, uninspected=uninspected)
    for name, value in changes.items():
        setattr(inspection, name, value)
    inspection.status = target
    inspection.updated_at, inspection.updated_by = now(), user.sub
    await commit(uow)
    return inspection, await _units(uow, inspection)


async def read_inspection(uow: UnitOfWork, *, user: Principal, inspection_id: str) -> Plan:
    """A unit's staff see a plan only if it inspects their unit, and only their unit in it."""
    inspection = await store.get(uow.session, inspection_id)
    if inspection is None:
        raise access.missing(inspection_id)
    units = (await store.units_of(uow.session, [inspection_id],
                                  unit_id=access.own_unit(user)))[inspection_id]
    if not units and access.own_unit(user) is not None:
        raise access.missing(inspection_id)
    return inspection, units


async def list_inspections(uow: UnitOfWork, *, profile: Profile, user: Principal,
                           year: int | None, status: str | None, unit_id: str | None,
                           limit: int, offset: int) -> tuple[list[Plan], int]:
    """The plans inspecting `unit_id` (a unit's staff: always their own unit)."""
    own = access.own_unit(user)
    rows, total = await store.search(uow.session, year=year, status=status,
                                     unit_id=scope(user, profile, unit_id), limit=limit,
                                     offset=offset)
    units = await store.units_of(uow.session, [r.id for r in rows], unit_id=own)
    return [(r, units[r.id]) for r in rows], total


async def read_inspected_unit(uow: UnitOfWork, *, user: Principal, inspection_id: str,
                              unit_id: str) -> store.InspectedUnit:
    own = access.own_unit(user)
    if own is not None and own != unit_id:
        raise access.unit_missing(unit_id)
    unit = await store.get_unit(uow.session, inspection_id, unit_id)
    if unit is None:
        raise access.unit_missing(unit_id)
    return unit


async def record_findings(uow: UnitOfWork, *, user: Principal, inspection_id: str,
                          unit_id: str, expected_version: int | None, inspected_on: date,
                          findings: Sequence[str],
                          recommendations: Sequence[Recommendation]) -> store.InspectedUnit:
    """What the team found at a unit and what it recommends; recorded again, a recommendation
    whose text is unchanged keeps its follow-up."""
    inspection = await store.get(uow.session, inspection_id, for_update=True)
    if inspection is None:
        raise access.missing(inspection_id)
    unit = await store.get_unit(uow.session, inspection_id, unit_id, for_update=True)
    if unit is None:
        raise access.unit_missing(unit_id)
    require_current(unit.version, expected_version)
    check_recordable(status=inspection.status, inspected_on=inspected_on,
                     period_from=inspection.period_from, period_to=inspection.period_to,
                     today=today(), recommendations=recommendations)
    unit.inspected_on, unit.findings = inspected_on, list(findings)
    unit.recommendations = recommendations_kept(unit.recommendations, recommendations)
    unit.recorded_at, unit.recorded_by = now(), user.sub
    await commit(uow)
    return unit


async def record_follow_up(uow: UnitOfWork, *, user: Principal, inspection_id: str,
                           unit_id: str, number: int, expected_version: int | None,
                           status: FollowUp, note: str | None) -> store.InspectedUnit:
    """How far the unit has got with recommendation `number` (1, 2, …)."""
    access.check_follow_up_unit(user, unit_id)
    unit = await store.get_unit(uow.session, inspection_id, unit_id, for_update=True)
    if unit is None:
        raise access.unit_missing(unit_id)
    if not 1 <= number <= len(unit.recommendations):
        raise NotFound(f"Không có kiến nghị số {number}.",
                              fields={"number": str(number)})
    require_current(unit.version, expected_version)
    old = unit.recommendations[number - 1]
    check_follow_up(number=number, current=old["status"], target=status)
    changed = {**old, "status": status.value, "note": note if note is not None else old["note"],
               "updated_by": user.sub, "updated_at": now().isoformat()}
    unit.recommendations = [changed if i == number - 1 else r
                            for i, r in enumerate(unit.recommendations)]
    await commit(uow)
    return unit


async def year_summary(session: AsyncSession, *, year: int, unit_id: str | None,
                       unit_ids: list[str] | None = None) -> InspectionSummary:
    """The year's plans (those that inspect the unit or a unit below it, when `unit_id` is
    given: `unit_ids` names them all, `unit_id` alone when it does not) and, over the units
    inspected (those units only), how many units, findings and recommendations; a unit
    inspected by two plans counts once. "open" counts every recommendation not yet done
    (open or in progress)."""
    covered = None if unit_id is None else (unit_ids or [unit_id])
    plans, units = await store.of_year(session, year=year, unit_ids=covered)
    recommendations = [r for u in units for r in u.recommendations]
    done = sum(1 for r in recommendations if r["status"] == FollowUp.done)
    return InspectionSummary(
        plans=plans, units_inspected=len({u.unit_id for u in units if u.inspected_on}),
        findings=sum(len(u.findings) for u in units), recommendations=len(recommendations),
        recommendations_done=done, recommendations_open=len(recommendations) - done)
