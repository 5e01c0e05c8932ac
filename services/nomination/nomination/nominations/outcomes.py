"""What review decided, shown on the nomination and kept in the subject's history."""

from __future__ import annotations

import logging

from exemplar.events import (
    CaseDecidedV1,
    CaseReturnedV1,
    DecisionRevokedV1,
    ExemplarEscalatedV1,
)
from exemplar.uow import UnitOfWork, now

from ..subjects.service import record_award, revoke_awards
from . import store
from .domain import S

log = logging.getLogger(__name__)


class OutcomeTooEarly(Exception):
    """An outcome whose prerequisite has not arrived yet (revoked before decided): the bus
    retries it with backoff, so the order of the decision's events does not matter."""


async def _current(uow: UnitOfWork, nomination_id: str, revision: int | None, what: str,
                   allowed: tuple[S, ...]) -> store.Nomination | None:
    """The nomination if `what` may apply now. Outcomes move forward only: a late or
    repeated event for an older revision, or one that would undo a later state (a returned
    after the decision, a decided after the revocation), is logged and ignored."""
    nomination = await store.get(uow.session, nomination_id)
    if nomination is None:
        log.warning("review outcome for an unknown nomination", extra={"what": what})
        return None
    stale = revision is not None and revision != nomination.revision
    if stale or nomination.status not in allowed:
        log.info("review outcome ignored", extra={"what": what, "status": nomination.status})
        return None
    return nomination


async def apply_returned(uow: UnitOfWork, event: CaseReturnedV1) -> None:
    nomination = await _current(uow, event.nomination_id, event.revision, "returned",
                                (S.submitted,))
    if nomination is not None:
        nomination.status, nomination.review_reasons = S.returned, list(event.reasons)
        nomination.updated_at = now()


async def apply_decided(uow: UnitOfWork, event: CaseDecidedV1) -> None:
    nomination = await _current(uow, event.nomination_id, event.revision, "decided",
                                (S.submitted, S.returned))
    if nomination is None:
        return
    nomination.status, nomination.updated_at = S.decided, now()
    nomination.review_reasons = list(event.reasons)
    nomination.decision = {
        "outcome": event.outcome, "award": event.award, "award_name": event.award_name,
        "fast_track": event.fast_track,
        **(event.decision.model_dump(mode="json") if event.decision else {})}
    if event.outcome != "rejected" and event.award and nomination.subject_id:
        await record_award(uow.session, subject_id=nomination.subject_id,
                           nomination_id=nomination.id, year=event.year, award=event.award,
                           award_name=event.award_name,
                           decision=event.decision.model_dump() if event.decision else None)


async def _decided(uow: UnitOfWork, nomination_id: str, what: str) -> store.Nomination | None:
    nomination = await store.get(uow.session, nomination_id)
    if nomination is not None and nomination.status in (S.submitted, S.returned):
        raise OutcomeTooEarly(f"{what} before the decision of {nomination_id}")
    return await _current(uow, nomination_id, None, what, (S.decided,))


async def apply_escalated(uow: UnitOfWork, event: ExemplarEscalatedV1) -> None:
    nomination = await _decided(uow, event.nomination_id, "escalated")
    if nomination is not None:
        nomination.escalation = {"proposed_award": event.proposed_award,
                                 "escalated_on": event.escalated_on.isoformat(),
                                 "escalated_by": event.escalated_by}
        nomination.updated_at = now()


async def apply_revoked(uow: UnitOfWork, event: DecisionRevokedV1) -> None:
    nomination = await _decided(uow, event.nomination_id, "revoked")
    if nomination is None:
        return
    nomination.status, nomination.updated_at = S.revoked, now()
    nomination.revocation = {"reason": event.reason, "decision_number": event.decision_number,
                             **event.revocation.model_dump(mode="json")}
    await revoke_awards(uow.session, nomination.id)
