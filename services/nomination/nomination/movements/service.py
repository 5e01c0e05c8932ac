"""Movement use cases: draft, edit, launch, close, read; who a movement is open to; and the
check nominations make against a movement."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.auth import Principal
from exemplar.concurrency import commit, require_current
from exemplar.errors import InvalidTransition, NotFound, RuleViolation
from exemplar.events import MovementLaunchedV1
from exemplar.profile import Profile, Unit
from exemplar.uow import UnitOfWork, now

from ..access import reads_all_units
from ..text import nfc
from . import store

DRAFT, LAUNCHED, CLOSED = "draft", "launched", "closed"
STATUS_NAMES = {DRAFT: "bản nháp", LAUNCHED: "đã phát động", CLOSED: "đã kết thúc"}
NOT_FOUND = "Không tìm thấy phong trào thi đua."
# Upward bodies: outside the jurisdiction, they register for none of its movements.
UPWARD_KINDS = frozenset({"province", "provincial_board"})


# -- who a movement is open to -------------------------------------------------------------------

def jurisdiction_wide(profile: Profile, unit: Unit) -> bool:
    """The council, the government it serves (its parent: UBND huyện, or UBND xã after 2025)
    and the standing office launch movements for every unit of the jurisdiction."""
    council = profile.unit(profile.council.unit)
    return unit.kind == "standing_office" or unit.id in {council.id, council.parent}


def open_to(profile: Profile, *, launcher_id: str, unit_id: str) -> bool:
    """Whether `unit_id` may register for a movement of `launcher_id`: a unit registers for
    its ancestors' movements, and for jurisdiction-wide ones unless it is above the launcher
    or outside the jurisdiction."""
    try:
        launcher, lineage = profile.unit(launcher_id), profile.ancestors(unit_id)
        above_launcher = {u.id for u in profile.ancestors(launcher_id)}
    except KeyError:
        return False
    if unit_id in above_launcher:  # the launcher itself or a unit above it
        return False
    if launcher_id in {u.id for u in lineage}:
        return True
    return jurisdiction_wide(profile, launcher) and lineage[0].kind not in UPWARD_KINDS


def launchers_open_to(profile: Profile, unit_id: str) -> set[str]:
    return {u.id for u in profile.units if open_to(profile, launcher_id=u.id, unit_id=unit_id)}


def can_see(profile: Profile, user: Principal, movement: store.Movement) -> bool:
    """Own unit: drafts too. Wide readers and the units it is open to: once launched."""
    if movement.unit_id == user.unit or user.has_any("admin"):
        return True
    if movement.status == DRAFT:
        return False
    return reads_all_units(user) or open_to(profile, launcher_id=movement.unit_id,
                                            unit_id=user.unit)


# -- rules ---------------------------------------------------------------------------------------

EDITABLE = ("title", "field", "kind", "starts_on", "ends_on", "targets", "interim_review_on",
            "final_review_on", "directive")


def clean_targets(targets: list[str]) -> list[str]:
    return [nfc(t.strip()) for t in targets if t.strip()]


def movement_problems_in(profile: Profile, unit: Unit, values: dict) -> dict[str, str]:
    """Every problem with a movement's values at once, each naming its field."""
    problems = {}
    if values["field"] not in {f.id for f in profile.fields}:
        problems["field"] = f"lĩnh vực '{values['field']}' không có trong danh mục"
    starts, ends = values["starts_on"], values.get("ends_on")
    interim, final = values.get("interim_review_on"), values.get("final_review_on")
    if not unit.active_on(starts):
        problems["starts_on"] = f"{unit.name} không hoạt động vào ngày {starts:%d/%m/%Y}"
    if ends is not None and ends < starts:
        problems["ends_on"] = "phải sau ngày bắt đầu"
    if interim is not None and (interim < starts or (ends is not None and interim > ends)):
        problems["interim_review_on"] = "sơ kết phải nằm trong thời gian phong trào"
    if final is not None and (final < starts or (interim is not None and final < interim)):
        problems["final_review_on"] = "tổng kết phải sau ngày bắt đầu và sau sơ kết"
    return problems


def _check(profile: Profile, unit_id: str, values: dict) -> dict:
    problems = movement_problems_in(profile, profile.unit(unit_id), values)
    if problems:
        raise RuleViolation("Phong trào thi đua không hợp lệ.", fields=problems)
    return {**values, "title": nfc(values["title"]), "targets": clean_targets(values["targets"]),
            "directive": nfc(values["directive"]) if values.get("directive") else None}


def require_status(status: str, allowed: tuple[str, ...], action: str, what: str) -> None:
    if status not in allowed:
        raise InvalidTransition(f"Không thể {action} {what} đang ở trạng thái "
                                f"'{STATUS_NAMES.get(status, status)}'.")


# -- commands ------------------------------------------------------------------------------------

