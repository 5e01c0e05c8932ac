"""Use cases of the publication service."""

from __future__ import annotations

from exemplar.events import NominationSubmittedV1
from exemplar.uow import UnitOfWork, now

from . import store


async def record_pending(uow: UnitOfWork, submitted: NominationSubmittedV1) -> None:
    """Keep the newest revision of a submitted nomination as pending publication."""
    settled = await uow.session.get(store.SettledNomination, submitted.nomination_id)
    if settled is not None and settled.revision >= submitted.revision:
        return  # decided or withdrawn since: a late delivery of what came before
    pending = await uow.session.get(store.PendingExemplar, submitted.nomination_id)
    if pending is None:
        pending = store.PendingExemplar(nomination_id=submitted.nomination_id)
        uow.session.add(pending)
    elif pending.revision >= submitted.revision:
        return  # an older revision arriving late changes nothing
    pending.revision = submitted.revision
    pending.unit_id, pending.unit_name = submitted.unit_id, submitted.unit_name
    pending.year, pending.field = submitted.year, submitted.field
    pending.nominee_name = submitted.nominee.name
    pending.received_at = now()


async def settle_pending(uow: UnitOfWork, *, nomination_id: str, revision: int) -> None:
    """A decision (any outcome) or a withdrawal: the nomination waits no more."""
    pending = await uow.session.get(store.PendingExemplar, nomination_id)
    if pending is not None and pending.revision <= revision:
        await uow.session.delete(pending)
    settled = await uow.session.get(store.SettledNomination, nomination_id)
    if settled is None:
        uow.session.add(store.SettledNomination(nomination_id=nomination_id,
                                                revision=revision, settled_at=now()))
    elif settled.revision < revision:
        settled.revision, settled.settled_at = revision, now()


async def list_pending(uow: UnitOfWork, *, year: int | None, limit: int,
                       offset: int) -> list[store.PendingExemplar]:
    return await store.list_pending(uow.session, year=year, limit=limit, offset=offset)
