"""A member's own acts at a session: declaring a conflict of interest, and casting a secret
ballot, present or in writing.

Nothing here keeps, logs or returns a choice: the ballot row says who voted, the counter
statement (one shape for every choice) says only that some counter moved."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from exemplar.concurrency import commit, flush
from exemplar.errors import Conflict, NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.text import has_control_characters
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from . import store
from .domain import CHOICES, NotAllowed, Stage
from .service import get_session

REASON_MAX = 1000
ATTEMPTS = 3
OUTSIDE = ("Phiếu ngoài phiên họp không được ghi nhận: chỉ bỏ phiếu khi phiên họp đang "
           "diễn ra (đã khai mạc, chưa kết thúc).")
CLOSED = "Phiên họp đã kết thúc: không thể khai báo xung đột lợi ích."
BUSY = "Hồ sơ vừa được nhiều thành viên cùng thao tác; chưa ghi nhận gì, hãy thử lại."


def _member(profile: Profile, member: str, doing: str) -> None:
    if member not in profile.council.members:
        raise NotAllowed(f"Chỉ thành viên Hội đồng Thi đua – Khen thưởng mới được {doing}.")


async def _current_item(uow: UnitOfWork, session_id: str, case_id: str) -> store.AgendaItem:
    """The item as it is now, locked until the use case ends (on PostgreSQL)."""
    item = await store.item(uow.session, session_id, case_id, for_update=True)
    if item is None:
        raise NotFound("Hồ sơ không có trong chương trình phiên họp.",
                       fields={"case_id": "không có trong chương trình"})
    return item


async def _on_current_item(uow: UnitOfWork, session_id: str, case_id: str,
                           act: Callable[[store.AgendaItem], Awaitable[bool]]) -> None:
    """Check and change the item with one update guarded by the version read. Where the read
    does not lock (SQLite), another member's act committed meanwhile makes the update miss:
    the item is read and checked again, so of a member's recusal and ballot only the first to
    commit stands, and ballots of several members cast at once all count."""
    for _ in range(ATTEMPTS):
        if await act(await _current_item(uow, session_id, case_id)):
            return
    raise Conflict(BUSY)


def _recusal(item: store.AgendaItem, member: str) -> dict | None:
    return next((r for r in item.recused if r["member"] == member), None)


async def declare_conflict(uow: UnitOfWork, *, profile: Profile, member: str,
                           session_id: str, case_id: str,
                           reason: str) -> store.CouncilSession:
    """A member steps aside from one case, before voting on it."""
    _member(profile, member, "khai báo xung đột lợi ích")
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX or has_control_characters(reason):
        raise RuleViolation("Cần nêu lý do xung đột lợi ích.",
                            fields={"reason": f"bắt buộc, tối đa {REASON_MAX} ký tự"})
    session = await get_session(uow, session_id)
    if session.status == Stage.closed:
        raise Conflict(CLOSED)

    async def recuse(item: store.AgendaItem) -> bool:
        if item.result is not None:
            raise Conflict(CLOSED)
        if _recusal(item, member) is not None:
            raise Conflict("Thành viên đã không tham gia xét hồ sơ này.",
                           fields={"case_id": "đã rút khỏi việc xét hồ sơ"})
        if await store.ballot(uow.session, session_id, case_id, member) is not None:
            raise Conflict("Thành viên đã bỏ phiếu cho hồ sơ này: không thể rút sau khi bỏ "
                           "phiếu.", fields={"case_id": "đã bỏ phiếu"})
        return await store.recuse(uow.session, item, {"member": member, "reason": reason})

    await _on_current_item(uow, session_id, case_id, recuse)
    await record(uow, actor=member, action="council_session.conflict_declared",
                 entity="council_session", entity_id=session_id,
                 data={"case_id": case_id, "member": member, "reason": reason})
    await commit(uow)
    return session


async def cast_ballot(uow: UnitOfWork, *, profile: Profile, member: str, session_id: str,
                      case_id: str, choice: str) -> None:
    """Record that `member` voted, and move one counter. A member absent from the session
    votes in writing. The ballot row is written before the audit entry, so every row this
    takes is locked before the audit chain is."""
    _member(profile, member, "bỏ phiếu")
    if choice not in CHOICES:
        raise RuleViolation("Phiếu không hợp lệ.", fields={"choice": "yes, no hoặc abstain"})
    session = await get_session(uow, session_id)
    if session.status != Stage.open:
        raise Conflict(OUTSIDE, fields={"session_id": "phiên họp không đang diễn ra"})

    async def count(item: store.AgendaItem) -> bool:
        if item.result is not None:
            raise Conflict(OUTSIDE, fields={"session_id": "phiên họp đã kết thúc"})
        recusal = _recusal(item, member)
        if recusal is not None:
            raise NotAllowed("Thành viên không tham gia biểu quyết hồ sơ này "
                             f"(lý do: {recusal['reason']}).")
        if await store.ballot(uow.session, session_id, case_id, member) is not None:
            raise Conflict("Thành viên đã bỏ phiếu cho hồ sơ này; mỗi thành viên chỉ có một "
                           "phiếu.", fields={"choice": "đã bỏ phiếu"})
        return await store.count_ballot(uow.session, item, choice)

    await _on_current_item(uow, session_id, case_id, count)
    written = member not in session.present
    uow.session.add(store.BallotCast(session_id=session_id, case_id=case_id, member=member,
                                     written=written, cast_at=now()))
    await flush(uow)
    await record(uow, actor=member, action="ballot.cast", entity="council_session",
                 entity_id=session_id,
                 data={"case_id": case_id, "member": member, "written": written})
    await commit(uow)
