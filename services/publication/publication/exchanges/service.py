"""Use cases of exchanges and ceremonies: schedule, edit, record afterwards, read; and, when a
decision is revoked, the exemplar taken off the meetings still to come. One transaction each,
everything checked before anything is written."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.auth import Principal
from exemplar.clock import today
from exemplar.concurrency import commit, require_current
from exemplar.errors import NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..access import channel_scope
from . import access, store
from .domain import Kind, Occasion, Status, check_editable, check_occasion, check_record

NO_STORY = "chưa có tin bài đã được duyệt hoặc đã đăng"
REVIEW = "review"  # who changes a meeting when a decision is revoked


async def presented_exemplars(session: AsyncSession,
                              nomination_ids: list[str]) -> list[dict[str, Any]]:
    """Each exemplar as its story presents it; one without an approved or published story
    (never checked against its decision, or revoked) may not be presented."""
    ids = list(dict.fromkeys(nomination_ids))
    stories = await store.presentable_stories(session, ids)
    missing = {i: n for i, n in enumerate(nomination_ids) if n not in stories}
    if missing:
        raise RuleViolation(
            "Chỉ giới thiệu gương điển hình đã có tin bài được duyệt hoặc đã đăng; chưa có: "
            + ", ".join(dict.fromkeys(missing.values())) + ".",
            fields={f"exemplars[{i}]": f"{n}: {NO_STORY}" for i, n in missing.items()})
    return [{"nomination_id": n, "nominee_name": stories[n].nominee.get("name"),
             "unit_id": stories[n].unit_id, "unit_name": stories[n].unit_name,
             "award_name": stories[n].award_name, "year": stories[n].year,
             "story_id": stories[n].id} for n in ids]


async def schedule_exchange(uow: UnitOfWork, *, profile: Profile, user: Principal, kind: Kind,
                            title: str, held_on: date, place: str, audience: str,
                            channel_id: str | None, nomination_ids: list[str],
                            occasion: Occasion | None) -> store.Exchange:
    channel_id = access.organising_channel(user, profile, channel_id)
    check_occasion(kind, occasion)
    exemplars = await presented_exemplars(uow.session, nomination_ids)
    exchange = store.Exchange(
        id=str(uuid.uuid4()), kind=kind, title=title, held_on=held_on, planned_on=held_on,
        place=place, audience=audience, channel_id=channel_id, exemplars=exemplars,
        occasion_kind=occasion.kind if occasion else None,
        occasion_name=occasion.name if occasion else None, status=Status.scheduled,
        removed=[], created_at=now(), created_by=user.sub)
    uow.session.add(exchange)
    await commit(uow)
    return exchange


async def _actable(uow: UnitOfWork, *, user: Principal, exchange_id: str,
                   expected_version: int | None) -> store.Exchange:
    exchange = await store.get(uow.session, exchange_id, for_update=True)
    if exchange is None:
        raise NotFound(access.NOT_FOUND, fields={"exchange_id": "không tồn tại"})
    access.organiser_of(user, exchange.channel_id)
    require_current(exchange.version, expected_version)
    return exchange


def occasion_of(exchange: store.Exchange) -> Occasion | None:
    if exchange.occasion_kind is None:
        return None
    return Occasion(kind=exchange.occasion_kind, name=exchange.occasion_name or "")


async def edit_exchange(uow: UnitOfWork, *, user: Principal, exchange_id: str,
                        expected_version: int | None, changes: dict[str, Any]) -> store.Exchange:
    """Change what is planned (before it is recorded); the ceremony rule holds after it."""
    exchange = await _actable(uow, user=user, exchange_id=exchange_id,
                              expected_version=expected_version)
    check_editable(exchange.status)
    occasion = changes.pop("occasion") if "occasion" in changes else occasion_of(exchange)
    check_occasion(Kind(changes.get("kind", exchange.kind)), occasion)
    if "nomination_ids" in changes:
        exchange.exemplars = await presented_exemplars(uow.session,
                                                       changes.pop("nomination_ids"))
    if "held_on" in changes:
        exchange.planned_on = changes["held_on"]
    for name, value in changes.items():
        setattr(exchange, name, value)
    exchange.occasion_kind = occasion.kind if occasion else None
    exchange.occasion_name = occasion.name if occasion else None
    exchange.updated_at, exchange.updated_by = now(), user.sub
    await commit(uow)
    return exchange


async def record_exchange(uow: UnitOfWork, *, user: Principal, exchange_id: str,
                          expected_version: int | None, held: bool, attendance: int,
                          notes: str | None, held_on: date | None) -> store.Exchange:
    """What happened, once the day has come: held or not, how many attended."""
    exchange = await _actable(uow, user=user, exchange_id=exchange_id,
                              expected_version=expected_version)
    on = held_on or exchange.held_on
    check_record(status=exchange.status, held=held, attendance=attendance, on=on,
                 today=today())
    exchange.status = Status.held if held else Status.not_held
    exchange.held, exchange.attendance, exchange.notes = held, attendance, notes
    exchange.held_on = on
    exchange.recorded_at, exchange.recorded_by = now(), user.sub
    exchange.updated_at, exchange.updated_by = exchange.recorded_at, user.sub
    await commit(uow)
    return exchange


async def drop_revoked(uow: UnitOfWork, *, nomination_id: str, reason: str) -> int:
    """In the revocation's transaction (the caller commits): the exemplar leaves every meeting
    not yet recorded, each noting who was taken off and why, so the organiser sees what
    changed; a recorded meeting stays as it was held. How many meetings changed."""
    changed = await store.scheduled_presenting(uow.session, nomination_id)
    at = now()
    for exchange in changed:
        gone = [x for x in exchange.exemplars if x.get("nomination_id") == nomination_id]
        exchange.exemplars = [x for x in exchange.exemplars
                              if x.get("nomination_id") != nomination_id]
        exchange.removed = [*exchange.removed, {
            "nomination_id": nomination_id, "nominee_name": gone[0].get("nominee_name"),
            "reason": reason, "removed_at": at.isoformat()}]
        exchange.updated_at, exchange.updated_by = at, REVIEW
    return len(changed)


async def read_exchange(uow: UnitOfWork, *, user: Principal, exchange_id: str) -> store.Exchange:
    exchange = await store.get(uow.session, exchange_id)
    if exchange is None:
        raise NotFound(access.NOT_FOUND, fields={"exchange_id": "không tồn tại"})
    access.readable_or_404(user, exchange.channel_id)
    return exchange


async def list_exchanges(uow: UnitOfWork, *, user: Principal, filters: dict[str, Any],
                         year: int | None, limit: int,
                         offset: int) -> tuple[list[store.Exchange], int]:
    return await store.search(uow.session, channels=channel_scope(user), filters=filters,
                              year=year, limit=limit, offset=offset)
