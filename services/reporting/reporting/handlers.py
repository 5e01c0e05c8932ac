"""Projectors: every event reporting reads goes through one projection path, the same one a
replay takes, so live figures and replayed figures cannot differ."""

from __future__ import annotations

from exemplar.events import Event
from exemplar.inbox import EventHandler
from exemplar.uow import UnitOfWork

from .projections.projector import EVENTS, current_trace_id, project


async def on_event(event: Event, uow: UnitOfWork) -> None:
    # The consumer's span continues the producer's trace: its id is the nomination's trace.
    await project(uow.session, uow.cause, event, trace_id=current_trace_id())


SUBSCRIPTIONS: dict[type[Event], EventHandler] = {cls: on_event for cls in EVENTS}
