"""Submitting and withdrawing: the commands that leave the unit and emit events."""

from __future__ import annotations

import hashlib
import json

from exemplar.auth import Principal
from exemplar.concurrency import commit
from exemplar.errors import RuleViolation, StaleVersion
from exemplar.events import NominationSubmittedV1, NominationWithdrawnV1, Nominee
from exemplar.profile import Profile
from exemplar.tracing import current_trace
from exemplar.uow import UnitOfWork, now

from .. import dossier
from ..subjects.service import awards_held
from . import store
from .domain import SUBMITTABLE, WITHDRAWABLE, S, next_revision, require_status
from .schemas import NominationCreate
from .service import check_evidence, check_nomination, own_nomination


async def replayed(uow: UnitOfWork, *, user: Principal, key: str | None, operation: str,
                   request: dict) -> str | None:
    """The nomination a retried command already produced, or None for a new command.
    The same key with another request is a client error, not a retry."""
    if not key:
        return None
    found = await store.idempotent(uow.session, user.sub, key)
    if found is None:
        return None
    if (found.operation, found.request_hash) != (operation, _digest(request)):
        raise RuleViolation("Idempotency-Key này đã dùng cho một yêu cầu khác.",
                            fields={"Idempotency-Key": "đã dùng cho yêu cầu khác"})
    return found.nomination_id


def remember(uow: UnitOfWork, *, user: Principal, key: str | None, operation: str,
             request: dict, nomination_id: str) -> None:
    if key:
        uow.session.add(store.IdempotencyKey(
            user_id=user.sub, key=key, operation=operation, request_hash=_digest(request),
            nomination_id=nomination_id, created_at=now()))


def _digest(request: dict) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


async def submit_nomination(uow: UnitOfWork, *, profile: Profile, user: Principal,
                            nomination_id: str, expected_version: int | None = None,
                            idempotency_key: str | None = None) -> store.Nomination:
    """Draft or returned → submitted (a new revision), and `submitted` to review."""
    request = {"nomination_id": nomination_id}
    done = await replayed(uow, user=user, key=idempotency_key, operation="submit",
                          request=request)
    nomination = await own_nomination(uow, user=user, nomination_id=done or nomination_id)
    if done:
        return nomination
    require_status(nomination.status, SUBMITTABLE, "gửi")
    if expected_version is not None and nomination.version != expected_version:
        raise StaleVersion("Đề nghị đã được người khác sửa; hãy tải lại trước khi gửi.")
    data = NominationCreate.model_validate(
        {**{k: getattr(nomination, k) for k in NOMINATION_INPUT}, "nominee": nomination.nominee})
    await check_nomination(uow, profile=profile, unit_id=nomination.unit_id, data=data)
    await check_evidence(uow, nomination)
    nomination.revision = next_revision(nomination.status, nomination.revision)
    nomination.status, nomination.review_reasons = S.submitted, []
    nomination.submitted_by, nomination.submitted_at = user.sub, now()
    nomination.updated_at = nomination.submitted_at
    uow.stage(await submitted_event(uow, nomination), subject=nomination.id,
              trace=nomination.trace_headers)
    if nomination.trace_headers is None:  # the first submission's trace is the nomination's
        nomination.trace_headers = current_trace()
    remember(uow, user=user, key=idempotency_key, operation="submit", request=request,
             nomination_id=nomination.id)
    await commit(uow)
    return nomination


NOMINATION_INPUT = ("field", "proposed_award", "commendation_kind", "year", "movement_id",
                    "criteria_set_id", "criteria_version", "achievement_summary", "claims")


async def submitted_event(uow: UnitOfWork, nomination: store.Nomination) -> NominationSubmittedV1:
    """What review, publication and reporting need, so none of them calls back."""
    evidence_count, documents = await dossier.summary(uow.session, nomination.id)
    return NominationSubmittedV1(
        nomination_id=nomination.id, revision=nomination.revision, unit_id=nomination.unit_id,
        unit_name=nomination.unit_name, unit_kind=nomination.unit_kind, year=nomination.year,
        nominee=Nominee.model_validate(nomination.nominee), field=nomination.field,
        proposed_award=nomination.proposed_award,
        commendation_kind=nomination.commendation_kind, movement_id=nomination.movement_id,
        prospect_id=nomination.prospect_id, criteria_set_id=nomination.criteria_set_id,
        criteria_version=nomination.criteria_version,
        achievement_summary=nomination.achievement_summary, claims=nomination.claims,
        history=await awards_held(uow.session, nomination.subject_id),
        evidence_count=evidence_count, documents=documents,
        submitted_by=nomination.submitted_by, submitted_at=nomination.submitted_at)


async def withdraw_nomination(uow: UnitOfWork, *, user: Principal, nomination_id: str,
                              reason: str) -> store.Nomination:
    """The unit takes it back; review closes its case if it had one."""
    nomination = await own_nomination(uow, user=user, nomination_id=nomination_id)
    require_status(nomination.status, WITHDRAWABLE, "rút")
    was_sent = nomination.revision > 0
    nomination.status, nomination.withdrawn_reason = S.withdrawn, reason
    nomination.updated_at = now()
    if was_sent:
        uow.stage(NominationWithdrawnV1(
            nomination_id=nomination.id, revision=nomination.revision,
            unit_id=nomination.unit_id, year=nomination.year, reason=reason,
            withdrawn_by=user.sub), subject=nomination.id, trace=nomination.trace_headers)
    await commit(uow)
    return nomination
