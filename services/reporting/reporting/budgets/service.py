"""Use cases of budget estimates: the unit drafts, edits and submits its estimate (the standing
office, the home government's); the finance office allocates or returns it; everyone allowed
reads it, and the district totals; the year's figures for the report. One transaction each,
everything checked before anything is written.

The bonus line is computed from the standing commendations each time a draft is read, so it
follows the decisions as they come; on submission it is frozen into the estimate, so the
finance office allocates against exactly what the unit submitted (a decision revoked or made
later changes a draft, never a submitted estimate). Returned to draft, it is live again.
Each bonus is in the estimate of the unit that grants, and pays, it; a unit that pays one and
has filed no estimate is in the totals all the same, with its bonus as it stands."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.auth import Principal
from exemplar.concurrency import commit, require_current
from exemplar.errors import Conflict
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..idempotency import Once, created_before, remember
from ..projections.queries import commendation_counts
from ..summaries import BudgetSummary
from . import access, store
from .bonus import TASK as BONUS_TASK
from .bonus import as_dict, price
from .domain import Line, Status, check_action, check_allocation, check_lines


@dataclass(frozen=True)
class Estimate:
    row: store.BudgetEstimate
    bonus: dict[str, Any]  # as frozen on submission, or computed now for a draft

    @property
    def frozen(self) -> bool:
        return self.row.bonus is not None

    @property
    def estimated(self) -> int:
        """Every line the unit typed, and the bonus line."""
        return sum(line["amount"] for line in self.row.lines) + self.bonus["amount"]


@dataclass(frozen=True)
class Pending:
    """A unit that pays bonuses this year and has filed no estimate yet: its bonus line as it
    stands, so that the district's totals never leave it out."""

    unit_id: str
    unit_name: str
    bonus: dict[str, Any]

    @property
    def estimated(self) -> int:
        return self.bonus["amount"]


async def bonus_now(session: AsyncSession, profile: Profile, *, year: int,
                    unit_ids: list[str] | None) -> dict[str, dict[str, Any]]:
    """Each unit's bonus line computed from the commendations standing now: of `unit_ids`
    (zero for a unit that pays none), or of every unit that pays one (None)."""
    counts = defaultdict(list)
    for c in await commendation_counts(session, profile, year=year, unit_ids=unit_ids):
        counts[c.unit_id].append(c)
    at = now().isoformat()
    units = list(counts) if unit_ids is None else unit_ids
    return {u: {**as_dict(price(profile.budget, counts[u])), "computed_at": at} for u in units}


async def _views(session: AsyncSession, profile: Profile,
                 rows: Sequence[store.BudgetEstimate]) -> list[Estimate]:
    drafts: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        if row.bonus is None:
            drafts[row.year].append(row.unit_id)
    live = {year: await bonus_now(session, profile, year=year, unit_ids=units)
            for year, units in drafts.items()}
    return [Estimate(row, row.bonus if row.bonus is not None else live[row.year][row.unit_id])
            for row in rows]


async def _view(session: AsyncSession, profile: Profile, row: store.BudgetEstimate) -> Estimate:
    return (await _views(session, profile, [row]))[0]


def _lines(lines: Sequence[Line]) -> list[dict[str, Any]]:
    return [asdict(line) for line in lines]


async def create_estimate(uow: UnitOfWork, *, profile: Profile, user: Principal, unit_id: str,
                          year: int, lines: Sequence[Line], notes: str | None,
                          once: Once) -> Estimate:
    """A unit's draft estimate for a year: one per unit and year (the home government's by
    the standing office). A retry of the same request answers with the estimate it made."""
    done = await created_before(uow.session, user=user, once=once)
    if done is not None:
        return await read_estimate(uow, profile=profile, user=user, estimate_id=done)
    access.check_preparer(user, profile, unit_id)
    check_lines(profile.budget.tasks, lines)
    if await store.of_unit(uow.session, unit_id=unit_id, year=year) is not None:
        raise Conflict(f"Đơn vị đã có dự toán kinh phí năm {year}; hãy sửa dự toán đó.",
                       fields={"year": f"đã có dự toán năm {year}"})
    row = store.BudgetEstimate(
        id=str(uuid.uuid4()), unit_id=unit_id, unit_name=profile.unit(unit_id).name, year=year,
        status=Status.draft, lines=_lines(lines), notes=notes, created_at=now(),
        created_by=user.sub)
    uow.session.add(row)
    remember(uow.session, user=user, once=once, object_id=row.id)
    await commit(uow)  # a concurrent twin loses on the unique key: 409
    return await _view(uow.session, profile, row)


async def _actable(uow: UnitOfWork, *, profile: Profile, user: Principal, estimate_id: str,
                   action: str, expected_version: int | None) -> store.BudgetEstimate:
    row = await store.get(uow.session, estimate_id, for_update=True)
    if row is None:
        raise access.missing(estimate_id)
    if action in ("edit", "submit"):
        access.check_own(user, profile, estimate_id, row.unit_id)
    require_current(row.version, expected_version)
    check_action(action, row.status)
    return row


async def edit_estimate(uow: UnitOfWork, *, profile: Profile, user: Principal,
                        estimate_id: str, expected_version: int | None,
                        changes: dict[str, Any]) -> Estimate:
    row = await _actable(uow, profile=profile, user=user, estimate_id=estimate_id,
                         action="edit", expected_version=expected_version)
    if "lines" in changes:
        check_lines(profile.budget.tasks, changes["lines"])
        row.lines = _lines(changes["lines"])
    if "notes" in changes:
        row.notes = changes["notes"]
    row.updated_at, row.updated_by = now(), user.sub
    await commit(uow)
    return await _view(uow.session, profile, row)


