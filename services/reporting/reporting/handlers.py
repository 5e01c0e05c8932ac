"""Projectors: every event reporting reads goes through one projection path, the same one a
replay takes, so live figures and replayed figures cannot differ."""

from __future__ import annotations

from exemplar.events import Event
from exemplar.inbox import EventHandler
from exemplar.uow import UnitOfWork

from .projections.projector import EVENTS, project, trace_id_of


async def on_event(event: Event, uow: UnitOfWork) -> None:
    await project(uow.session, uow.cause, event, trace_id=trace_id_of(uow.cause_headers))


SUBSCRIPTIONS: dict[type[Event], EventHandler] = {cls: on_event for cls in EVENTS}
