"""Projectors: the events the reporting service builds its read models from."""

from __future__ import annotations

from exemplar.events import Event, NominationSubmittedV1
from exemplar.inbox import EventHandler
from exemplar.uow import UnitOfWork

from . import service


async def on_nomination_submitted(event: NominationSubmittedV1, uow: UnitOfWork) -> None:
    await service.count_submission(uow, event)


SUBSCRIPTIONS: dict[type[Event], EventHandler] = {
    NominationSubmittedV1: on_nomination_submitted,
}
