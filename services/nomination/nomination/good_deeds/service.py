"""Good-deed report use cases: file one (emits good_deed_reported), read, search."""

from __future__ import annotations

import uuid
from datetime import date

from exemplar.auth import Principal
from exemplar.clock import today
from exemplar.errors import NotFound, RuleViolation
from exemplar.events import GoodDeedReportedV1
from exemplar.profile import Profile, Unit
from exemplar.uow import UnitOfWork, now

from ..access import readable_or_404, reads_all_units
from ..text import fold, nfc
from . import store


def _reporting_unit(profile: Profile, unit_id: str) -> Unit:
    try:
        return profile.unit(unit_id)
    except KeyError:
        raise RuleViolation(f"Đơn vị '{unit_id}' của tài khoản không có trong hồ sơ tổ chức.",
                            fields={"unit": "không tồn tại"}) from None


def report_problems(profile: Profile, unit: Unit, *, happened_on: date,
                    field: str | None) -> dict[str, str]:
    """Every problem with a report at once, each naming its field."""
    problems = {}
    if happened_on > today():
        problems["happened_on"] = "ngày diễn ra không được ở tương lai"
    elif not unit.active_on(happened_on):
        problems["happened_on"] = f"{unit.name} không tồn tại vào ngày này"
    if field is not None and field not in {f.id for f in profile.fields}:
        problems["field"] = f"lĩnh vực '{field}' không có trong danh mục"
    return problems


async def report_good_deed(uow: UnitOfWork, *, profile: Profile, user: Principal,
                           person_name: str, deed: str, happened_on: date, place: str,
                           field: str | None) -> store.GoodDeedReport:
    """A good deed in the user's own unit, filed and announced in one transaction."""
    unit = _reporting_unit(profile, user.unit)
    problems = report_problems(profile, unit, happened_on=happened_on, field=field)
    if problems:
        raise RuleViolation("Báo cáo gương người tốt, việc tốt không hợp lệ.", fields=problems)
    name = nfc(person_name)
    report = store.GoodDeedReport(
        id=str(uuid.uuid4()), unit_id=unit.id, unit_name=unit.name, person_name=name,
        person_folded=fold(name), deed=nfc(deed), happened_on=happened_on,
        year=happened_on.year, place=nfc(place), field=field, reported_by=user.sub,
        reported_at=now())
    uow.session.add(report)
    uow.stage(GoodDeedReportedV1(
        report_id=report.id, unit_id=unit.id, unit_name=unit.name, person_name=name,
        deed=report.deed, happened_on=happened_on, field=field, year=report.year,
        reported_by=user.sub), subject=report.id)
    await uow.commit()
    return report


async def get_report(uow: UnitOfWork, *, user: Principal,
                     report_id: str) -> store.GoodDeedReport:
    """Own unit, or every unit for the standing office and viewers; else 404."""
    report = await store.get(uow.session, report_id)
    if report is None:
        raise NotFound("Không tìm thấy báo cáo gương người tốt, việc tốt.")
    readable_or_404(user, report.unit_id, "báo cáo gương người tốt, việc tốt")
    return report


async def search_reports(uow: UnitOfWork, *, user: Principal, filters: dict, q: str | None,
                         limit: int, offset: int) -> tuple[list[store.GoodDeedReport], int]:
    scope = None if reads_all_units(user) else user.unit
    return await store.search(uow.session, unit_scope=scope, filters=filters,
                              folded_name=fold(q) if q else None, limit=limit, offset=offset)
