"""Cases: opened and reopened by submissions, closed by withdrawals, and the one way every
feature moves a case from stage to stage (with its due date and its audit entry)."""

from __future__ import annotations

import logging
import uuid
from datetime import date

from exemplar.clock import today
from exemplar.errors import NotFound
from exemplar.events import NominationSubmittedV1, NominationWithdrawnV1
from exemplar.profile import Profile
from exemplar.tracing import delivered_trace
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from . import store
from .domain import MOVES, S, check_move, due_on

log = logging.getLogger(__name__)
NOT_FOUND = "Không tìm thấy hồ sơ xét duyệt."


async def move(uow: UnitOfWork, case: store.Case, to: S, *, profile: Profile, actor: str,
               action: str, data: dict | None = None, clock_from: date | None = None) -> None:
    """Move `case` to `to` (refused if the stage does not allow it), start the new stage's
    clock (today, or `clock_from` when the stage's work can only start later) and append the
    change to the audit log, all in the caller's transaction."""
    check_move(case.status, to)
    since = today()
    before = case.status
    case.status, case.stage_since, case.updated_at = to, since, now()
    case.due_on = due_on(to, max(since, clock_from or since), profile.deadlines)
    await record(uow, actor=actor, action=action, entity="case", entity_id=case.id,
                 data={"nomination_id": case.nomination_id, "revision": case.revision,
                       "from": before, "to": str(to), **(data or {})})


def _dossier(case: store.Case, event: NominationSubmittedV1, headers: dict[str, str]) -> None:
    case.revision, case.unit_id, case.unit_name = event.revision, event.unit_id, event.unit_name
    case.unit_kind, case.year, case.field = event.unit_kind, event.year, event.field
    case.nominee = event.nominee.model_dump(mode="json")
    case.nominee_name, case.subject_id = event.nominee.name, event.nominee.subject_id
    case.proposed_award, case.commendation_kind = event.proposed_award, event.commendation_kind
    case.achievement_summary = event.achievement_summary
    case.claims = [c.model_dump(mode="json") for c in event.claims]
    case.history = [h.model_dump(mode="json") for h in event.history]
    case.documents, case.evidence_count = list(event.documents), event.evidence_count
    case.submitted_by, case.submitted_at = event.submitted_by, event.submitted_at
    case.reasons, case.verified_claims = [], []
    case.trace_headers = delivered_trace(headers) or case.trace_headers


async def open_case(uow: UnitOfWork, event: NominationSubmittedV1, *,
                    profile: Profile) -> store.Case | None:
    """A first submission opens a case; a resubmission after a return reopens it with the
    new revision's dossier. A stale or repeated revision changes nothing."""
    case = await store.by_nomination(uow.session, event.nomination_id)
    if case is not None and case.submitted_at is None:
        reasons = case.reasons  # a withdrawal came first: the case stays withdrawn
        _dossier(case, event, uow.cause_headers)
        case.revision, case.reasons = max(case.revision, event.revision), reasons
        return None
    if case is None:
        case = store.Case(id=str(uuid.uuid4()), nomination_id=event.nomination_id,
                          status=S.open, opened_at=now(), fast_track=False)
        _dossier(case, event, uow.cause_headers)
        case.stage_since = today()
        case.due_on = due_on(S.open, case.stage_since, profile.deadlines)
        uow.session.add(case)
        await uow.session.flush([case])
        await record(uow, actor=event.submitted_by, action="case.opened", entity="case",
                     entity_id=case.id, data={"nomination_id": case.nomination_id,
                                              "revision": case.revision, "to": S.open})
        return case
    if event.revision <= case.revision or S.open not in MOVES[S(case.status)]:
        log.info("submission ignored", extra={"case": case.id, "status": case.status})
        return None
    _dossier(case, event, uow.cause_headers)
    await move(uow, case, S.open, profile=profile, actor=event.submitted_by,
               action="case.reopened")
    return case


async def close_case(uow: UnitOfWork, event: NominationWithdrawnV1, *,
                     profile: Profile) -> None:
    case = await store.by_nomination(uow.session, event.nomination_id)
    if case is None:
        await _withdrawn_before_submitted(uow, event)
        return
    if S.withdrawn not in MOVES[S(case.status)]:
        log.info("withdrawal ignored", extra={"nomination": event.nomination_id})
        return
    case.reasons = [event.reason]
    await move(uow, case, S.withdrawn, profile=profile, actor=event.withdrawn_by,
               action="case.withdrawn", data={"reason": event.reason})


async def _withdrawn_before_submitted(uow: UnitOfWork, event: NominationWithdrawnV1) -> None:
    """The two events travel on separate consumers, so a withdrawal may overtake its
    submission: keep it as a withdrawn case, which the submission then only fills in (a
    case without `submitted_at` is not listed)."""
    case = store.Case(
        id=str(uuid.uuid4()), nomination_id=event.nomination_id, revision=event.revision,
        unit_id=event.unit_id, unit_name="", unit_kind="", year=event.year, nominee={},
        nominee_name="", field="", proposed_award="", commendation_kind="regular",
        status=S.withdrawn, reasons=[event.reason], opened_at=now(), fast_track=False)
    uow.session.add(case)
    await record(uow, actor=event.withdrawn_by, action="case.withdrawn", entity="case",
                 entity_id=case.id, data={"nomination_id": case.nomination_id,
                                          "revision": case.revision, "to": S.withdrawn,
                                          "reason": event.reason})


async def get_case(uow: UnitOfWork, case_id: str) -> store.Case:
    case = await store.get(uow.session, case_id)
    if case is None:
        raise NotFound(NOT_FOUND, fields={"case_id": "không tồn tại"})
    return case
