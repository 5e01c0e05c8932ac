"""Events the publication service consumes: a submitted nomination is pending until it is
decided or withdrawn; decisions, escalations and good deeds become drafts on the channels
that subscribe to them; a revocation takes their stories down."""

from __future__ import annotations

from exemplar.events import (
    CaseDecidedV1,
    DecisionRevokedV1,
    ExemplarEscalatedV1,
    GoodDeedReportedV1,
    NominationSubmittedV1,
    NominationWithdrawnV1,
)
from exemplar.profile import Profile
from exemplar.runtime import Handlers
from exemplar.uow import UnitOfWork

from . import service
from .stories import drafting, workflow


def subscriptions(profile: Profile) -> Handlers:
    async def on_nomination_submitted(event: NominationSubmittedV1, uow: UnitOfWork) -> None:
        await service.record_pending(uow, event)

    async def on_nomination_withdrawn(event: NominationWithdrawnV1, uow: UnitOfWork) -> None:
        await service.settle_pending(uow, nomination_id=event.nomination_id,
                                     revision=event.revision)

    async def on_review_decided(event: CaseDecidedV1, uow: UnitOfWork) -> None:
        await service.settle_pending(uow, nomination_id=event.nomination_id,
                                     revision=event.revision)
        await drafting.draft_decided(uow, event, profile=profile)

    async def on_review_escalated(event: ExemplarEscalatedV1, uow: UnitOfWork) -> None:
        await drafting.draft_escalated(uow, event, profile=profile)

    async def on_good_deed_reported(event: GoodDeedReportedV1, uow: UnitOfWork) -> None:
        await drafting.draft_good_deed(uow, event, profile=profile)

    async def on_review_revoked(event: DecisionRevokedV1, uow: UnitOfWork) -> None:
        await workflow.withdraw_nomination(
            uow, nomination_id=event.nomination_id,
            reason=f"Thu hồi theo {event.revocation.number}: {event.reason}")

    return {NominationSubmittedV1: on_nomination_submitted,
            NominationWithdrawnV1: on_nomination_withdrawn,
            CaseDecidedV1: on_review_decided,
            ExemplarEscalatedV1: on_review_escalated,
            GoodDeedReportedV1: on_good_deed_reported,
            DecisionRevokedV1: on_review_revoked}
