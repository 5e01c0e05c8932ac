"""What a session looks like to the council, the office and the Front, and in the minutes:
attendance, the agenda with who sits out and who voted, and, once closed, the totals.

Counts never appear before the close; a member's choice never appears at all (it is not
stored anywhere to appear from)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.profile import Profile

from ..cases import store as cases
from ..cases.domain import STATUS_NAMES, S
from . import store
from .domain import RESULT_NAMES, STAGE_NAMES, Stage, member_name
from .tally import quorum_met


class MemberRead(BaseModel):
    member: str
    name: str


class Attendance(MemberRead):
    present: bool
    written: bool  # absent, and voted in writing on at least one item


class RecusalRead(MemberRead):
    reason: str


class BallotRead(MemberRead):
    written: bool


class TallyRead(BaseModel):
    eligible: int
    present_eligible: int
    yes: int
    no: int
    abstain: int
    voters: int
    base: int
    base_kind: str  # "members" or "present": what the share is a share of
    share: float
    threshold: float
    quorum_met: bool
    passed: bool
    result: str
    result_name: str


class ItemRead(BaseModel):
    case_id: str
    position: int
    nominee_name: str
    nominee: dict
    unit_id: str
    unit_name: str
    proposed_award: str
    award_name: str
    case_status: str
    case_status_name: str
    recused: list[RecusalRead]
    ballots: list[BallotRead]  # who voted, in name order: never how
    tally: TallyRead | None  # only once the session is closed


class QuorumRead(BaseModel):
    present: int
    members: int
    quorum_share: float
    met: bool


class SessionRead(BaseModel):
    id: str
    title: str
    held_on: date
    status: str
    status_name: str
    members: list[Attendance]
    quorum: QuorumRead | None  # once the attendance is taken
    created_by: str
    created_at: datetime
    opened_by: str | None
    opened_at: datetime | None
    closed_by: str | None
    closed_at: datetime | None
    items: list[ItemRead]
    etag: str


class SessionSummary(BaseModel):
    id: str
    title: str
    held_on: date
    status: str
    status_name: str
    items: int
    present: int


def _award_name(profile: Profile, award: str) -> str:
    try:
        return profile.award(award).name
    except KeyError:
        return award


def _tally(profile: Profile, item: store.AgendaItem) -> TallyRead | None:
    if item.result is None:
        return None
    return TallyRead(
        eligible=item.eligible or 0, present_eligible=item.present_eligible or 0,
        yes=item.yes, no=item.no, abstain=item.abstain, voters=item.voters or 0,
        base=item.base or 0, base_kind=profile.council.base, share=item.share or 0.0,
        threshold=item.threshold or 0.0, quorum_met=bool(item.quorum_met),
        passed=bool(item.passed), result=item.result, result_name=RESULT_NAMES[item.result])


def _item(profile: Profile, item: store.AgendaItem, case: cases.Case | None,
          ballots: list[store.BallotCast], closed: bool) -> ItemRead:
    def named(member: str) -> dict:
        return {"member": member, "name": member_name(profile, member)}

    status = case.status if case else S.withdrawn
    return ItemRead(
        case_id=item.case_id, position=item.position,
        nominee_name=case.nominee_name if case else "", nominee=case.nominee if case else {},
        unit_id=case.unit_id if case else "", unit_name=case.unit_name if case else "",
        proposed_award=case.proposed_award if case else "",
        award_name=_award_name(profile, case.proposed_award) if case else "",
        case_status=status, case_status_name=STATUS_NAMES[S(status)],
        recused=[RecusalRead(**named(r["member"]), reason=r["reason"]) for r in item.recused],
        ballots=sorted((BallotRead(**named(b.member), written=b.written) for b in ballots),
                       key=lambda b: (b.name, b.member)),
        tally=_tally(profile, item) if closed else None)


def _attendance(profile: Profile, session: store.CouncilSession,
                ballots: list[store.BallotCast]) -> list[Attendance]:
    wrote = {b.member for b in ballots if b.written}
    return [Attendance(member=m, name=member_name(profile, m), present=m in session.present,
                       written=m in wrote) for m in profile.council.members]


async def session_read(db: AsyncSession, profile: Profile,
                       session: store.CouncilSession) -> SessionRead:
    items = await store.items_of(db, session.id)
    ballots = await store.ballots_of(db, session.id)
    by_case: dict[str, list[store.BallotCast]] = defaultdict(list)
    for cast in ballots:
        by_case[cast.case_id].append(cast)
    closed = session.status == Stage.closed
    found = await store.cases_by_id(db, [i.case_id for i in items])
    council = profile.council
    quorum = None if session.status == Stage.scheduled else QuorumRead(
        present=len(set(session.present) & set(council.members)),
        members=len(council.members), quorum_share=council.quorum_share,
        met=quorum_met(council, session.present))
    return SessionRead(
        id=session.id, title=session.title, held_on=session.held_on, status=session.status,
        status_name=STAGE_NAMES[Stage(session.status)],
        members=_attendance(profile, session, ballots), quorum=quorum,
        created_by=session.created_by, created_at=session.created_at,
        opened_by=session.opened_by, opened_at=session.opened_at,
        closed_by=session.closed_by, closed_at=session.closed_at,
        items=[_item(profile, item, found.get(item.case_id), by_case[item.case_id], closed)
               for item in items],
        etag=f'"{session.version}"')


async def summaries(db: AsyncSession, found: list[store.CouncilSession]) -> list[SessionSummary]:
    counts = await store.item_counts(db, [s.id for s in found])
    return [SessionSummary(id=s.id, title=s.title, held_on=s.held_on, status=s.status,
                           status_name=STAGE_NAMES[Stage(s.status)], items=counts.get(s.id, 0),
                           present=len(s.present)) for s in found]
