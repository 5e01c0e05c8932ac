"""Criteria-set use cases: create with a first draft, edit the draft, publish it, start the
next draft; reads scoped to the unit; and the check nominations make against a version."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.auth import Principal
from exemplar.concurrency import commit, require_current
from exemplar.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    RuleViolation,
)
from exemplar.events import CriteriaPublishedV1
from exemplar.events.nomination import Criterion
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..access import reads_all_units
from ..text import nfc
from . import store
from .store import DRAFT, PUBLISHED

NOT_FOUND = "Không tìm thấy bộ tiêu chí."


@dataclass(frozen=True)
class SetView:
    """A set with the versions the reader may see."""

    set: store.CriteriaSet
    versions: list[store.CriteriaVersion]


# -- rules ---------------------------------------------------------------------------------------

def criteria_list(items: Sequence[dict]) -> list[dict]:
    """NFC-normalised {code, text} items; a repeated code is named by its position."""
    cleaned = [{"code": nfc(i["code"].strip()), "text": nfc(i["text"].strip())} for i in items]
    seen: set[str] = set()
    problems = {}
    for n, item in enumerate(cleaned):
        if item["code"] in seen:
            problems[f"criteria.{n}.code"] = f"mã tiêu chí '{item['code']}' bị trùng"
        seen.add(item["code"])
    if problems:
        raise RuleViolation("Danh sách tiêu chí không hợp lệ.", fields=problems)
    return cleaned


def _check_field(profile: Profile, field: str) -> None:
    if field not in {f.id for f in profile.fields}:
        raise RuleViolation("Bộ tiêu chí không hợp lệ.",
                            fields={"field": f"lĩnh vực '{field}' không có trong danh mục"})


def _require_draft(version: store.CriteriaVersion, action: str) -> None:
    if version.status != DRAFT:
        raise InvalidTransition(f"Không thể {action} phiên bản {version.version}: phiên bản "
                                "đã công bố thì không thay đổi được; hãy tạo phiên bản mới.")


# -- commands ------------------------------------------------------------------------------------

async def create_criteria_set(uow: UnitOfWork, *, profile: Profile, user: Principal,
                              field: str, title: str, criteria: Sequence[dict]) -> SetView:
    """A set of the user's own unit for one field, with version 1 as a draft."""
    _check_field(profile, field)
    items = criteria_list(criteria)
    if await store.find_set(uow.session, unit_id=user.unit, field=field) is not None:
        raise Conflict("Đơn vị đã có bộ tiêu chí cho lĩnh vực này; hãy tạo phiên bản mới.",
                       fields={"field": "đã có bộ tiêu chí"})
    at = now()
    criteria_set = store.CriteriaSet(id=str(uuid.uuid4()), unit_id=user.unit, field=field,
                                     title=nfc(title), created_by=user.sub, created_at=at)
    draft = _new_version(criteria_set.id, 1, items, user=user)
    uow.session.add(criteria_set)
    await uow.session.flush()
    uow.session.add(draft)
    await commit(uow)
    return SetView(criteria_set, [draft])


def _new_version(set_id: str, number: int, items: list[dict], *,
                 user: Principal) -> store.CriteriaVersion:
    at = now()
    return store.CriteriaVersion(criteria_set_id=set_id, version=number, status=DRAFT,
                                 criteria=items, created_by=user.sub, created_at=at,
                                 updated_at=at)


async def edit_draft_version(uow: UnitOfWork, *, user: Principal, set_id: str, version: int,
                             expected: int, criteria: Sequence[dict]) -> store.CriteriaVersion:
    """Replace a draft's criteria; `expected` is the row version from If-Match."""
    draft = await _own_version(uow, user=user, set_id=set_id, version=version)
    _require_draft(draft, "sửa")
    require_current(draft.row_version, expected)
    draft.criteria = criteria_list(criteria)
    draft.updated_at = now()
    await commit(uow)
    return draft


async def publish_version(uow: UnitOfWork, *, user: Principal, set_id: str, version: int,
                          expected: int | None = None) -> store.CriteriaVersion:
    """Draft → published (immutable from now on), and `criteria_published` to the bus."""
    criteria_set = await _own_set(uow, user=user, set_id=set_id)
    draft = await _version_or_404(uow.session, set_id, version)
    _require_draft(draft, "công bố")
    require_current(draft.row_version, expected)
    if not draft.criteria:
        raise RuleViolation("Không thể công bố phiên bản không có tiêu chí nào.",
                            fields={"criteria": "phải có ít nhất một tiêu chí"})
    draft.status, draft.published_by, draft.published_at = PUBLISHED, user.sub, now()
    draft.updated_at = draft.published_at
    uow.stage(CriteriaPublishedV1(
        criteria_set_id=criteria_set.id, unit_id=criteria_set.unit_id,
        field=criteria_set.field, version=draft.version, title=criteria_set.title,
        criteria=[Criterion(**c) for c in draft.criteria], published_by=user.sub),
        subject=criteria_set.id)
    await commit(uow)
    return draft


