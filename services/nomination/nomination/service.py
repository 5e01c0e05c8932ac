"""Use cases of the nomination service: one transaction each, the only committer."""

from __future__ import annotations

import uuid

from exemplar.auth import Principal
from exemplar.errors import NotFound
from exemplar.events import NominationSubmittedV1, Nominee
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from . import store
from .domain import NominationStatus, check_proposal, nominating_unit

READ_ALL_ROLES = ("standing_office", "viewer", "admin")


async def submit_nomination(uow: UnitOfWork, *, profile: Profile, user: Principal,
                            nominee: Nominee, field: str, proposed_award: str,
                            commendation_kind: str, year: int,
                            achievement_summary: str) -> store.Nomination:
    """Record a nomination of the user's own unit as submitted and emit `submitted`."""
    unit = nominating_unit(profile, user.unit, year)
    check_proposal(profile, field=field, award=proposed_award, nominee_kind=nominee.kind)
    at = now()
    nomination = store.Nomination(
        id=str(uuid.uuid4()), unit_id=unit.id, unit_name=unit.name, year=year,
        nominee=nominee.model_dump(mode="json"), nominee_name=nominee.name, field=field,
        proposed_award=proposed_award, commendation_kind=commendation_kind,
        achievement_summary=achievement_summary, status=NominationStatus.submitted,
        revision=1, created_by=user.sub, created_at=at, submitted_at=at)
    uow.session.add(nomination)
    uow.stage(NominationSubmittedV1(
        nomination_id=nomination.id, revision=1, unit_id=unit.id, unit_name=unit.name,
        unit_kind=unit.kind, year=year, nominee=nominee, field=field,
        proposed_award=proposed_award, commendation_kind=commendation_kind,
        achievement_summary=achievement_summary, submitted_by=user.sub, submitted_at=at),
        subject=nomination.id)
    await uow.commit()
    return nomination


def _scope(user: Principal) -> str | None:
    """The unit a user is confined to; None for roles that read every unit."""
    return None if user.has_any(*READ_ALL_ROLES) else user.unit


async def get_nomination(uow: UnitOfWork, *, user: Principal,
                         nomination_id: str) -> store.Nomination:
    """Another unit's nomination is 'not found', so its existence does not leak."""
    nomination = await store.get(uow.session, nomination_id)
    scope = _scope(user)
    if nomination is None or (scope is not None and nomination.unit_id != scope):
        raise NotFound("Không tìm thấy đề nghị khen thưởng.")
    return nomination


async def list_nominations(uow: UnitOfWork, *, user: Principal, year: int | None, limit: int,
                           offset: int) -> list[store.Nomination]:
    return await store.list_visible(uow.session, unit_id=_scope(user), year=year, limit=limit,
                                    offset=offset)
