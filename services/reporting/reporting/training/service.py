"""Use cases of training sessions: record, edit, read, list; and the year's figures for the
report. One transaction each, everything checked before anything is written."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.auth import Principal
from exemplar.concurrency import commit, require_current
from exemplar.errors import NotFound
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..access import scope, sees_all
from ..idempotency import Once, created_before, remember
from ..summaries import TrainingSummary
from . import store
from .domain import Attendance, attendance_names, check_held_on, unit_name

Session = tuple[store.Training, list[store.Participation]]
NOT_FOUND = "Không tìm thấy lớp tập huấn."


def _lines(training_id: str, names: dict[str, str],
           attendance: Sequence[Attendance]) -> list[store.Participation]:
    return [store.Participation(training_id=training_id, unit_id=a.unit_id,
                                unit_name=names[a.unit_id], position=i, count=a.count,
                                names=list(a.names))
            for i, a in enumerate(attendance)]


async def record_training(uow: UnitOfWork, *, profile: Profile, user: Principal, held_on: date,
                          topic: str, organiser_unit_id: str, place: str,
                          trainers: Sequence[str], attendance: Sequence[Attendance],
                          once: Once) -> Session:
    """A retry of the same request answers with the session it recorded."""
    done = await created_before(uow.session, user=user, once=once)
    if done is not None:
        return await read_training(uow, user=user, training_id=done)
    check_held_on(held_on)
    organiser = unit_name(profile, organiser_unit_id, "organiser_unit_id")
    names = attendance_names(profile, attendance)
    training = store.Training(
        id=str(uuid.uuid4()), year=held_on.year, held_on=held_on, topic=topic,
        organiser_unit_id=organiser_unit_id, organiser_unit_name=organiser, place=place,
        trainers=list(trainers), created_at=now(), created_by=user.sub)
    uow.session.add(training)
    await uow.session.flush()  # the session before its lines (their foreign key)
    lines = _lines(training.id, names, attendance)
    uow.session.add_all(lines)
    remember(uow.session, user=user, once=once, object_id=training.id)
    await commit(uow)
    return training, lines


async def edit_training(uow: UnitOfWork, *, profile: Profile, user: Principal, training_id: str,
                        expected_version: int | None, changes: dict[str, Any]) -> Session:
    """Correct what was recorded; `attendance`, when given, replaces every line."""
    training = await store.get(uow.session, training_id, for_update=True)
    if training is None:
        raise NotFound(NOT_FOUND, fields={"training_id": training_id})
    require_current(training.version, expected_version)
    if "held_on" in changes:
        check_held_on(changes["held_on"])
    if "organiser_unit_id" in changes:
        training.organiser_unit_name = unit_name(profile, changes["organiser_unit_id"],
                                                 "organiser_unit_id")
    attendance = changes.pop("attendance", None)
    if attendance is not None:
        names = attendance_names(profile, attendance)
        await uow.session.execute(delete(store.Participation)
                                  .where(store.Participation.training_id == training_id))
        uow.session.add_all(_lines(training_id, names, attendance))
    for name, value in changes.items():
        setattr(training, name, value)
    training.year = training.held_on.year
    training.updated_at, training.updated_by = now(), user.sub
    await commit(uow)
    return training, (await store.participation(uow.session, [training_id]))[training_id]


def _own(user: Principal) -> str | None:
    """A unit's staff see the sessions their unit attended, and only their unit's line."""
    return None if sees_all(user) else user.unit


async def read_training(uow: UnitOfWork, *, user: Principal, training_id: str) -> Session:
    training = await store.get(uow.session, training_id)
    lines = [] if training is None else (await store.participation(
        uow.session, [training_id], unit_id=_own(user)))[training_id]
    if training is None or (not lines and _own(user) is not None):
        raise NotFound(NOT_FOUND, fields={"training_id": training_id})
    return training, lines


async def list_trainings(uow: UnitOfWork, *, profile: Profile, user: Principal,
                         year: int | None, unit_id: str | None, limit: int,
                         offset: int) -> tuple[list[Session], int]:
    """The sessions `unit_id` attended (a unit's staff: always their own unit)."""
    rows, total = await store.search(uow.session, year=year,
                                     unit_id=scope(user, profile, unit_id), limit=limit,
                                     offset=offset)
    lines = await store.participation(uow.session, [r.id for r in rows], unit_id=_own(user))
    return [(r, lines[r.id]) for r in rows], total


async def year_summary(session: AsyncSession, *, year: int, unit_id: str | None,
                       unit_ids: list[str] | None = None) -> TrainingSummary:
    """Sessions held in the year, people trained and units that sent someone; for a unit
    (with the units below it: `unit_ids` names them all, `unit_id` alone when it does not),
    the sessions they attended, their people and how many of them sent someone."""
    covered = None if unit_id is None else (unit_ids or [unit_id])
    sessions, people, units = await store.year_figures(session, year=year, unit_ids=covered)
    return TrainingSummary(sessions=sessions, participants=people, units=units)
