"""Prospect use cases: register a new factor, keep its nurturing log, drop it, or promote it
into a draft nomination that carries its history. One transaction each."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Literal

import pydantic

from exemplar.auth import Principal
from exemplar.clock import VIETNAM, today
from exemplar.errors import InvalidTransition, NotFound, RuleViolation
from exemplar.events import ProspectRegisteredV1
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now
from exemplar.web import VALIDATION_MESSAGES

from .. import links
from ..access import own_unit_or_404, readable_or_404, reads_all_units
from ..nominations import store as nominations
from ..nominations.domain import nominating_unit, nominee_problems
from ..nominations.schemas import NominationCreate, NomineeIn
from ..nominations.service import create_draft
from ..subjects.service import resolve_subject
from ..text import fold, nfc
from . import store

SUMMARY_MAX = 20000  # NominationCreate.achievement_summary


class ProspectStatus(StrEnum):
    nurturing = "nurturing"
    promoted = "promoted"
    dropped = "dropped"


NurtureKind = Literal["support_material", "support_moral", "shortcoming", "progress"]
KIND_NAMES = {"support_material": "Hỗ trợ vật chất", "support_moral": "Động viên tinh thần",
              "shortcoming": "Hạn chế cần khắc phục", "progress": "Tiến bộ"}
STATUS_NAMES = {"nurturing": "đang bồi dưỡng", "promoted": "đã đề nghị khen thưởng",
                "dropped": "đã dừng bồi dưỡng"}


def _problems(problems: dict[str, str]) -> None:
    if problems:
        raise RuleViolation("Nhân tố mới không hợp lệ.", fields=problems)


async def register_prospect(uow: UnitOfWork, *, profile: Profile, user: Principal,
                            subject: NomineeIn, field: str, what: str, why: str,
                            movement_id: str | None, year: int) -> store.Prospect:
    """A new factor of the user's unit: who, in which field, what they did and why they
    are promising. Emits prospect_registered in the same transaction."""
    unit = nominating_unit(profile, user.unit, year)
    nominee = {k: nfc(v) if isinstance(v, str) else v
               for k, v in subject.model_dump(exclude_none=True).items()}
    problems = {f"subject.{k.removeprefix('nominee.')}": v
                for k, v in nominee_problems(nominee).items()}
    if field not in {f.id for f in profile.fields}:
        problems["field"] = f"lĩnh vực '{field}' không có trong danh mục"
    problems.update(await links.movement_problems(uow.session, unit_id=unit.id,
                                                  movement_id=movement_id, year=year))
    _problems(problems)
    nominee["subject_id"] = await _subject_id(uow, unit_id=unit.id, nominee=nominee)
    prospect = store.Prospect(
        id=str(uuid.uuid4()), unit_id=unit.id, unit_name=unit.name, subject=nominee,
        subject_id=nominee["subject_id"], kind=nominee["kind"], name=nominee["name"],
        name_folded=fold(nominee["name"]), field=field, what=nfc(what), why=nfc(why),
        movement_id=movement_id, year=year, status=ProspectStatus.nurturing,
        registered_by=user.sub, registered_at=now())
    uow.session.add(prospect)
    uow.stage(ProspectRegisteredV1(
        prospect_id=prospect.id, unit_id=unit.id, unit_name=unit.name, kind=prospect.kind,
        name=prospect.name, field=field, reason=prospect.why, year=year,
        movement_id=movement_id, registered_by=user.sub), subject=prospect.id)
    await uow.commit()
    return prospect


async def _subject_id(uow: UnitOfWork, *, unit_id: str, nominee: dict) -> str:
    """The persistent subject the prospect names (found or created), its errors renamed."""
    try:
        return (await resolve_subject(uow.session, unit_id=unit_id, nominee=nominee)).id
    except RuleViolation as exc:
        raise RuleViolation(exc.detail, fields={k.replace("nominee.", "subject.", 1): v
                                                for k, v in exc.fields.items()}) from None


async def add_entry(uow: UnitOfWork, *, user: Principal, prospect_id: str, kind: NurtureKind,
                    on: date, text: str) -> store.NurtureEntry:
    """One dated line of the nurturing log; only while the prospect is being nurtured."""
    prospect = await own_prospect(uow, user=user, prospect_id=prospect_id)
    if on > today():
        _problems({"on": "ngày ghi nhận không được ở tương lai"})
    _require_nurturing(prospect, "ghi nhật ký bồi dưỡng cho")
    entry = store.NurtureEntry(id=str(uuid.uuid4()), prospect_id=prospect.id, kind=kind,
                               on=on, text=nfc(text), by=user.sub, created_at=now())
    uow.session.add(entry)
    await uow.commit()
    return entry


async def drop_prospect(uow: UnitOfWork, *, user: Principal, prospect_id: str,
                        reason: str) -> store.Prospect:
    """Stop nurturing a prospect, saying why; it then takes no entries and no promotion."""
    prospect = await own_prospect(uow, user=user, prospect_id=prospect_id)
    _require_nurturing(prospect, "dừng bồi dưỡng")
    prospect.status, prospect.drop_reason = ProspectStatus.dropped, nfc(reason)
    prospect.closed_by, prospect.closed_at = user.sub, now()
    await uow.commit()
    return prospect


async def promote_prospect(uow: UnitOfWork, *, profile: Profile, user: Principal,
                           prospect_id: str, proposal: dict) -> nominations.Nomination:
    """A draft nomination of the prospect, its summary carrying the dated nurturing log;
    the prospect becomes promoted in the same transaction."""
    prospect = await own_prospect(uow, user=user, prospect_id=prospect_id)
    if prospect.unit_id != user.unit:  # a draft is always of the user's own unit
        raise NotFound("Không tìm thấy nhân tố mới.")
    _require_nurturing(prospect, "đề nghị khen thưởng")
    entries = await store.log(uow.session, prospect.id)
    data = _nomination_input(prospect, entries, proposal)
    nomination = await create_draft(uow, profile=profile, user=user, data=data,
                                    source="prospect", prospect_id=prospect.id, commit=False)
    prospect.status, prospect.nomination_id = ProspectStatus.promoted, nomination.id
    prospect.closed_by, prospect.closed_at = user.sub, now()
    await uow.commit()
    return nomination


def _nomination_input(prospect: store.Prospect, entries: list[store.NurtureEntry],
                      proposal: dict) -> NominationCreate:
    summary = proposal.get("achievement_summary") or _registration_text(prospect)
    history = history_text(entries)
    if history:
        summary = f"{summary.rstrip()}\n\n{history}"
    fields = {**proposal, "nominee": prospect.subject, "field": prospect.field,
              "movement_id": prospect.movement_id,
              "achievement_summary": _fit(summary, SUMMARY_MAX)}
    fields.setdefault("year", prospect.year)
    try:
        return NominationCreate.model_validate(fields)
    except pydantic.ValidationError as exc:
        _problems({".".join(str(p) for p in e["loc"]):
                   VALIDATION_MESSAGES.get(e["type"], e["msg"]) for e in exc.errors()})
        raise


def _registration_text(prospect: store.Prospect) -> str:
    return (f"Nhân tố mới được phát hiện ngày {prospect.registered_at.astimezone(VIETNAM):%d/%m/%Y}"
            f": {prospect.what}\nLý do bồi dưỡng: {prospect.why}")


def history_text(entries: list[store.NurtureEntry]) -> str:
    """The nurturing log as the nomination's achievement summary shows it, oldest first."""
    if not entries:
        return ""
    lines = [f"- {e.on:%d/%m/%Y} – {KIND_NAMES.get(e.kind, e.kind)}: {e.text}"
             for e in entries]
    return "Quá trình bồi dưỡng nhân tố mới:\n" + "\n".join(lines)


