"""Use cases of the review service."""

from __future__ import annotations

import uuid

from exemplar.errors import NotFound
from exemplar.events import NominationSubmittedV1
from exemplar.uow import UnitOfWork, now

from . import store


async def open_case(uow: UnitOfWork, submitted: NominationSubmittedV1) -> store.Case:
    """A submitted revision of a nomination opens a case for the standing office."""
    case = store.Case(
        id=str(uuid.uuid4()), nomination_id=submitted.nomination_id,
        revision=submitted.revision, unit_id=submitted.unit_id, unit_name=submitted.unit_name,
        year=submitted.year, nominee_name=submitted.nominee.name, field=submitted.field,
        proposed_award=submitted.proposed_award, status="open", opened_at=now())
    uow.session.add(case)
    return case


async def get_case(uow: UnitOfWork, case_id: str) -> store.Case:
    case = await uow.session.get(store.Case, case_id)
    if case is None:
        raise NotFound("Không tìm thấy hồ sơ xét duyệt.")
    return case


async def list_cases(uow: UnitOfWork, *, year: int | None, limit: int,
                     offset: int) -> list[store.Case]:
    return await store.list_cases(uow.session, year=year, limit=limit, offset=offset)
