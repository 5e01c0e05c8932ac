"""Closing a session: each item is tallied, its case moves to `voted` with the council's
result, and the totals become readable."""

from __future__ import annotations

import logging
from collections import defaultdict

from exemplar.concurrency import commit, flush
from exemplar.errors import Conflict
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from ..cases import store as cases
from ..cases.domain import MOVES, S
from ..cases.service import move
from . import store
from .domain import FAILED, PASSED, SKIPPED, STAGE_NAMES, WITHDRAWN, Stage
from .service import get_session
from .tally import Tally, tally

log = logging.getLogger(__name__)


def _keep(item: store.AgendaItem, result: Tally) -> None:
    item.eligible, item.present_eligible = result.eligible, result.present_eligible
    item.voters, item.base, item.quorum_met = result.voters, result.base, result.quorum_met
    item.share, item.threshold, item.passed = result.share, result.threshold, result.passed


async def close_session(uow: UnitOfWork, *, profile: Profile, actor: str, session_id: str,
                        expected_version: int | None = None) -> store.CouncilSession:
    """Locks first, in the order every council use case takes them (the session, its items,
    their cases), so no ballot is left out and the audit chain is locked only after them."""
    session = await get_session(uow, session_id, for_update=True,
                                expected_version=expected_version)
    if session.status != Stage.open:
        stage = STAGE_NAMES[Stage(session.status)]
        raise Conflict("Phiên họp chưa khai mạc hoặc đã kết thúc: không thể kết thúc phiên họp.",
                       fields={"session_id": f"phiên họp ở trạng thái “{stage}”"})
    # The session is closed first. On SQLite that write takes the database's write lock:
    # ballots in flight commit before the items are read, later ones find the session closed.
    # On PostgreSQL ballots in flight hold their item: the items are read once they commit.
    session.status, session.closed_by, session.closed_at = Stage.closed, actor, now()
    session.updated_at = session.closed_at
    await flush(uow)
    items = await store.items_of(uow.session, session_id, for_update=True)
    found = await store.cases_by_id(uow.session, [i.case_id for i in items], for_update=True)
    cast: dict[str, set[str]] = defaultdict(set)
    written: dict[str, set[str]] = defaultdict(set)
    for ballot in await store.ballots_of(uow.session, session_id):
        cast[ballot.case_id].add(ballot.member)
        if ballot.written:
            written[ballot.case_id].add(ballot.member)
    results: dict[str, str] = {}
    for item in items:
        case = found.get(item.case_id)
        result = tally(profile.council, award=case.proposed_award if case else "",
                       present=session.present, recused=[r["member"] for r in item.recused],
                       written=written[item.case_id], cast_by=cast[item.case_id],
                       yes=item.yes, no=item.no, abstain=item.abstain)
        if not result.sound:
            log.error("ballots inconsistent with recusals; the item cannot pass",
                      extra={"session": session_id, "case": item.case_id})
        _keep(item, result)
        item.result = await _decide(uow, profile, actor, session_id, case, result)
        results[item.case_id] = item.result
    await flush(uow)
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
