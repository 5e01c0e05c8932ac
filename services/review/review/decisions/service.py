"""Preparing a commendation decision (pending until the chair applies it), and reading them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from exemplar.auth import Principal
from exemplar.clock import today
from exemplar.concurrency import commit
from exemplar.errors import Conflict, NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from ..cases.store import Case
from . import checks, store
from .checks import Item

NOT_FOUND = "Không tìm thấy quyết định."
# Preparations line up on PostgreSQL, so two listing the same case cannot both pass.
_LOCK = text("SELECT pg_advisory_xact_lock(7385003)")


def number_conflict(number: str) -> Conflict:
    return Conflict(f"Số quyết định “{number}” đã được dùng cho một quyết định khác.",
                    fields={"number": "đã được dùng"})


def check_signed_on(signed_on: date, *, earliest_year: int | None = None) -> None:
    """Not in the future, nor before the nomination year (Jan 1 of `earliest_year`)."""
    if signed_on > today():
        raise RuleViolation("Ngày ký quyết định không được sau ngày hôm nay.",
                            fields={"signed_on": "sau ngày hôm nay"})
    if earliest_year is not None and signed_on < date(earliest_year, 1, 1):
        raise RuleViolation(checks.signed_before(earliest_year),
                            fields={"signed_on": f"trước năm {earliest_year}"})


def chair_signer(profile: Profile) -> tuple[str, str]:
    """The chair's name and title as the profile has them."""
    chair = profile.account(profile.council.chair)
    return chair.name, f"Chủ tịch {profile.unit(chair.unit).name}"


async def add_decision(uow: UnitOfWork, decision: store.Decision) -> None:
    """Checked before writing, and guarded by the unique key against a concurrent twin."""
    if await store.number_taken(uow.session, decision.number):
        raise number_conflict(decision.number)
    uow.session.add(decision)
    try:
        await uow.session.flush([decision])
    except IntegrityError:
        raise number_conflict(decision.number) from None


async def prepare_decision(uow: UnitOfWork, *, profile: Profile, user: Principal, number: str,
                           signed_on: date, items: Sequence[Item], fast_track: bool,
                           signer: str | None = None,
                           signer_title: str | None = None) -> store.Decision:
    """One decision listing many nominations, pending until the chair applies it."""
    check_signed_on(signed_on)
    if uow.session.bind.dialect.name == "postgresql":
        await uow.session.execute(_LOCK)
    if await store.number_taken(uow.session, number):
        raise number_conflict(number)
    planned = await checks.plan(uow.session, profile=profile, items=items,
                                fast_track=fast_track, today=today(), signed_on=signed_on)
    name, title = chair_signer(profile)
    decision = store.Decision(
        id=str(uuid.uuid4()), kind=store.COMMENDATION, number=number, signed_on=signed_on,
        signer=signer or name, signer_title=signer_title or title, status=store.PENDING,
        fast_track=fast_track, prepared_by=user.sub, prepared_at=now())
    await add_decision(uow, decision)
    uow.session.add_all([store.DecisionItem(
        decision_id=decision.id, case_id=step.case.id, position=step.position,
        grant=step.grant, award=step.award.id if step.award else None, outcome=step.outcome,
        reasons=step.reasons) for step in planned])
    await record(uow, actor=user.sub, action="decision.prepared", entity="decision",
                 entity_id=decision.id, data={
                     "number": number, "signed_on": signed_on, "fast_track": fast_track,
                     "granted": sum(s.grant for s in planned),
                     "rejected": sum(not s.grant for s in planned),
                     "case_ids": [s.case.id for s in planned]})
    await commit(uow)
    return decision


async def cancel_decision(uow: UnitOfWork, *, user: Principal, decision_id: str) -> None:
    """A pending decision withdrawn before the chair signs it (a nomination on it was
    withdrawn, say): its nominations are free to be listed on another; its number too."""
    decision = await get_decision(uow, decision_id)
    if decision.status != store.PENDING:
        raise Conflict(f"Quyết định số {decision.number} đã có hiệu lực; chỉ thu hồi được "
                       "bằng một quyết định khác.", fields={"status": "đã thi hành"})
    await record(uow, actor=user.sub, action="decision.cancelled", entity="decision",
                 entity_id=decision.id, data={"number": decision.number})
    await store.drop(uow.session, decision)
    await commit(uow)


@dataclass(frozen=True)
class Listed:
    """A decision's item with the case it decides."""

    item: store.DecisionItem
    case: Case


async def get_decision(uow: UnitOfWork, decision_id: str) -> store.Decision:
    decision = await store.get(uow.session, decision_id)
    if decision is None:
        raise NotFound(NOT_FOUND, fields={"decision_id": "không tồn tại"})
    return decision


async def listed(uow: UnitOfWork, decision: store.Decision) -> list[Listed]:
    """The annex in order, each item with its case (one query for all the cases)."""
    if decision.kind == store.REVOCATION:
        return await _revoked_case(uow, decision)
    items = await store.items_of(uow.session, decision.id)
    ids = [i.case_id for i in items]
    cases = {c.id: c for c in await uow.session.scalars(select(Case).where(Case.id.in_(ids)))}
    return [Listed(i, cases[i.case_id]) for i in items if i.case_id in cases]


async def _revoked_case(uow: UnitOfWork, decision: store.Decision) -> list[Listed]:
    """A revocation lists one case: what it revokes is the grant of the decision it names."""
    case = await uow.session.get(Case, decision.case_id) if decision.case_id else None
    if case is None:
        return []
    item = store.DecisionItem(decision_id=decision.id, case_id=case.id, position=1,
                              grant=False, award=case.award, outcome="revoked",
                              reasons=[decision.reason or ""])
    return [Listed(item, case)]
