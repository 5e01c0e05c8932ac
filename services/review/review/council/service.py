"""Preparing and opening a council session: the agenda while it is scheduled, then the
attendance and the recusals of members sitting for a nominating unit."""

from __future__ import annotations

import uuid
from datetime import date

from exemplar.concurrency import commit
from exemplar.errors import Conflict, NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from ..cases import store as cases
from ..cases.domain import STATUS_NAMES, S
from . import store
from .domain import VOTABLE, Stage, automatic_recusals, merge_recusals
from .tally import quorum_met

TITLE_MAX = 300
NOT_FOUND = "Không tìm thấy phiên họp Hội đồng."


async def get_session(uow: UnitOfWork, session_id: str) -> store.CouncilSession:
    found = await uow.session.get(store.CouncilSession, session_id)
    if found is None:
        raise NotFound(NOT_FOUND, fields={"session_id": "không tồn tại"})
    return found


def _scheduled(session: store.CouncilSession, doing: str) -> None:
    if session.status != Stage.scheduled:
        raise Conflict(f"Phiên họp đã khai mạc hoặc đã kết thúc: không thể {doing}.")


async def _votable_cases(uow: UnitOfWork, case_ids: list[str], field: str,
                         session_id: str | None = None) -> list[cases.Case]:
    """Every case exists, has finished public posting (or was voted before) and is on no
    other scheduled or open agenda; checked for all before anything is written."""
    if len(set(case_ids)) != len(case_ids):
        raise RuleViolation("Một hồ sơ được đưa vào chương trình hai lần.",
                            fields={field: "có hồ sơ trùng lặp"})
    by_id = await store.cases_by_id(uow.session, case_ids)
    found = []
    for case_id in case_ids:
        case = by_id.get(case_id)
        if case is None:
            raise NotFound("Không tìm thấy hồ sơ xét duyệt.",
                           fields={field: f"hồ sơ '{case_id}' không tồn tại"})
        if case.status not in VOTABLE:
            raise Conflict(
                f"Hồ sơ của {case.nominee_name} đang ở bước “{STATUS_NAMES[S(case.status)]}”: "
                "chỉ hồ sơ đã công khai mới được đưa ra Hội đồng.",
                fields={field: f"hồ sơ '{case_id}' chưa đến bước Hội đồng xét"})
        found.append(case)
    busy = await store.busy_elsewhere(uow.session, case_ids, session_id)
    if busy:
        case_id, title = next(iter(busy.items()))
        raise Conflict(f"Hồ sơ đã có trong chương trình phiên họp “{title}”.",
                       fields={field: f"hồ sơ '{case_id}' đang chờ ở phiên họp khác"})
    return found


def _item(profile: Profile, session_id: str, case: cases.Case,
          position: int) -> store.AgendaItem:
    return store.AgendaItem(session_id=session_id, case_id=case.id, position=position,
                            recused=automatic_recusals(profile, case.unit_id),
                            yes=0, no=0, abstain=0)


async def create_session(uow: UnitOfWork, *, profile: Profile, actor: str, title: str,
                         held_on: date, case_ids: list[str]) -> store.CouncilSession:
    title = title.strip()
    if not title or len(title) > TITLE_MAX:
        raise RuleViolation("Tên phiên họp không hợp lệ.",
                            fields={"title": f"bắt buộc, tối đa {TITLE_MAX} ký tự"})
    found = await _votable_cases(uow, case_ids, "case_ids")
    session = store.CouncilSession(id=str(uuid.uuid4()), title=title, held_on=held_on,
                                   status=Stage.scheduled, present=[], created_by=actor,
                                   created_at=now())
    uow.session.add(session)
    await uow.session.flush([session])
    for position, case in enumerate(found, start=1):
        uow.session.add(_item(profile, session.id, case, position))
    await record(uow, actor=actor, action="council_session.created", entity="council_session",
                 entity_id=session.id, data={"title": title, "held_on": held_on,
                                             "case_ids": case_ids})
    await commit(uow)
    return session


async def add_item(uow: UnitOfWork, *, profile: Profile, actor: str, session_id: str,
                   case_id: str) -> store.CouncilSession:
    session = await get_session(uow, session_id)
    _scheduled(session, "thêm hồ sơ vào chương trình")
    if await store.item(uow.session, session_id, case_id) is not None:
        raise Conflict("Hồ sơ đã có trong chương trình phiên họp này.",
                       fields={"case_id": "đã có trong chương trình"})
    [case] = await _votable_cases(uow, [case_id], "case_id", session_id)
    position = await store.next_position(uow.session, session_id)
    uow.session.add(_item(profile, session_id, case, position))
    session.updated_at = now()  # a new version: an opening racing this change loses
    await record(uow, actor=actor, action="council_session.item_added",
                 entity="council_session", entity_id=session_id, data={"case_id": case_id})
    await commit(uow)
    return session


async def remove_item(uow: UnitOfWork, *, actor: str, session_id: str,
                      case_id: str) -> store.CouncilSession:
    session = await get_session(uow, session_id)
    _scheduled(session, "bỏ hồ sơ khỏi chương trình")
    found = await store.item(uow.session, session_id, case_id)
    if found is None:
        raise NotFound("Hồ sơ không có trong chương trình phiên họp.",
                       fields={"case_id": "không có trong chương trình"})
    await uow.session.delete(found)
    await uow.session.flush()
    for position, rest in enumerate(await store.items_of(uow.session, session_id), start=1):
        rest.position = position
    session.updated_at = now()
    await record(uow, actor=actor, action="council_session.item_removed",
                 entity="council_session", entity_id=session_id, data={"case_id": case_id})
    await commit(uow)
    return session


def _check_present(profile: Profile, present: list[str]) -> list[str]:
    members = profile.council.members
    strangers = [p for p in present if p not in members]
    if strangers:
        raise RuleViolation(
            "Người dự họp phải là thành viên Hội đồng Thi đua – Khen thưởng.",
            fields={"present": "không phải thành viên Hội đồng: " + ", ".join(strangers)})
    return [m for m in members if m in set(present)]  # the profile's order, once each


async def open_session(uow: UnitOfWork, *, profile: Profile, actor: str, session_id: str,
                       present: list[str]) -> store.CouncilSession:
    """Take the attendance and recuse the members sitting for a nominating unit. A session
    below quorum may still meet, but nothing it votes on can pass."""
    session = await get_session(uow, session_id)
    _scheduled(session, "khai mạc lần nữa")
    attendance = _check_present(profile, present)
    recusals: dict[str, list[str]] = {}
    items = await store.items_of(uow.session, session_id)
    found = await store.cases_by_id(uow.session, [i.case_id for i in items])
    for item in items:
        case = found.get(item.case_id)
        if case is not None:
            item.recused = merge_recusals(item.recused,
                                          automatic_recusals(profile, case.unit_id))
        recusals[item.case_id] = [r["member"] for r in item.recused]
    session.status, session.present = Stage.open, attendance
    session.opened_by, session.opened_at = actor, now()
    session.updated_at = session.opened_at
    await record(uow, actor=actor, action="council_session.opened", entity="council_session",
                 entity_id=session_id, data={
                     "present": attendance, "members": len(profile.council.members),
                     "quorum_met": quorum_met(profile.council, attendance),
                     "recused": recusals})
    await commit(uow)
    return session
