"""Closing a session: each item is tallied, its case moves to `voted` with the council's
result, and the totals become readable."""

from __future__ import annotations

from collections import defaultdict

from exemplar.concurrency import commit
from exemplar.errors import Conflict
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from ..cases import store as cases
from ..cases.domain import MOVES, S
from ..cases.service import move
from . import store
from .domain import FAILED, PASSED, SKIPPED, WITHDRAWN, Stage
from .service import get_session
from .tally import Tally, tally


def _keep(item: store.AgendaItem, result: Tally) -> None:
    item.eligible, item.present_eligible = result.eligible, result.present_eligible
    item.voters, item.base, item.quorum_met = result.voters, result.base, result.quorum_met
    item.share, item.threshold, item.passed = result.share, result.threshold, result.passed


async def close_session(uow: UnitOfWork, *, profile: Profile, actor: str,
                        session_id: str) -> store.CouncilSession:
    session = await get_session(uow, session_id)
    if session.status != Stage.open:
        raise Conflict("Phiên họp chưa khai mạc hoặc đã kết thúc: không thể kết thúc phiên họp.",
                       fields={"session_id": f"phiên họp đang “{session.status}”"})
    # Lock the items first: ballots still being cast commit before they are counted.
    items = await store.items_of(uow.session, session_id, for_update=True)
    written: dict[str, set[str]] = defaultdict(set)
    for cast in await store.ballots_of(uow.session, session_id):
        if cast.written:
            written[cast.case_id].add(cast.member)
    found = await store.cases_by_id(uow.session, [i.case_id for i in items])
    results: dict[str, str] = {}
    for item in items:
        case = found.get(item.case_id)
        result = tally(profile.council, award=case.proposed_award if case else "",
                       present=session.present, recused=[r["member"] for r in item.recused],
                       written=written[item.case_id], yes=item.yes, no=item.no,
                       abstain=item.abstain)
        _keep(item, result)
        item.result = await _decide(uow, profile, actor, session_id, case, result)
        results[item.case_id] = item.result
    session.status, session.closed_by, session.closed_at = Stage.closed, actor, now()
    session.updated_at = session.closed_at
    await record(uow, actor=actor, action="council_session.closed", entity="council_session",
                 entity_id=session_id, data={"results": results})
    await commit(uow)
    return session


async def _decide(uow: UnitOfWork, profile: Profile, actor: str, session_id: str,
                  case: cases.Case | None, result: Tally) -> str:
    """The case moves to `voted` with the result; a case withdrawn (or decided on the fast
    track) meanwhile is left where it is and its item says so."""
    if case is None or S.voted not in MOVES[S(case.status)]:
        return WITHDRAWN if case is not None and case.status == S.withdrawn else SKIPPED
    case.council_result = PASSED if result.passed else FAILED
    await move(uow, case, S.voted, profile=profile, actor=actor, action="case.voted",
               data={"session_id": session_id, "council_result": case.council_result})
    return case.council_result
