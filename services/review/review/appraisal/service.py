"""Appraising a case: the office marks every achievement, states the facts it established,
and either passes the case to the council or returns it to the unit with reasons."""

from __future__ import annotations

import uuid

from exemplar.concurrency import commit, require_current
from exemplar.errors import InvalidTransition, RuleViolation
from exemplar.events import CaseAppraisedV1, CaseReturnedV1
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..cases.domain import STATUS_NAMES, S, achievements
from ..cases.service import get_case, move
from ..cases.store import Case
from . import eligibility, store
from .domain import coverage_errors, tally
from .eligibility import Problem
from .schemas import AppraisalCreate


async def appraise_case(uow: UnitOfWork, *, profile: Profile, actor: str, case_id: str,
                        expected_version: int | None, form: AppraisalCreate) -> Case:
    """One transaction: everything is checked before anything is written."""
    case = await get_case(uow, case_id)
    require_current(case.version, expected_version)
    if case.status != S.open:
        raise InvalidTransition(
            f"Hồ sơ đang ở bước “{STATUS_NAMES[S(case.status)]}”: chỉ thẩm định được hồ sơ "
            f"“{STATUS_NAMES[S.open]}”.")
    findings = _findings(case, form, profile)
    facts = form.facts.model_dump()
    verified = sum(f["verdict"] == "verified" for f in findings)
    problems = [*await eligibility.check(uow.session, case=case, profile=profile, facts=facts,
                                         verified=verified),
                *eligibility.findings_problems(findings, profile.thresholds)]
    reasons = _reasons(form, problems)
    appraisal = store.Appraisal(
        id=str(uuid.uuid4()), case_id=case.id, revision=case.revision, outcome=form.outcome,
        findings=findings, facts=facts, problems=[_shape(p) for p in problems],
        reasons=reasons, note=form.note, appraised_by=actor, appraised_at=now())
    uow.session.add(appraisal)
    if form.outcome == "appraised":
        await _pass(uow, case, appraisal, profile=profile)
    else:
        await _return(uow, case, appraisal, profile=profile)
    await commit(uow)
    return case


def _findings(case: Case, form: AppraisalCreate, profile: Profile) -> list[dict]:
    """The form's findings, each with the achievement's text, in the case's order; refused
    unless they cover every achievement once and the facts the award needs are there."""
    texts = achievements(case.claims, case.achievement_summary)
    errors = coverage_errors([f.achievement for f in form.findings], texts)
    errors |= _facts_errors(case, form, profile)
    if errors:
        raise RuleViolation("Phiếu thẩm định chưa hợp lệ.", fields=errors)
    return sorted(({"achievement": f.achievement, "text": texts[f.achievement],
                    "verdict": f.verdict, "note": f.note} for f in form.findings),
                  key=lambda f: f["achievement"])


def _reasons(form: AppraisalCreate, problems: list[Problem]) -> list[str]:
    """Passing needs no problem at all; returning needs a reason, the problems found being
    reasons the unit is told too."""
    if form.outcome == "appraised":
        _refuse_if_ineligible(problems)
        return list(form.reasons)
    reasons = list(dict.fromkeys([*form.reasons, *(p.message for p in problems)]))
    if not reasons:
        raise RuleViolation("Trả lại hồ sơ phải nêu lý do.",
                            fields={"reasons": "cần ít nhất một lý do trả lại"})
    return reasons


def _facts_errors(case: Case, form: AppraisalCreate, profile: Profile) -> dict[str, str]:
    """A collective title's share rule needs the count of members holding the other title."""
    holding, total = form.facts.members_holding, case.nominee.get("member_count")
    if holding is not None and total is not None and holding > total:
        return {"facts.members_holding": f"lớn hơn tổng số thành viên của tập thể ({total})"}
    try:
        award = profile.award(case.proposed_award)
    except KeyError:
        return {}  # an unknown award is an eligibility problem, named there
    if form.outcome == "appraised" and award.member_share_min is not None and holding is None:
        of = eligibility.award_name(profile, award.member_share_of)
        return {"facts.members_holding": f"bắt buộc với “{award.name}”: số thành viên "
                                         f"đạt “{of}”"}
    return {}


def _refuse_if_ineligible(problems: list[Problem]) -> None:
    """The refusal goes to the standing office alone: it reads each problem in full."""
    if not problems:
        return
    fields: dict[str, str] = {}
    for problem in problems:
        fields[problem.rule] = " ".join(filter(None, [fields.get(problem.rule),
                                                      problem.full]))
    raise RuleViolation("Hồ sơ chưa đủ điều kiện chuyển Hội đồng: "
                        + " ".join(p.full for p in problems), fields=fields)


def _shape(problem: Problem) -> dict[str, str]:
    """As stored on the appraisal, which the unit reads: never the detail."""
    return {"rule": problem.rule, "message": problem.message}


async def _pass(uow: UnitOfWork, case: Case, appraisal: store.Appraisal, *,
                profile: Profile) -> None:
    counts = tally([f["verdict"] for f in appraisal.findings])
    case.verified_claims = [f["text"] for f in appraisal.findings
                            if f["verdict"] == "verified"]
    await move(uow, case, S.appraised, profile=profile, actor=appraisal.appraised_by,
               action="case.appraised", data={"appraisal_id": appraisal.id, **counts})
    uow.stage(CaseAppraisedV1(
        case_id=case.id, nomination_id=case.nomination_id, revision=case.revision,
        unit_id=case.unit_id, year=case.year, note=appraisal.note,
        appraised_by=appraisal.appraised_by, **counts), subject=case.nomination_id,
        trace=case.trace_headers)


async def _return(uow: UnitOfWork, case: Case, appraisal: store.Appraisal, *,
                  profile: Profile) -> None:
    case.reasons = list(appraisal.reasons)
    await move(uow, case, S.returned, profile=profile, actor=appraisal.appraised_by,
               action="case.returned",
               data={"appraisal_id": appraisal.id, "reasons": appraisal.reasons})
    uow.stage(CaseReturnedV1(
        case_id=case.id, nomination_id=case.nomination_id, revision=case.revision,
        unit_id=case.unit_id, year=case.year, reasons=appraisal.reasons,
        returned_by=appraisal.appraised_by), subject=case.nomination_id,
        trace=case.trace_headers)


async def case_eligibility(uow: UnitOfWork, *, profile: Profile,
                           case_id: str) -> list[Problem]:
    """The rules as they stand now, with the facts of the latest appraisal if there is one;
    past appraisal, the subject's pending cases no longer count as held."""
    case = await get_case(uow, case_id)
    latest = await store.latest(uow.session, case.id)
    stage = (eligibility.APPRAISAL if case.status in (S.open, S.returned) else "decision")
    return await eligibility.check(uow.session, case=case, profile=profile,
                                   facts=latest.facts if latest else None, stage=stage)


async def appraisals_of(uow: UnitOfWork, *, case_id: str) -> tuple[Case, list[store.Appraisal]]:
    case = await get_case(uow, case_id)
    return case, await store.of_case(uow.session, case.id)
