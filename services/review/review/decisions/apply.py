"""Applying a pending decision: every nomination it lists is decided at once, or none is.

Each item is checked again at this moment (a complaint may have come in since it was prepared,
a nomination may have been withdrawn); then each case takes its outcome and moves to decided,
and one `decided` event per case carries what publication and reporting need — the verified
achievements only, since a story must never claim more than appraisal verified."""

from __future__ import annotations

from exemplar.auth import Principal
from exemplar.clock import today
from exemplar.concurrency import commit
from exemplar.errors import Conflict
from exemplar.events import CaseDecidedV1, DecisionRef, Nominee
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from ..cases.domain import S
from ..cases.service import move
from ..cases.store import Case
from ..cases.store import lock as lock_cases
from . import checks, store
from .checks import Item, Planned
from .service import get_decision


def reference(decision: store.Decision) -> DecisionRef:
    return DecisionRef(number=decision.number, signed_on=decision.signed_on,
                       signer=decision.signer, signer_title=decision.signer_title)


def verified_summary(case: Case) -> str | None:
    """The achievements appraisal verified, never the unit's own summary: that may carry
    what was found unverified or overstated."""
    return "; ".join(case.verified_claims) if case.verified_claims else None


async def apply_decision(uow: UnitOfWork, *, profile: Profile, user: Principal,
                         decision_id: str) -> store.Decision:
    decision = await get_decision(uow, decision_id)
    if decision.kind != store.COMMENDATION:
        raise Conflict("Quyết định thu hồi đã có hiệu lực khi ký; không có gì để thi hành.")
    if decision.status == store.APPLIED:
        raise Conflict(f"Quyết định số {decision.number} đã được thi hành.",
                       fields={"status": "đã thi hành"})
    items = await store.items_of(uow.session, decision.id)
    await lock_cases(uow.session, [i.case_id for i in items])
    planned = await checks.plan(
        uow.session, profile=profile, fast_track=decision.fast_track, today=today(),
        decision_id=decision.id, lead=f"Chưa thể thi hành quyết định số {decision.number}",
        items=[Item(i.case_id, i.grant, i.award, tuple(i.reasons)) for i in items])
    ref = reference(decision)
    for step in planned:
        await _decide(uow, step, decision, ref, profile=profile, actor=user.sub)
    decision.status, decision.applied_by, decision.applied_at = store.APPLIED, user.sub, now()
    await record(uow, actor=user.sub, action="decision.applied", entity="decision",
                 entity_id=decision.id, data={"number": decision.number,
                                              "decided": len(planned)})
    await commit(uow)
    return decision


async def _decide(uow: UnitOfWork, step: Planned, decision: store.Decision, ref: DecisionRef,
                  *, profile: Profile, actor: str) -> None:
    case, award = step.case, step.award
    case.outcome, case.decision_id = step.outcome, decision.id
    case.award = award.id if award else None
    case.fast_track = decision.fast_track and step.grant  # a grant that skipped the council
    if not step.grant:
        case.reasons = step.reasons
    await move(uow, case, S.decided, profile=profile, actor=actor, action="case.decided",
               data={"decision": decision.number, "outcome": step.outcome,
                     "award": case.award, "fast_track": case.fast_track})
    uow.stage(CaseDecidedV1(
        case_id=case.id, nomination_id=case.nomination_id, revision=case.revision,
        unit_id=case.unit_id, unit_name=case.unit_name, unit_kind=case.unit_kind,
        year=case.year, nominee=Nominee.model_validate(case.nominee), field=case.field,
        outcome=step.outcome, award=case.award, award_name=award.name if award else None,
        commendation_kind=case.commendation_kind, decision=ref,
        achievement_summary=verified_summary(case),
        verified_claims=list(case.verified_claims or []), reasons=list(step.reasons),
        fast_track=case.fast_track), subject=case.nomination_id, trace=case.trace_headers)
