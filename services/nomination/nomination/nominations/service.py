"""Nomination use cases that keep a draft: create, edit, read, search."""

from __future__ import annotations

import uuid

from pydantic import ValidationError

from exemplar.auth import Principal
from exemplar.concurrency import commit
from exemplar.errors import NotFound, RuleViolation, StaleVersion
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from .. import dossier, links
from ..access import reads_all_units
from ..subjects.service import resolve_subject
from ..text import fold
from . import store
from .domain import (
    EDITABLE,
    S,
    nominating_unit,
    nominee_problems,
    proposal_problems,
    require_status,
)
from .schemas import NominationCreate, NominationUpdate


async def check_nomination(uow: UnitOfWork, *, profile: Profile, unit_id: str,
                           data: NominationCreate) -> None:
    """Every problem with the input at once, each naming its field; nothing is written."""
    nominating_unit(profile, unit_id, data.year)
    nominee = data.nominee.model_dump()
    problems = {**nominee_problems(nominee),
                **proposal_problems(profile, field=data.field, award=data.proposed_award,
                                    nominee_kind=data.nominee.kind)}
    problems.update(await links.movement_problems(
        uow.session, unit_id=unit_id, movement_id=data.movement_id, year=data.year))
    problems.update(await links.criteria_problems(
        uow.session, unit_id=unit_id, criteria_set_id=data.criteria_set_id,
        criteria_version=data.criteria_version, claims=[c.criterion for c in data.claims]))
    if problems:
        raise RuleViolation("Đề nghị khen thưởng không hợp lệ.", fields=problems)


async def create_draft(uow: UnitOfWork, *, profile: Profile, user: Principal,
                       data: NominationCreate, source: str = "form",
                       prospect_id: str | None = None, commit: bool = True) -> store.Nomination:
    """A draft of the user's own unit; the subject is found or created with it."""
    if any(c.evidence_ids for c in data.claims):  # files are attached to a draft afterwards
        raise RuleViolation("Đề nghị khen thưởng không hợp lệ.", fields={
            "claims": "đề nghị mới chưa có tệp minh chứng để dẫn"})
    await check_nomination(uow, profile=profile, unit_id=user.unit, data=data)
    unit = profile.unit(user.unit)
    nominee = data.nominee.model_dump(exclude_none=True)
    subject = await resolve_subject(uow.session, unit_id=unit.id, nominee=nominee)
    nominee["subject_id"] = subject.id
    at = now()
    nomination = store.Nomination(
        id=str(uuid.uuid4()), unit_id=unit.id, unit_name=unit.name, unit_kind=unit.kind,
        year=data.year, nominee_kind=data.nominee.kind, nominee=nominee,
        nominee_name=data.nominee.name, nominee_folded=fold(data.nominee.name),
        subject_id=subject.id, field=data.field, proposed_award=data.proposed_award,
        commendation_kind=data.commendation_kind, movement_id=data.movement_id,
        prospect_id=prospect_id, criteria_set_id=data.criteria_set_id,
        criteria_version=data.criteria_version, achievement_summary=data.achievement_summary,
        claims=[c.model_dump() for c in data.claims], status=S.draft, revision=0,
        source=source, created_by=user.sub, created_at=at, updated_at=at, review_reasons=[])
    nomination.criteria_version = await links.claimed_version(
        uow.session, criteria_set_id=data.criteria_set_id,
        criteria_version=data.criteria_version)
    uow.session.add(nomination)
    if commit:
        await commit(uow)
    return nomination


