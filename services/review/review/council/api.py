"""HTTP routes of council sessions: the agenda, the attendance, conflicts of interest, the
secret ballot, the close with its tally, and the minutes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from exemplar.concurrency import IfMatch, expected_version
from exemplar.errors import Conflict
from exemplar.runtime import RuntimeDep, Uow
from exemplar.text import Text

from ..access import Deliberator, Member, Office, OfficeOrChair
from . import ballots, closing, service, store
from .domain import NotAllowed, Stage
from .store import CouncilSession
from .views import SessionRead, SessionSummary, session_read, summaries

router = APIRouter(prefix="/sessions", tags=["council"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Ids as the services make them; lists bounded so no statement outgrows the database's
# parameter limit (an agenda or an attendance is never near 500).
CaseId = Annotated[str, Field(min_length=1, max_length=36)]
AccountId = Annotated[str, Field(min_length=1, max_length=100)]
LIST_MAX = 500


class SessionCreate(_Body):
    title: Text(service.TITLE_MAX)
    held_on: date
    case_ids: list[CaseId] = Field(default=[], max_length=LIST_MAX)


class AgendaAdd(_Body):
    case_id: CaseId


class Opening(_Body):
    present: list[AccountId] = Field(max_length=LIST_MAX)


class ConflictDeclaration(_Body):
    reason: Text(ballots.REASON_MAX)


class Ballot(_Body):
    choice: Literal["yes", "no", "abstain"]


class BallotRecorded(BaseModel):
    recorded: bool  # that the ballot counts; what it said is never answered


@contextmanager
def _forbidden() -> Iterator[None]:
    try:
        yield
    except NotAllowed as exc:
        raise HTTPException(403, exc.detail) from None


async def _read(uow: Uow, runtime: RuntimeDep, session: CouncilSession,
                response: Response | None = None) -> SessionRead:
    read = await session_read(uow.session, runtime.profile, session)
    if response is not None:
        response.headers["ETag"] = read.etag
    return read


@router.post("", status_code=201, response_model=SessionRead)
async def create_session(body: SessionCreate, user: Office, uow: Uow, runtime: RuntimeDep,
                         response: Response) -> SessionRead:
    """Schedule a session with its agenda: cases that finished public posting."""
    session = await service.create_session(
        uow, profile=runtime.profile, actor=user.sub, title=body.title, held_on=body.held_on,
        case_ids=body.case_ids)
    return await _read(uow, runtime, session, response)


@router.get("", response_model=list[SessionSummary])
async def list_sessions(_: Deliberator, uow: Uow, status: Stage | None = None,
                        limit: Annotated[int, Query(ge=1, le=500)] = 50,
                        offset: Annotated[int, Query(ge=0)] = 0) -> list[SessionSummary]:
    found = await store.sessions(uow.session, status=status, limit=limit, offset=offset)
    return await summaries(uow.session, found)


@router.get("/{session_id}", response_model=SessionRead)
async def read_session(session_id: str, _: Deliberator, uow: Uow, runtime: RuntimeDep,
                       response: Response) -> SessionRead:
    """Attendance, recusals and who voted; the totals and results only once closed."""
    return await _read(uow, runtime, await service.get_session(uow, session_id), response)


@router.post("/{session_id}/agenda", status_code=201, response_model=SessionRead)
async def add_item(session_id: str, body: AgendaAdd, user: Office, uow: Uow,
                   runtime: RuntimeDep, response: Response,
                   if_match: IfMatch = None) -> SessionRead:
    """If-Match (optional): the ETag of the session as last read."""
    session = await service.add_item(
        uow, profile=runtime.profile, actor=user.sub, session_id=session_id,
        case_id=body.case_id, expected_version=expected_version(if_match, required=False))
    return await _read(uow, runtime, session, response)


@router.delete("/{session_id}/agenda/{case_id}", response_model=SessionRead)
async def remove_item(session_id: str, case_id: str, user: Office, uow: Uow,
                      runtime: RuntimeDep, response: Response,
                      if_match: IfMatch = None) -> SessionRead:
    """If-Match (optional): the ETag of the session as last read."""
    session = await service.remove_item(
        uow, actor=user.sub, session_id=session_id, case_id=case_id,
        expected_version=expected_version(if_match, required=False))
    return await _read(uow, runtime, session, response)


@router.post("/{session_id}/open", response_model=SessionRead)
async def open_session(session_id: str, body: Opening, user: OfficeOrChair, uow: Uow,
                       runtime: RuntimeDep, response: Response,
                       if_match: IfMatch = None) -> SessionRead:
    """Take the attendance (council members only); below quorum nothing can pass.
    If-Match (optional): the ETag of the session as last read."""
    session = await service.open_session(
        uow, profile=runtime.profile, actor=user.sub, session_id=session_id,
        present=body.present, expected_version=expected_version(if_match, required=False))
    return await _read(uow, runtime, session, response)


@router.post("/{session_id}/items/{case_id}/conflict", response_model=SessionRead)
async def declare_conflict(session_id: str, case_id: str, body: ConflictDeclaration,
                           user: Member, uow: Uow, runtime: RuntimeDep,
                           response: Response) -> SessionRead:
    """The calling member steps aside from this case (before voting on it)."""
    with _forbidden():
        session = await ballots.declare_conflict(
            uow, profile=runtime.profile, member=user.sub, session_id=session_id,
            case_id=case_id, reason=body.reason)
    return await _read(uow, runtime, session, response)


@router.post("/{session_id}/items/{case_id}/ballots", status_code=201,
             response_model=BallotRecorded)
async def cast_ballot(session_id: str, case_id: str, body: Ballot, user: Member, uow: Uow,
                      runtime: RuntimeDep) -> BallotRecorded:
    """A secret ballot; a member absent from the session votes in writing."""
    with _forbidden():
        await ballots.cast_ballot(uow, profile=runtime.profile, member=user.sub,
                                  session_id=session_id, case_id=case_id, choice=body.choice)
    return BallotRecorded(recorded=True)


@router.post("/{session_id}/close", response_model=SessionRead)
async def close_session(session_id: str, user: OfficeOrChair, uow: Uow,
                        runtime: RuntimeDep, response: Response,
                        if_match: IfMatch = None) -> SessionRead:
    """Tally every item; each case moves to `voted` with the council's result.
    If-Match (optional): the ETag of the session as last read."""
    session = await closing.close_session(
        uow, profile=runtime.profile, actor=user.sub, session_id=session_id,
        expected_version=expected_version(if_match, required=False))
    return await _read(uow, runtime, session, response)


@router.get("/{session_id}/minutes.docx", response_class=Response,
            responses={200: {"content": {DOCX: {}}}})
async def minutes(session_id: str, _: Deliberator, uow: Uow, runtime: RuntimeDep) -> Response:
    """The minutes of a closed session: totals and results, never a member's choice."""
    session = await service.get_session(uow, session_id)
    if session.status != Stage.closed:
        raise Conflict("Biên bản chỉ lập được khi phiên họp đã kết thúc.",
                       fields={"session_id": "phiên họp chưa kết thúc"})
    read = await session_read(uow.session, runtime.profile, session)
    from . import minutes as render  # python-docx loads with the first minutes

    content = await asyncio.to_thread(render.render, runtime.profile, read)
    name = f"bien-ban-hop-hoi-dong-{session.held_on.isoformat()}.docx"
    return Response(content, media_type=DOCX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
