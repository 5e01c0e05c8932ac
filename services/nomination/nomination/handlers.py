"""Events the nomination service consumes: what review decided about its nominations."""

from __future__ import annotations

from exemplar.events import (
    CaseDecidedV1,
    CaseReturnedV1,
    DecisionRevokedV1,
    Event,
    ExemplarEscalatedV1,
)
from exemplar.inbox import EventHandler
from exemplar.uow import UnitOfWork

from .nominations import outcomes


async def on_review_returned(event: CaseReturnedV1, uow: UnitOfWork) -> None:
    await outcomes.apply_returned(uow, event)


async def on_review_decided(event: CaseDecidedV1, uow: UnitOfWork) -> None:
    await outcomes.apply_decided(uow, event)


async def on_review_escalated(event: ExemplarEscalatedV1, uow: UnitOfWork) -> None:
    await outcomes.apply_escalated(uow, event)


async def on_review_revoked(event: DecisionRevokedV1, uow: UnitOfWork) -> None:
    await outcomes.apply_revoked(uow, event)


SUBSCRIPTIONS: dict[type[Event], EventHandler] = {
    CaseReturnedV1: on_review_returned,
    CaseDecidedV1: on_review_decided,
    ExemplarEscalatedV1: on_review_escalated,
    DecisionRevokedV1: on_review_revoked,
}