async def create_movement(uow: UnitOfWork, *, profile: Profile, user: Principal,
                          values: dict) -> store.Movement:
    """A draft movement or campaign of the user's own unit."""
    values = _check(profile, user.unit, {k: values.get(k) for k in EDITABLE})
    at = now()
    movement = store.Movement(id=str(uuid.uuid4()), unit_id=user.unit,
                              unit_name=profile.unit(user.unit).name, status=DRAFT,
                              created_by=user.sub, created_at=at, updated_at=at, **values)
    uow.session.add(movement)
    await commit(uow)
    return movement


async def edit_movement(uow: UnitOfWork, *, profile: Profile, user: Principal,
                        movement_id: str, expected: int, changes: dict) -> store.Movement:
    """Change a draft; `expected` is the row version from If-Match."""
    movement = await own_movement(uow, user=user, movement_id=movement_id)
    require_status(movement.status, (DRAFT,), "sửa", "phong trào")
    require_current(movement.row_version, expected)
    merged = {**{k: getattr(movement, k) for k in EDITABLE}, **changes}
    for name, value in _check(profile, movement.unit_id, merged).items():
        setattr(movement, name, value)
    movement.updated_at = now()
    await commit(uow)
    return movement


async def launch_movement(uow: UnitOfWork, *, user: Principal, movement_id: str,
                          expected: int | None = None) -> store.Movement:
    """The unit head launches a draft: lower units may register; `movement_launched`."""
    movement = await own_movement(uow, user=user, movement_id=movement_id)
    require_status(movement.status, (DRAFT,), "phát động", "phong trào")
    require_current(movement.row_version, expected)
    missing = {name: "bắt buộc khi phát động" for name in ("targets", "directive")
               if not getattr(movement, name)}
    if missing:
        raise RuleViolation("Chưa đủ thông tin để phát động phong trào.", fields=missing)
    movement.status, movement.launched_by, movement.launched_at = LAUNCHED, user.sub, now()
    movement.updated_at = movement.launched_at
    uow.stage(MovementLaunchedV1(
        movement_id=movement.id, unit_id=movement.unit_id, unit_name=movement.unit_name,
        title=movement.title, field=movement.field, kind=movement.kind,
        starts_on=movement.starts_on, ends_on=movement.ends_on,
        interim_review_on=movement.interim_review_on,
        final_review_on=movement.final_review_on, launched_by=user.sub), subject=movement.id)
    await commit(uow)
    return movement


async def close_movement(uow: UnitOfWork, *, user: Principal, movement_id: str,
                         expected: int | None = None) -> store.Movement:
    """After the final review: no more registrations; nominations may still cite it."""
    movement = await own_movement(uow, user=user, movement_id=movement_id)
    require_status(movement.status, (LAUNCHED,), "kết thúc", "phong trào")
    require_current(movement.row_version, expected)
    movement.status, movement.closed_by, movement.closed_at = CLOSED, user.sub, now()
    movement.updated_at = movement.closed_at
    await commit(uow)
    return movement


# -- reads ---------------------------------------------------------------------------------------

async def own_movement(uow: UnitOfWork, *, user: Principal,
                       movement_id: str) -> store.Movement:
    """A movement of the user's own unit, for a command; any other is 'not found'."""
    movement = await store.get(uow.session, movement_id)
    if movement is None or (movement.unit_id != user.unit and not user.has_any("admin")):
        raise NotFound(NOT_FOUND)
    return movement


async def get_movement(uow: UnitOfWork, *, profile: Profile, user: Principal,
                       movement_id: str) -> store.Movement:
    movement = await store.get(uow.session, movement_id)
    if movement is None or not can_see(profile, user, movement):
        raise NotFound(NOT_FOUND)
    return movement


async def list_movements(uow: UnitOfWork, *, profile: Profile, user: Principal,
                         filters: dict, year: int | None, limit: int,
                         offset: int) -> list[store.Movement]:
    wide = reads_all_units(user) or user.has_any("admin")
    return await store.search(
        uow.session, own_unit=user.unit,
        open_from=None if wide else launchers_open_to(profile, user.unit),
        filters=filters, year=year, limit=limit, offset=offset)


# -- what nominations ask ------------------------------------------------------------------------

async def movement_problems(session: AsyncSession, *, unit_id: str, movement_id: str,
                            year: int) -> dict[str, str]:
    """{field: problem} for a nomination of `unit_id` in `year` linked to a movement: it is
    launched (or closed after it ran), the unit's own or one the unit's registration for was
    approved, and it ran during the year. Anything else is 'not found', so nothing leaks."""
    movement = await store.get(session, movement_id)
    if movement is None or movement.status == DRAFT:
        return {"movement_id": "không tồn tại"}
    if movement.unit_id != unit_id:
        registration = await store.registration_of(session, movement_id, unit_id)
        if registration is None or registration.status != "approved":
            return {"movement_id": "không tồn tại"}
    ends = movement.ends_on
    if movement.starts_on > date(year, 12, 31) or (ends is not None and ends < date(year, 1, 1)):
        return {"movement_id": f"phong trào không diễn ra trong năm {year}"}
    return {}