async def submit_estimate(uow: UnitOfWork, *, profile: Profile, user: Principal,
                          estimate_id: str, expected_version: int | None) -> Estimate:
    """The unit sends its draft to the finance office, the bonus line frozen as it is now."""
    row = await _actable(uow, profile=profile, user=user, estimate_id=estimate_id,
                         action="submit", expected_version=expected_version)
    live = await bonus_now(uow.session, profile, year=row.year, unit_ids=[row.unit_id])
    row.bonus, row.status = live[row.unit_id], Status.submitted
    row.submitted_at, row.submitted_by = now(), user.sub
    row.updated_at, row.updated_by = row.submitted_at, user.sub
    await commit(uow)
    return Estimate(row, row.bonus)


async def allocate_budget(uow: UnitOfWork, *, profile: Profile, user: Principal,
                          estimate_id: str, expected_version: int | None,
                          lines: Sequence[Line], total: int | None,
                          note: str | None) -> Estimate:
    """The finance office's allocation against the submitted estimate: a sum per line."""
    row = await _actable(uow, profile=profile, user=user, estimate_id=estimate_id,
                         action="allocate", expected_version=expected_version)
    estimated = [line["task"] for line in row.lines]
    if row.bonus and (row.bonus["amount"] or row.bonus["unpriced_count"]):
        estimated.append(BONUS_TASK)
    row.allocated = check_allocation(estimated, lines, total)
    row.allocation = [{"task": line.task, "amount": line.amount} for line in lines]
    row.allocation_note, row.status = note, Status.allocated
    row.allocated_at, row.allocated_by = now(), user.sub
    row.updated_at, row.updated_by = row.allocated_at, user.sub
    await commit(uow)
    return await _view(uow.session, profile, row)


async def return_estimate(uow: UnitOfWork, *, profile: Profile, user: Principal,
                          estimate_id: str, expected_version: int | None,
                          reason: str) -> Estimate:
    """Back to the unit as a draft, with the reason; its bonus line is live again."""
    row = await _actable(uow, profile=profile, user=user, estimate_id=estimate_id,
                         action="return", expected_version=expected_version)
    row.status, row.bonus = Status.draft, None
    row.returned_reason, row.returned_at, row.returned_by = reason, now(), user.sub
    row.updated_at, row.updated_by = row.returned_at, user.sub
    await commit(uow)
    return await _view(uow.session, profile, row)


async def read_estimate(uow: UnitOfWork, *, profile: Profile, user: Principal,
                        estimate_id: str) -> Estimate:
    row = await store.get(uow.session, estimate_id)
    if row is None:
        raise access.missing(estimate_id)
    access.check_readable(user, estimate_id, row.unit_id)
    return await _view(uow.session, profile, row)


async def list_estimates(uow: UnitOfWork, *, profile: Profile, user: Principal,
                         year: int | None, unit_id: str | None, status: str | None,
                         limit: int, offset: int) -> tuple[list[Estimate], int]:
    """A unit's staff see their own unit's only, whatever they ask for."""
    if not access.reads_all(user):
        unit_id = user.unit
    units = None if unit_id is None else [unit_id]
    rows, total = await store.search(uow.session, year=year, unit_ids=units, status=status,
                                     limit=limit, offset=offset)
    return await _views(uow.session, profile, rows), total


def _unit_name(profile: Profile, unit_id: str) -> str:
    known = {u.id: u.name for u in profile.units}
    return known.get(unit_id, unit_id)


async def _year(session: AsyncSession, profile: Profile, *, year: int,
                unit_ids: list[str] | None) -> tuple[list[Estimate], list[Pending]]:
    """The year's estimates (of `unit_ids`, when given) and the units that pay a bonus or
    have one to settle but filed no estimate."""
    rows = await store.of_year(session, year=year, unit_ids=unit_ids)
    live = await bonus_now(session, profile, year=year, unit_ids=unit_ids)
    empty = {**as_dict(price(profile.budget, [])), "computed_at": now().isoformat()}
    estimates = [Estimate(row, row.bonus if row.bonus is not None
                          else live.get(row.unit_id, empty)) for row in rows]
    filed = {row.unit_id for row in rows}
    pending = [Pending(u, _unit_name(profile, u), bonus) for u, bonus in sorted(live.items())
               if u not in filed and (bonus["amount"] or bonus["unpriced_count"])]
    return estimates, pending


async def budget_totals(uow: UnitOfWork, *, profile: Profile,
                        year: int) -> tuple[list[Estimate], list[Pending]]:
    """Every unit's estimate of the year, with its bonus line and allocation; and every unit
    that pays a bonus but has not estimated yet, with its bonus as it stands."""
    return await _year(uow.session, profile, year=year, unit_ids=None)


async def year_summary(session: AsyncSession, profile: Profile, *, year: int,
                       unit_id: str | None) -> BudgetSummary:
    """Over the year's estimates (of `unit_id` and the units below it, when given): what
    they estimate with their bonus lines, what was allocated, the bonus, and how many
    commendations the bonus lines could not price; a unit that pays a bonus and has not
    estimated yet counts with its bonus as it stands."""
    units = None if unit_id is None else [u.id for u in profile.descendants(unit_id)]
    estimates, pending = await _year(session, profile, year=year, unit_ids=units)
    bonuses = [e.bonus for e in estimates] + [p.bonus for p in pending]
    return BudgetSummary(estimated=sum(e.estimated for e in [*estimates, *pending]),
                         allocated=sum(e.row.allocated or 0 for e in estimates),
                         bonus=sum(b["amount"] for b in bonuses),
                         unpriced=sum(b["unpriced_count"] for b in bonuses))
