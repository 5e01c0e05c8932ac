"""A member's own acts at a session: declaring a conflict of interest, and casting a secret
ballot, present or in writing.

Nothing here keeps, logs or returns a choice: the ballot row says who voted, the counter
statement (one shape for every choice) says only that some counter moved."""

from __future__ import annotations

from exemplar.concurrency import commit
from exemplar.errors import Conflict, NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from . import store
from .domain import CHOICES, NotAllowed, Stage
from .service import get_session

REASON_MAX = 1000
OUTSIDE = ("Phiếu ngoài phiên họp không được ghi nhận: chỉ bỏ phiếu khi phiên họp đang "
           "diễn ra (đã khai mạc, chưa kết thúc).")


def _member(profile: Profile, member: str, doing: str) -> None:
    if member not in profile.council.members:
        raise NotAllowed(f"Chỉ thành viên Hội đồng Thi đua – Khen thưởng mới được {doing}.")


async def _agenda_item(uow: UnitOfWork, session_id: str, case_id: str) -> store.AgendaItem:
    item = await store.item(uow.session, session_id, case_id)
    if item is None:
        raise NotFound("Hồ sơ không có trong chương trình phiên họp.",
                       fields={"case_id": "không có trong chương trình"})
    return item


def _recusal(item: store.AgendaItem, member: str) -> dict | None:
    return next((r for r in item.recused if r["member"] == member), None)


async def declare_conflict(uow: UnitOfWork, *, profile: Profile, member: str,
                           session_id: str, case_id: str,
                           reason: str) -> store.CouncilSession:
    """A member steps aside from one case, before voting on it."""
    _member(profile, member, "khai báo xung đột lợi ích")
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise RuleViolation("Cần nêu lý do xung đột lợi ích.",
                            fields={"reason": f"bắt buộc, tối đa {REASON_MAX} ký tự"})
    session = await get_session(uow, session_id)
    if session.status == Stage.closed:
        raise Conflict("Phiên họp đã kết thúc: không thể khai báo xung đột lợi ích.")
    item = await _agenda_item(uow, session_id, case_id)
    if _recusal(item, member) is not None:
        raise Conflict("Thành viên đã không tham gia xét hồ sơ này.",
                       fields={"case_id": "đã rút khỏi việc xét hồ sơ"})
    if await store.ballot(uow.session, session_id, case_id, member) is not None:
        raise Conflict("Thành viên đã bỏ phiếu cho hồ sơ này: không thể rút sau khi bỏ phiếu.",
                       fields={"case_id": "đã bỏ phiếu"})
    item.recused = [*item.recused, {"member": member, "reason": reason}]
    await record(uow, actor=member, action="council_session.conflict_declared",
                 entity="council_session", entity_id=session_id,
                 data={"case_id": case_id, "member": member, "reason": reason})
    await commit(uow)
    return session


async def cast_ballot(uow: UnitOfWork, *, profile: Profile, member: str, session_id: str,
                      case_id: str, choice: str) -> None:
    """Record that `member` voted, and move one counter. A member absent from the session
    votes in writing. Checks run first; the ballot row is added last, so a duplicate racing
    this one fails on the unique key at commit and nothing of it stays."""
    _member(profile, member, "bỏ phiếu")
    if choice not in CHOICES:
        raise RuleViolation("Phiếu không hợp lệ.", fields={"choice": "yes, no hoặc abstain"})
    session = await get_session(uow, session_id)
    if session.status != Stage.open:
        raise Conflict(OUTSIDE, fields={"session_id": "phiên họp không đang diễn ra"})
    item = await _agenda_item(uow, session_id, case_id)
    recusal = _recusal(item, member)
    if recusal is not None:
        raise NotAllowed("Thành viên không tham gia biểu quyết hồ sơ này "
                         f"(lý do: {recusal['reason']}).")
    if await store.ballot(uow.session, session_id, case_id, member) is not None:
        raise Conflict("Thành viên đã bỏ phiếu cho hồ sơ này; mỗi thành viên chỉ có một phiếu.",
                       fields={"choice": "đã bỏ phiếu"})
    if not await store.count_ballot(uow.session, session_id, case_id, choice):
        raise Conflict(OUTSIDE, fields={"session_id": "phiên họp đã kết thúc"})
    written = member not in session.present
    await record(uow, actor=member, action="ballot.cast", entity="council_session",
                 entity_id=session_id,
                 data={"case_id": case_id, "member": member, "written": written})
    uow.session.add(store.BallotCast(session_id=session_id, case_id=case_id, member=member,
                                     written=written, cast_at=now()))
    await commit(uow)
