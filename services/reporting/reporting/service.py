"""Use cases of the reporting service."""

from __future__ import annotations

from exemplar.events import NominationSubmittedV1
from exemplar.uow import UnitOfWork

from . import store


async def count_submission(uow: UnitOfWork, submitted: NominationSubmittedV1) -> None:
    """A nomination counts once per unit and year, whatever its number of revisions."""
    fact = await uow.session.get(store.NominationFact, submitted.nomination_id)
    if fact is None:
        uow.session.add(store.NominationFact(
            nomination_id=submitted.nomination_id, unit_id=submitted.unit_id,
            unit_name=submitted.unit_name, unit_kind=submitted.unit_kind, year=submitted.year,
            revision=submitted.revision, status="submitted",
            submitted_at=submitted.submitted_at))
    elif submitted.revision > fact.revision:
        fact.revision, fact.status = submitted.revision, "submitted"


async def submissions_per_unit(uow: UnitOfWork, *, year: int,
                               unit_id: str | None) -> list[tuple[str, str, int]]:
    return await store.submitted_per_unit(uow.session, year=year, unit_id=unit_id)
