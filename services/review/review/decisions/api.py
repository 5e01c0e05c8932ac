"""HTTP routes of decisions: prepared by the office or the chair, applied by the chair alone;
the decision document and the certificates; escalation upward and revocation of a case."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from exemplar.concurrency import IfMatch, expected_version
from exemplar.runtime import RuntimeDep, Uow
from exemplar.text import Text

from ..access import Chair, DecisionReader, Office, OfficeOrChair
from ..cases.api import CaseRead
from . import service, store
from .apply import apply_decision
from .certificates import ascii_name, certificates
from .checks import Item
from .documents import decision_document
from .escalation import escalate_case
from .paper import paper_of
from .revocation import revoke_case

router = APIRouter(tags=["decisions"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


Number, Reason, Name = Text(50), Text(2000), Text(200)


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: str = Field(min_length=1, max_length=36)
    grant: bool
    award: str | None = Field(None, max_length=100)  # default: the award the unit proposed
    reasons: list[Reason] = Field(default_factory=list, max_length=20)


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: Number
    signed_on: date
    items: list[ItemCreate] = Field(min_length=1, max_length=1000)
    fast_track: bool = False
    signer: Name | None = None  # default: the chair, as the profile names them
    signer_title: Name | None = None


class ItemRead(BaseModel):
    position: int
    case_id: str
    nomination_id: str
    nominee_name: str
    nominee_kind: str | None
    unit_id: str
    unit_name: str
    year: int
    grant: bool
    award: str | None
    award_name: str | None
    outcome: str
    reasons: list[str]
    case_status: str


class DecisionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    number: str
    signed_on: date
    signer: str
    signer_title: str | None
    status: str
    fast_track: bool
    case_id: str | None
    revokes_id: str | None
    reason: str | None
    prepared_by: str
    prepared_at: datetime
    applied_by: str | None
    applied_at: datetime | None
    granted: int = 0
    rejected: int = 0


class DecisionRead(DecisionSummary):
    items: list[ItemRead]


class DecisionPage(BaseModel):
    items: list[DecisionSummary]
    total: int


class EscalationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    proposed_award: str = Field(min_length=1, max_length=100)
    note: Reason | None = None


class RevocationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: Number
    signed_on: date
    reason: Reason


async def _read(uow, runtime, decision: store.Decision) -> DecisionRead:
    awards = {a.id: a.name for a in runtime.profile.awards}
    items = [ItemRead(
        position=e.item.position, case_id=e.case.id, nomination_id=e.case.nomination_id,
        nominee_name=e.case.nominee_name, nominee_kind=(e.case.nominee or {}).get("kind"),
        unit_id=e.case.unit_id, unit_name=e.case.unit_name, year=e.case.year,
        grant=e.item.grant, award=e.item.award, award_name=awards.get(e.item.award or ""),
        outcome=e.item.outcome, reasons=list(e.item.reasons or []), case_status=e.case.status)
        for e in await service.listed(uow, decision)]
    return DecisionRead.model_validate({
        **DecisionSummary.model_validate(decision).model_dump(), "items": items,
        "granted": sum(i.grant for i in items),
        "rejected": sum(not i.grant for i in items) if decision.kind == store.COMMENDATION
        else 0})


@router.post("/decisions", status_code=201, response_model=DecisionRead)
async def prepare_decision(body: DecisionCreate, user: OfficeOrChair, uow: Uow,
                           runtime: RuntimeDep, response: Response) -> DecisionRead:
    """One decision listing many nominations (granted with their award, or rejected with
    reasons), checked in full and kept pending until the chair applies it."""
    decision = await service.prepare_decision(
        uow, profile=runtime.profile, user=user, number=body.number,
        signed_on=body.signed_on, fast_track=body.fast_track, signer=body.signer,
        signer_title=body.signer_title,
        items=[Item(i.case_id, i.grant, i.award, tuple(i.reasons)) for i in body.items])
    response.headers["Location"] = f"/decisions/{decision.id}"
    return await _read(uow, runtime, decision)


@router.get("/decisions", response_model=DecisionPage)
async def list_decisions(_: DecisionReader, uow: Uow,
                         kind: Literal["commendation", "revocation"] | None = None,
                         status: Literal["pending", "applied"] | None = None,
                         limit: Annotated[int, Query(ge=1, le=500)] = 50,
                         offset: Annotated[int, Query(ge=0)] = 0) -> DecisionPage:
    rows, total = await store.search(uow.session, kind=kind, status=status, limit=limit,
                                     offset=offset)
    return DecisionPage(total=total, items=[
        DecisionSummary.model_validate(d).model_copy(update={"granted": g, "rejected": r})
        for d, g, r in rows])


@router.get("/decisions/{decision_id}", response_model=DecisionRead)
async def read_decision(decision_id: str, _: DecisionReader, uow: Uow,
                        runtime: RuntimeDep) -> DecisionRead:
    return await _read(uow, runtime, await service.get_decision(uow, decision_id))


@router.delete("/decisions/{decision_id}", status_code=204, response_class=Response)
async def cancel(decision_id: str, user: OfficeOrChair, uow: Uow) -> Response:
    """Withdraw a decision still pending; an applied one is revoked case by case instead."""
    await service.cancel_decision(uow, user=user, decision_id=decision_id)
    return Response(status_code=204)


@router.post("/decisions/{decision_id}/apply", response_model=DecisionRead)
async def apply(decision_id: str, user: Chair, uow: Uow, runtime: RuntimeDep) -> DecisionRead:
    """The chair signs: every nomination listed is decided now, or none is."""
    decision = await apply_decision(uow, profile=runtime.profile, user=user,
                                    decision_id=decision_id)
    return await _read(uow, runtime, decision)


@router.get("/decisions/{decision_id}/document.docx", response_class=Response)
async def decision_docx(decision_id: str, _: DecisionReader, uow: Uow,
                        runtime: RuntimeDep) -> Response:
    paper = await paper_of(uow, profile=runtime.profile, decision_id=decision_id)
    content = await asyncio.to_thread(decision_document, paper)
    return _attachment(content, DOCX, f"quyet-dinh-{ascii_name(paper.number)}.docx")


@router.get("/decisions/{decision_id}/certificates.zip", response_class=Response)
async def certificates_zip(decision_id: str, _: DecisionReader, uow: Uow,
                           runtime: RuntimeDep) -> Response:
    """One certificate per grant of an applied decision, all in one ZIP."""
    paper = await paper_of(uow, profile=runtime.profile, decision_id=decision_id,
                           applied_only=True)
    content, count = await asyncio.to_thread(certificates, paper)
    response = _attachment(content, "application/zip",
                           f"giay-khen-{ascii_name(paper.number)}.zip")
    response.headers["X-Certificate-Count"] = str(count)
    return response


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.post("/cases/{case_id}/escalation", response_model=CaseRead)
async def escalate(case_id: str, body: EscalationCreate, user: Office, uow: Uow,
                   runtime: RuntimeDep, response: Response,
                   if_match: IfMatch = None) -> CaseRead:
    """Propose a decided exemplar to the provincial board for an award above the chair's.
    An If-Match with the case's ETag refuses the proposal (412) if the case changed since."""
    case = await escalate_case(uow, profile=runtime.profile, user=user, case_id=case_id,
                               proposed_award=body.proposed_award, note=body.note,
                               expected_version=expected_version(if_match, required=False))
    response.headers["ETag"] = f'"{case.version}"'
    return CaseRead.of(case)


@router.post("/cases/{case_id}/revocation", response_model=DecisionRead)
async def revoke(case_id: str, body: RevocationCreate, user: Chair, uow: Uow,
                 runtime: RuntimeDep, response: Response,
                 if_match: IfMatch = None) -> DecisionRead:
    """The chair revokes a grant by a decision of its own, in effect when signed; the case
    moves to revoked. Answers the revocation decision (its item shows the case revoked). An
    If-Match with the case's ETag refuses it (412) if the case changed since."""
    decision = await revoke_case(uow, profile=runtime.profile, user=user, case_id=case_id,
                                 number=body.number, signed_on=body.signed_on,
                                 reason=body.reason,
                                 expected_version=expected_version(if_match, required=False))
    response.headers["Location"] = f"/decisions/{decision.id}"
    return await _read(uow, runtime, decision)
