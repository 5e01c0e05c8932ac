"""Preparing and opening a council session: the agenda while it is scheduled, then the
attendance and the recusals of members sitting for a nominating unit."""

from __future__ import annotations

import uuid
from datetime import date

from exemplar.clock import today
from exemplar.concurrency import commit, flush, require_current
from exemplar.errors import Conflict, NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.text import has_control_characters
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from ..cases import store as cases
from ..cases.domain import STATUS_NAMES, S
from . import store
from .domain import VOTABLE, Stage, automatic_recusals, merge_recusals
from .tally import quorum_met

TITLE_MAX = 300
NOT_FOUND = "Không tìm thấy phiên họp Hội đồng."
EARLIEST = date(2000, 1, 1)  # held_on: no earlier, and at most a year ahead


async def get_session(uow: UnitOfWork, session_id: str, *, for_update: bool = False,
                      expected_version: int | None = None) -> store.CouncilSession:
    """The session; `for_update` locks it first of all its rows, so use cases changing one
    session line up on it (and the version checked is the one being changed)."""
    found = await store.session_row(uow.session, session_id, for_update=for_update)
    if found is None:
        raise NotFound(NOT_FOUND, fields={"session_id": "không tồn tại"})
    require_current(found.version, expected_version)
    return found


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _check_held_on(held_on: date) -> None:
    latest = _a_year_after(today())
    if not EARLIEST <= held_on <= latest:
        raise RuleViolation(
            "Ngày họp không hợp lệ.",
            fields={"held_on": f"phải từ {EARLIEST:%d/%m/%Y} đến {latest:%d/%m/%Y}"})


def _scheduled(session: store.CouncilSession, doing: str) -> None:
    if session.status != Stage.scheduled:
        raise Conflict(f"Phiên họp đã khai mạc hoặc đã kết thúc: không thể {doing}.")


async def _votable_cases(uow: UnitOfWork, case_ids: list[str], field: str,
                         session_id: str | None = None) -> list[cases.Case]:
    """Every case exists, has finished public posting (or was voted before) and is on no
    other scheduled or open agenda; checked for all before anything is written. The cases
    are locked (PostgreSQL), so two agendas taking one case at once line up on it."""
    if len(set(case_ids)) != len(case_ids):
        raise RuleViolation("Một hồ sơ được đưa vào chương trình hai lần.",
                            fields={field: "có hồ sơ trùng lặp"})
    by_id = await store.cases_by_id(uow.session, case_ids, for_update=True)
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
    if not title or len(title) > TITLE_MAX or has_control_characters(title):
        raise RuleViolation("Tên phiên họp không hợp lệ.",
                            fields={"title": f"bắt buộc, tối đa {TITLE_MAX} ký tự"})
    _check_held_on(held_on)
    found = await _votable_cases(uow, case_ids, "case_ids")
    session = store.CouncilSession(id=str(uuid.uuid4()), title=title, held_on=held_on,
                                   status=Stage.scheduled, present=[], created_by=actor,
                                   created_at=now())
    uow.session.add(session)
    await uow.session.flush([session])
    for position, case in enumerate(found, start=1):
        uow.session.add(_item(profile, session.id, case, position))
    await flush(uow)
    await record(uow, actor=actor, action="council_session.created", entity="council_session",
                 entity_id=session.id, data={"title": title, "held_on": held_on,
                                             "case_ids": case_ids})
    await commit(uow)
    return session


async def add_item(uow: UnitOfWork, *, profile: Profile, actor: str, session_id: str,
                   case_id: str, expected_version: int | None = None) -> store.CouncilSession:
    session = await get_session(uow, session_id, for_update=True,
                                expected_version=expected_version)
    _scheduled(session, "thêm hồ sơ vào chương trình")
    if await store.item(uow.session, session_id, case_id) is not None:
        raise Conflict("Hồ sơ đã có trong chương trình phiên họp này.",
                       fields={"case_id": "đã có trong chương trình"})
    [case] = await _votable_cases(uow, [case_id], "case_id", session_id)
    position = await store.next_position(uow.session, session_id)
    uow.session.add(_item(profile, session_id, case, position))
    session.updated_at = now()  # a new version: an opening racing this change loses
    await flush(uow)
    await record(uow, actor=actor, action="council_session.item_added",
                 entity="council_session", entity_id=session_id, data={"case_id": case_id})
    await commit(uow)
    return session


async def remove_item(uow: UnitOfWork, *, actor: str, session_id: str, case_id: str,
                      expected_version: int | None = None) -> store.CouncilSession:
    session = await get_session(uow, session_id, for_update=True,
                                expected_version=expected_version)
    _scheduled(session, "bỏ hồ sơ khỏi chương trình")
    found = await store.item(uow.session, session_id, case_id)
    if found is None:
        raise NotFound("Hồ sơ không có trong chương trình phiên họp.",
                       fields={"case_id": "không có trong chương trình"})
    await uow.session.delete(found)
    await flush(uow)
    rest = await store.items_of(uow.session, session_id, for_update=True)
    for position, kept in enumerate(rest, start=1):
        kept.position = position
    session.updated_at = now()
    await flush(uow)
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
                       present: list[str],
                       expected_version: int | None = None) -> store.CouncilSession:
    """Take the attendance and recuse the members sitting for a nominating unit. A session
    below quorum may still meet, but nothing it votes on can pass."""
    session = await get_session(uow, session_id, for_update=True,
                                expected_version=expected_version)
    _scheduled(session, "khai mạc lần nữa")
    attendance = _check_present(profile, present)
    # The session is opened first: on SQLite that write takes the database's write lock, so
    # a conflict being declared commits before the items are read (PostgreSQL: their lock).
    session.status, session.present = Stage.open, attendance
    session.opened_by, session.opened_at = actor, now()
    session.updated_at = session.opened_at
    await flush(uow)
    recusals: dict[str, list[str]] = {}
    items = await store.items_of(uow.session, session_id, for_update=True)
    found = await store.cases_by_id(uow.session, [i.case_id for i in items])
    for item in items:
        case = found.get(item.case_id)
        if case is not None:
            item.recused = merge_recusals(item.recused,
                                          automatic_recusals(profile, case.unit_id))
        recusals[item.case_id] = [r["member"] for r in item.recused]
    await flush(uow)
    await record(uow, actor=actor, action="council_session.opened", entity="council_session",
                 entity_id=session_id, data={
                     "present": attendance, "members": len(profile.council.members),
                     "quorum_met": quorum_met(profile.council, attendance),
                     "recused": recusals})
    await commit(uow)
    return session
