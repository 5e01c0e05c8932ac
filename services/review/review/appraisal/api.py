"""HTTP routes of appraisal: the office's appraisal of a case, the case's eligibility and
appraisal history, and the ranking of a unit's candidates for one award."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from exemplar.concurrency import IfMatch, expected_version
from exemplar.errors import RuleViolation
from exemplar.runtime import RuntimeDep, Uow

from ..access import Deliberator, Office, Reader, readable_or_404
from ..cases.api import CaseRead
from . import ranking, service
from .schemas import (
    AppraisalCreate,
    AppraisalRead,
    CapRead,
    EligibilityRead,
    ProblemRead,
    RankingRead,
    RankRead,
)

router = APIRouter(tags=["appraisal"])
DETAIL_READERS = ("standing_office", "council_member", "chair")

@router.post("/cases/{case_id}/appraisal", response_model=CaseRead)
async def appraise_case(case_id: str, body: AppraisalCreate, user: Office, uow: Uow,
                        runtime: RuntimeDep, response: Response,
                        if_match: IfMatch = None) -> CaseRead:
    """Every achievement of the case marked once; `appraised` passes it to the council only
    when no eligibility rule is broken, `returned` sends it back with the reasons and the
    problems found."""
    case = await service.appraise_case(uow, profile=runtime.profile, actor=user.sub,
                                       case_id=case_id, form=body,
                                       expected_version=expected_version(if_match, required=False))
    response.headers["ETag"] = f'"{case.version}"'
    return CaseRead.of(case)


@router.get("/cases/{case_id}/eligibility", response_model=EligibilityRead)
async def case_eligibility(case_id: str, user: Deliberator, uow: Uow,
                           runtime: RuntimeDep) -> EligibilityRead:
    """Each problem's `detail` (another unit's nomination or award behind it) is shown to the
    standing office and the council only."""
    problems = await service.case_eligibility(uow, profile=runtime.profile, case_id=case_id)
    detailed = user.has_any(*DETAIL_READERS)
    return EligibilityRead(eligible=not problems,
                           problems=[ProblemRead(rule=p.rule, message=p.message,
                                                 detail=p.detail if detailed else None)
                                     for p in problems])


@router.get("/cases/{case_id}/appraisals", response_model=list[AppraisalRead])
async def case_appraisals(case_id: str, user: Reader, uow: Uow) -> list[AppraisalRead]:
    """The appraisals of every revision, oldest first: the unit reads the findings and
    reasons to fix its dossier."""
    case, appraisals = await service.appraisals_of(uow, case_id=case_id)
    readable_or_404(user, case.unit_id)
    return [AppraisalRead.model_validate(a) for a in appraisals]


@router.get("/rankings", response_model=RankingRead)
async def rankings(_: Deliberator, uow: Uow, runtime: RuntimeDep,
                   unit_id: Annotated[str, Query(min_length=1, max_length=100)],
                   year: Annotated[int, Query(ge=1900, le=2200)],
                   award: Annotated[str, Query(min_length=1, max_length=100)]) -> RankingRead:
    """A unit's candidates for one award in one year, in the order they take the places
    the award's share cap allows."""
    profile = runtime.profile
    try:
        profile.award(award)
    except KeyError:
        raise RuleViolation("Không có danh hiệu, hình thức khen thưởng này.",
                            fields={"award": "không có trong quy định hiện hành"}) from None
    rows, cap = await ranking.rank_candidates(uow.session, profile, unit_id=unit_id,
                                              year=year, award=award)
    return RankingRead(
        unit_id=unit_id, year=year, award=award,
        women_priority=profile.thresholds.women_priority,
        cap=CapRead(**vars(cap)) if cap else None,
        items=[RankRead(rank=r.rank, case_id=r.case.id, nomination_id=r.case.nomination_id,
                        nominee_name=r.case.nominee_name,
                        nominee_kind=r.case.nominee.get("kind"),
                        gender=r.case.nominee.get("gender"),
                        women_share=r.case.nominee.get("women_share"),
                        verified=len(r.case.verified_claims), status=r.case.status,
                        submitted_at=r.case.submitted_at, within_cap=r.within_cap)
               for r in rows])
