"""Revocation: the chair signs a decision revoking a grant. It takes effect when signed, so the
decision row is written applied, the case moves to revoked, and one `revoked` event names the
decision revoked (publication takes its stories down on it)."""

from __future__ import annotations

import uuid
from datetime import date

from exemplar.auth import Principal
from exemplar.concurrency import commit, require_current
from exemplar.errors import Conflict, RuleViolation
from exemplar.events import DecisionRevokedV1
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from ..cases.domain import S
from ..cases.service import get_case, move
from . import store
from .apply import reference
from .escalation import GRANTED
from .service import add_decision, chair_signer, check_signed_on, number_conflict


async def revoke_case(uow: UnitOfWork, *, profile: Profile, user: Principal, case_id: str,
                      number: str, signed_on: date, reason: str,
                      expected_version: int | None = None) -> store.Decision:
    case = await get_case(uow, case_id)
    require_current(case.version, expected_version)
    if case.status == S.revoked:
        raise Conflict(f"{case.nominee_name}: quyết định khen thưởng đã bị thu hồi.",
                       fields={"case_id": "đã thu hồi"})
    granted = await store.granting(uow.session, case.id, case.decision_id or "")
    if case.status != S.decided or case.outcome not in GRANTED or granted is None:
        raise Conflict(f"{case.nominee_name}: chỉ thu hồi được khen thưởng đã được quyết "
                       "định; hồ sơ này không được công nhận hay khen thưởng.",
                       fields={"case_id": "không có khen thưởng để thu hồi"})
    check_signed_on(signed_on, earliest_year=case.year)
    if signed_on < granted.signed_on:
        raise RuleViolation(f"Quyết định thu hồi không thể ký trước quyết định số "
                            f"{granted.number} ({granted.signed_on:%d/%m/%Y}) mà nó thu hồi.",
                            fields={"signed_on": "trước quyết định bị thu hồi"})
    if await store.number_taken(uow.session, number):
        raise number_conflict(number)
    signer, title = chair_signer(profile)
    revocation = store.Decision(
        id=str(uuid.uuid4()), kind=store.REVOCATION, number=number, signed_on=signed_on,
        signer=signer, signer_title=title, status=store.APPLIED, fast_track=False,
        case_id=case.id, revokes_id=granted.id, reason=reason, prepared_by=user.sub,
        prepared_at=now(), applied_by=user.sub, applied_at=now())
    await add_decision(uow, revocation)
    await record(uow, actor=user.sub, action="decision.revocation", entity="decision",
                 entity_id=revocation.id, data={"number": number, "signed_on": signed_on,
                                                "case_id": case.id, "revokes": granted.number,
                                                "reason": reason})
    case.reasons = [reason]
    await move(uow, case, S.revoked, profile=profile, actor=user.sub, action="case.revoked",
               data={"decision": number, "revokes": granted.number, "reason": reason})
    uow.stage(DecisionRevokedV1(
        case_id=case.id, nomination_id=case.nomination_id, unit_id=case.unit_id,
        year=case.year, decision_number=granted.number, reason=reason,
        revocation=reference(revocation)), subject=case.nomination_id,
        trace=case.trace_headers)
    await commit(uow)
    return revocation
