"""Escalation: the standing office proposes a decided exemplar to the provincial board for an
award granted above the chair (Bằng khen của Chủ tịch UBND tỉnh). The case stays decided; the
proposal is recorded on it, in the audit log and in one `escalated` event."""

from __future__ import annotations

from exemplar.auth import Principal
from exemplar.clock import today
from exemplar.concurrency import commit, require_current
from exemplar.errors import Conflict, RuleViolation
from exemplar.events import ExemplarEscalatedV1, Nominee
from exemplar.profile import Award, Profile
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from ..cases.domain import S
from ..cases.service import get_case
from ..cases.store import Case
from . import store
from .apply import reference
from .checks import chair_unit

GRANTED = ("recognised", "commended")


def _check_case(case: Case) -> None:
    if case.status == S.revoked:
        raise Conflict(f"{case.nominee_name}: quyết định khen thưởng đã bị thu hồi; không thể "
                       "trình cấp trên.", fields={"case_id": "đã bị thu hồi"})
    if case.status != S.decided or case.outcome not in GRANTED:
        raise Conflict(f"{case.nominee_name}: chỉ điển hình đã được công nhận hoặc khen "
                       "thưởng mới được trình cấp trên.", fields={"case_id": "chưa được khen"})
    if case.escalated_on is not None:
        raise Conflict(f"{case.nominee_name}: đã được trình cấp trên ngày "
                       f"{case.escalated_on:%d/%m/%Y}.", fields={"case_id": "đã trình"})


def upward_award(profile: Profile, case: Case, award_id: str) -> Award:
    """An award the nominee may receive, granted by a unit above the chair's."""
    try:
        award = profile.award(award_id)
    except KeyError:
        raise RuleViolation(f"Không có danh hiệu hay hình thức khen thưởng “{award_id}”.",
                            fields={"proposed_award": "không tồn tại"}) from None
    if (case.nominee or {}).get("kind") not in award.nominee_kinds:
        raise RuleViolation(f"{award.name} không dành cho đối tượng này.",
                            fields={"proposed_award": "không hợp với đối tượng"})
    above = [u.id for u in profile.ancestors(chair_unit(profile))[1:]]
    try:
        grantor = profile.grantor_of(award.id, case.unit_id)
    except KeyError:
        grantor = None
    if grantor is None or grantor.id not in above:
        raise RuleViolation(f"{award.name} không do cấp trên quyết định: chỉ trình cấp trên "
                            "những hình thức khen thưởng vượt thẩm quyền của Chủ tịch.",
                            fields={"proposed_award": "không phải khen thưởng cấp trên"})
    return award


async def escalate_case(uow: UnitOfWork, *, profile: Profile, user: Principal, case_id: str,
                        proposed_award: str, note: str | None = None,
                        expected_version: int | None = None) -> Case:
    case = await get_case(uow, case_id)
    require_current(case.version, expected_version)
    _check_case(case)
    award = upward_award(profile, case, proposed_award)
    decision = await store.granting(uow.session, case.id, case.decision_id or "")
    case.escalated_on, case.escalated_award, case.updated_at = today(), award.id, now()
    await record(uow, actor=user.sub, action="case.escalated", entity="case", entity_id=case.id,
                 data={"nomination_id": case.nomination_id, "proposed_award": award.id,
                       "decision": decision.number if decision else None, "note": note})
    uow.stage(ExemplarEscalatedV1(
        case_id=case.id, nomination_id=case.nomination_id, unit_id=case.unit_id,
        unit_name=case.unit_name, unit_kind=case.unit_kind, year=case.year,
        nominee=Nominee.model_validate(case.nominee), field=case.field,
        proposed_award=award.id, decision=reference(decision) if decision else None,
        verified_claims=list(case.verified_claims or []), escalated_by=user.sub,
        escalated_on=case.escalated_on), subject=case.nomination_id,
        trace=case.trace_headers)
    await commit(uow)
    return case