def _fit(text: str, limit: int) -> str:
    tail = "\n… (còn tiếp trong nhật ký bồi dưỡng của nhân tố mới)"
    return text if len(text) <= limit else text[:limit - len(tail)] + tail


def _require_nurturing(prospect: store.Prospect, action: str) -> None:
    if prospect.status != ProspectStatus.nurturing:
        raise InvalidTransition(f"Không thể {action} nhân tố mới đang ở trạng thái "
                                f"'{STATUS_NAMES.get(prospect.status, prospect.status)}'.")


async def own_prospect(uow: UnitOfWork, *, user: Principal,
                       prospect_id: str) -> store.Prospect:
    """A prospect of the user's own unit, for a command; any other is 'not found'."""
    prospect = await store.get(uow.session, prospect_id)
    if prospect is None:
        raise NotFound("Không tìm thấy nhân tố mới.")
    own_unit_or_404(user, prospect.unit_id, "nhân tố mới")
    return prospect


async def get_prospect(uow: UnitOfWork, *, user: Principal,
                       prospect_id: str) -> store.Prospect:
    """Own unit, or every unit for the standing office and viewers; else 404."""
    prospect = await store.get(uow.session, prospect_id)
    if prospect is None:
        raise NotFound("Không tìm thấy nhân tố mới.")
    readable_or_404(user, prospect.unit_id, "nhân tố mới")
    return prospect


async def nurture_log(uow: UnitOfWork, *, user: Principal,
                      prospect_id: str) -> list[store.NurtureEntry]:
    prospect = await get_prospect(uow, user=user, prospect_id=prospect_id)
    return await store.log(uow.session, prospect.id)


async def search_prospects(uow: UnitOfWork, *, user: Principal, filters: dict,
                           q: str | None, limit: int,
                           offset: int) -> tuple[list[store.Prospect], int]:
    scope = None if reads_all_units(user) else user.unit
    return await store.search(uow.session, unit_scope=scope, filters=filters,
                              folded_name=fold(q) if q else None, limit=limit, offset=offset)