async def start_new_version(uow: UnitOfWork, *, user: Principal,
                            set_id: str) -> store.CriteriaVersion:
    """The next draft, a copy of the latest published version (one draft at a time)."""
    await _own_set(uow, user=user, set_id=set_id)
    latest = await store.latest_version(uow.session, set_id)
    if latest is not None and latest.status == DRAFT:
        raise Conflict(f"Bộ tiêu chí đang có phiên bản nháp {latest.version}; hãy sửa hoặc "
                       "công bố phiên bản đó trước.")
    draft = _new_version(set_id, latest.version + 1, list(latest.criteria), user=user)
    uow.session.add(draft)
    await commit(uow)
    return draft


# -- reads ---------------------------------------------------------------------------------------

async def _own_set(uow: UnitOfWork, *, user: Principal, set_id: str) -> store.CriteriaSet:
    """A set of the user's own unit, for a command; any other is 'not found'."""
    criteria_set = await store.get_set(uow.session, set_id)
    if criteria_set is None or (criteria_set.unit_id != user.unit
                                and not user.has_any("admin")):
        raise NotFound(NOT_FOUND)
    return criteria_set


async def _version_or_404(session: AsyncSession, set_id: str,
                          version: int) -> store.CriteriaVersion:
    found = await store.get_version(session, set_id, version)
    if found is None:
        raise NotFound(f"Không tìm thấy phiên bản {version} của bộ tiêu chí.")
    return found


async def _own_version(uow: UnitOfWork, *, user: Principal, set_id: str,
                       version: int) -> store.CriteriaVersion:
    await _own_set(uow, user=user, set_id=set_id)
    return await _version_or_404(uow.session, set_id, version)


def _visible(user: Principal, criteria_set: store.CriteriaSet,
             versions: list[store.CriteriaVersion]) -> list[store.CriteriaVersion] | None:
    """Own unit: every version. Wide readers: the published ones. Else None (not found)."""
    if criteria_set.unit_id == user.unit or user.has_any("admin"):
        return versions
    if reads_all_units(user):
        published = [v for v in versions if v.status == PUBLISHED]
        return published or None
    return None


async def get_criteria_set(uow: UnitOfWork, *, user: Principal, set_id: str) -> SetView:
    criteria_set = await store.get_set(uow.session, set_id)
    if criteria_set is not None:
        shown = _visible(user, criteria_set, await store.versions(uow.session, [set_id]))
        if shown is not None:
            return SetView(criteria_set, shown)
    raise NotFound(NOT_FOUND)


async def get_version(uow: UnitOfWork, *, user: Principal, set_id: str,
                      version: int) -> store.CriteriaVersion:
    view = await get_criteria_set(uow, user=user, set_id=set_id)
    found = next((v for v in view.versions if v.version == version), None)
    if found is None:
        raise NotFound(f"Không tìm thấy phiên bản {version} của bộ tiêu chí.")
    return found


async def list_criteria_sets(uow: UnitOfWork, *, user: Principal, unit_id: str | None,
                             field: str | None, limit: int, offset: int) -> list[SetView]:
    own_unit = None if reads_all_units(user) or user.has_any("admin") else user.unit
    sets = await store.search_sets(uow.session, own_unit=own_unit, unit_id=unit_id,
                                   field=field, limit=limit, offset=offset)
    by_set: dict[str, list[store.CriteriaVersion]] = {s.id: [] for s in sets}
    for version in await store.versions(uow.session, list(by_set)):
        by_set[version.criteria_set_id].append(version)
    views = [(s, _visible(user, s, by_set[s.id])) for s in sets]
    return [SetView(s, shown) for s, shown in views if shown is not None]


# -- what nominations ask ------------------------------------------------------------------------

async def criteria_problems(session: AsyncSession, *, unit_id: str, criteria_set_id: str,
                            criteria_version: int | None,
                            claims: list[str]) -> dict[str, str]:
    """{field: problem} for a nomination of `unit_id` claiming criteria of a set: the set is
    the unit's own, the version published (None: the latest published), every claimed code
    in it."""
    criteria_set = await store.get_set(session, criteria_set_id)
    if criteria_set is None or criteria_set.unit_id != unit_id:
        return {"criteria_set_id": "không tồn tại"}
    if criteria_version is None:
        version = await store.latest_version(session, criteria_set_id, status=PUBLISHED)
        if version is None:
            return {"criteria_set_id": "bộ tiêu chí chưa có phiên bản nào được công bố"}
    else:
        version = await store.get_version(session, criteria_set_id, criteria_version)
        if version is None or version.status != PUBLISHED:
            return {"criteria_version": f"phiên bản {criteria_version} chưa được công bố"}
    codes = {c["code"] for c in version.criteria}
    unknown = sorted({c for c in claims if c not in codes})
    if unknown:
        return {"claims": f"tiêu chí không có trong phiên bản {version.version} của bộ "
                          f"tiêu chí: {', '.join(unknown)}"}
    return {}
