"""Registration use cases (đăng ký thi đua): a lower unit registers for a launched movement
with its targets (draft), its head sends it, the launching unit's head approves it or returns
it with a reason, and a returned one is edited and sent again."""

from __future__ import annotations

import uuid

from exemplar.auth import Principal
from exemplar.concurrency import commit, require_current
from exemplar.errors import Conflict, InvalidTransition, NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..access import reads_all_units
from . import store
from .service import LAUNCHED, clean_targets, get_movement, open_to

DRAFT, SENT, RETURNED, APPROVED = "draft", "sent", "returned", "approved"
NAMES = {DRAFT: "bản nháp", SENT: "đã gửi", RETURNED: "bị trả lại", APPROVED: "đã duyệt"}
NOT_FOUND = "Không tìm thấy bản đăng ký thi đua."


def _status(registration: store.Registration, allowed: tuple[str, ...], action: str) -> None:
    if registration.status not in allowed:
        raise InvalidTransition(f"Không thể {action} bản đăng ký đang ở trạng thái "
                                f"'{NAMES[registration.status]}'.")


def _targets(targets: list[str]) -> list[str]:
    cleaned = clean_targets(targets)
    if not cleaned:
        raise RuleViolation("Bản đăng ký thi đua không hợp lệ.",
                            fields={"targets": "phải có ít nhất một chỉ tiêu"})
    return cleaned


async def register_for_movement(uow: UnitOfWork, *, profile: Profile, user: Principal,
                                movement_id: str, targets: list[str]) -> store.Registration:
    """A draft registration of the user's unit for a movement open to it."""
    movement = await get_movement(uow, profile=profile, user=user, movement_id=movement_id)
    if not open_to(profile, launcher_id=movement.unit_id, unit_id=user.unit):
        raise RuleViolation("Đơn vị không thuộc phạm vi đăng ký của phong trào này.",
                            fields={"unit": "không thuộc phạm vi phong trào"})
    if movement.status != LAUNCHED:
        raise Conflict("Phong trào không còn nhận đăng ký.")
    if await store.registration_of(uow.session, movement_id, user.unit) is not None:
        raise Conflict("Đơn vị đã đăng ký phong trào này; hãy sửa bản đăng ký đã có.")
    at = now()
    registration = store.Registration(
        id=str(uuid.uuid4()), movement_id=movement.id, unit_id=user.unit,
        unit_name=profile.unit(user.unit).name, targets=_targets(targets), status=DRAFT,
        created_by=user.sub, created_at=at, updated_at=at)
    uow.session.add(registration)
    await commit(uow)
    return registration


async def _registration(uow: UnitOfWork, movement_id: str,
                        registration_id: str) -> store.Registration:
    registration = await store.get_registration(uow.session, registration_id)
    if registration is None or registration.movement_id != movement_id:
        raise NotFound(NOT_FOUND)
    return registration


async def _own(uow: UnitOfWork, *, user: Principal, movement_id: str,
               registration_id: str) -> store.Registration:
    """The registering unit's own registration, for its commands."""
    registration = await _registration(uow, movement_id, registration_id)
    if registration.unit_id != user.unit and not user.has_any("admin"):
        raise NotFound(NOT_FOUND)
    return registration


async def _received(uow: UnitOfWork, *, user: Principal, movement_id: str,
                    registration_id: str) -> store.Registration:
    """A registration sent to the user's unit's movement, for the launching unit's head."""
    registration = await _registration(uow, movement_id, registration_id)
    movement = await store.get(uow.session, movement_id)
    ours = movement is not None and (movement.unit_id == user.unit or user.has_any("admin"))
    if not ours or registration.status == DRAFT:
        raise NotFound(NOT_FOUND)
    return registration


async def edit_registration(uow: UnitOfWork, *, user: Principal, movement_id: str,
                            registration_id: str, expected: int,
                            targets: list[str]) -> store.Registration:
    registration = await _own(uow, user=user, movement_id=movement_id,
                              registration_id=registration_id)
    _status(registration, (DRAFT, RETURNED), "sửa")
    require_current(registration.row_version, expected)
    registration.targets, registration.updated_at = _targets(targets), now()
    await commit(uow)
    return registration


async def send_registration(uow: UnitOfWork, *, user: Principal, movement_id: str,
                            registration_id: str,
                            expected: int | None = None) -> store.Registration:
    """The registering unit's head sends a draft or returned registration."""
    registration = await _own(uow, user=user, movement_id=movement_id,
                              registration_id=registration_id)
    _status(registration, (DRAFT, RETURNED), "gửi")
    require_current(registration.row_version, expected)
    movement = await store.get(uow.session, movement_id)
    if movement is None or movement.status != LAUNCHED:
        raise Conflict("Phong trào không còn nhận đăng ký.")
    registration.status, registration.sent_by, registration.sent_at = SENT, user.sub, now()
    registration.updated_at = registration.sent_at
    await commit(uow)
    return registration


async def decide_registration(uow: UnitOfWork, *, user: Principal, movement_id: str,
                              registration_id: str, approve: bool, reason: str | None = None,
                              expected: int | None = None) -> store.Registration:
    """The launching unit's head approves a sent registration, or returns it with a reason."""
    registration = await _received(uow, user=user, movement_id=movement_id,
                                   registration_id=registration_id)
    _status(registration, (SENT,), "duyệt" if approve else "trả lại")
    require_current(registration.row_version, expected)
    registration.status = APPROVED if approve else RETURNED
    registration.return_reason = None if approve else reason
    registration.decided_by, registration.decided_at = user.sub, now()
    registration.updated_at = registration.decided_at
    await commit(uow)
    return registration


def _sees(user: Principal, movement: store.Movement, registration: store.Registration) -> bool:
    if registration.unit_id == user.unit or user.has_any("admin"):
        return True
    launcher = movement.unit_id == user.unit or reads_all_units(user)
    return launcher and registration.status != DRAFT


async def get_registration(uow: UnitOfWork, *, profile: Profile, user: Principal,
                           movement_id: str, registration_id: str) -> store.Registration:
    movement = await get_movement(uow, profile=profile, user=user, movement_id=movement_id)
    registration = await _registration(uow, movement_id, registration_id)
    if not _sees(user, movement, registration):
        raise NotFound(NOT_FOUND)
    return registration


async def list_registrations(uow: UnitOfWork, *, profile: Profile, user: Principal,
                             movement_id: str) -> list[store.Registration]:
    """The launching unit and wide readers: every registration sent. A registering unit:
    its own, in any status."""
    movement = await get_movement(uow, profile=profile, user=user, movement_id=movement_id)
    if movement.unit_id == user.unit or reads_all_units(user) or user.has_any("admin"):
        return await store.registrations(uow.session, movement_id, unit_id=None)
    return await store.registrations(uow.session, movement_id, unit_id=user.unit)