async def update_draft(uow: UnitOfWork, *, profile: Profile, user: Principal,
                       nomination_id: str, expected_version: int,
                       changes: NominationUpdate) -> store.Nomination:
    """Edit a draft or a returned nomination; `expected_version` comes from If-Match."""
    nomination = await own_nomination(uow, user=user, nomination_id=nomination_id)
    require_status(nomination.status, EDITABLE, "sửa")
    if nomination.version != expected_version:
        raise StaleVersion("Đề nghị đã được người khác sửa; hãy tải lại rồi sửa tiếp.")
    try:
        merged = NominationCreate.model_validate({**_as_input(nomination),
                                                  **changes.model_dump(exclude_unset=True)})
    except ValidationError as exc:  # e.g. an explicit null for a required field
        raise RuleViolation("Đề nghị khen thưởng không hợp lệ.", fields={
            ".".join(str(p) for p in e["loc"]): "bắt buộc phải có" if e["type"] in (
                "missing", "none_required") or e["input"] is None else e["msg"]
            for e in exc.errors()}) from None
    await check_nomination(uow, profile=profile, unit_id=nomination.unit_id, data=merged)
    nominee = merged.nominee.model_dump(exclude_none=True)
    subject = await resolve_subject(uow.session, unit_id=nomination.unit_id, nominee=nominee)
    nominee["subject_id"] = subject.id
    nomination.nominee, nomination.nominee_kind = nominee, merged.nominee.kind
    nomination.nominee_name, nomination.subject_id = merged.nominee.name, subject.id
    nomination.nominee_folded = fold(merged.nominee.name)
    for name in ("field", "proposed_award", "commendation_kind", "year", "movement_id",
                 "criteria_set_id", "criteria_version", "achievement_summary"):
        setattr(nomination, name, getattr(merged, name))
    nomination.claims = [c.model_dump() for c in merged.claims]
    nomination.criteria_version = await links.claimed_version(
        uow.session, criteria_set_id=merged.criteria_set_id,
        criteria_version=merged.criteria_version)
    await check_evidence(uow, nomination)
    nomination.updated_at = now()
    await commit(uow)
    return nomination


async def check_evidence(uow: UnitOfWork, nomination: store.Nomination) -> None:
    """Claims may cite only evidence files of this nomination."""
    cited = [e for claim in nomination.claims for e in claim.get("evidence_ids", [])]
    unknown = await dossier.unknown_evidence(uow.session, nomination.id, cited)
    if unknown:
        raise RuleViolation("Đề nghị khen thưởng không hợp lệ.", fields={
            "claims": f"tệp minh chứng không thuộc đề nghị này: {', '.join(unknown)}"})


def _as_input(nomination: store.Nomination) -> dict:
    return {"nominee": nomination.nominee, "field": nomination.field,
            "proposed_award": nomination.proposed_award,
            "commendation_kind": nomination.commendation_kind, "year": nomination.year,
            "movement_id": nomination.movement_id,
            "criteria_set_id": nomination.criteria_set_id,
            "criteria_version": nomination.criteria_version,
            "achievement_summary": nomination.achievement_summary,
            "claims": nomination.claims}


async def own_nomination(uow: UnitOfWork, *, user: Principal,
                         nomination_id: str) -> store.Nomination:
    """A nomination of the user's own unit, for a command; any other is 'not found'."""
    nomination = await store.get(uow.session, nomination_id)
    if nomination is None or nomination.unit_id != user.unit:  # admin is no unit's officer
        raise NotFound("Không tìm thấy đề nghị khen thưởng.")
    return nomination


async def get_nomination(uow: UnitOfWork, *, user: Principal,
                         nomination_id: str) -> store.Nomination:
    """Own unit: every status. Standing office and viewers: what was ever submitted (a draft
    withdrawn before sending stays private). Else 404."""
    nomination = await store.get(uow.session, nomination_id)
    visible = nomination is not None and (
        nomination.unit_id == user.unit
        or (reads_all_units(user) and nomination.revision > 0))
    if not visible:
        raise NotFound("Không tìm thấy đề nghị khen thưởng.")
    return nomination


async def search_nominations(uow: UnitOfWork, *, user: Principal, unit_id: str | None,
                             filters: dict, q: str | None, limit: int,
                             offset: int) -> tuple[list[store.Nomination], int]:
    own_unit = None if reads_all_units(user) else user.unit
    return await store.search(uow.session, unit_id=unit_id, own_unit=own_unit,
                              filters=filters, folded_name=fold(q) if q else None,
                              limit=limit, offset=offset)
