"""Events the publication service consumes."""

from __future__ import annotations

from exemplar.events import Event, NominationSubmittedV1
from exemplar.inbox import EventHandler
from exemplar.uow import UnitOfWork

from . import service


async def on_nomination_submitted(event: NominationSubmittedV1, uow: UnitOfWork) -> None:
    await service.record_pending(uow, event)


SUBSCRIPTIONS: dict[type[Event], EventHandler] = {
    NominationSubmittedV1: on_nomination_submitted,
}
