"""Importing a nomination list: every row and dossier file checked first (all errors at once,
by row and column or field), then one transaction with the list, the new subjects, the
nominations (submitted), their dossier documents and one `submitted` event per nomination,
each written set-at-a-time."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from exemplar.auth import Principal
from exemplar.errors import NotFound, RuleViolation
from exemplar.events import NominationSubmittedV1
from exemplar.profile import Profile
from exemplar.tracing import current_trace
from exemplar.uow import UnitOfWork, now
from exemplar.web import VALIDATION_MESSAGES

from .. import links
from ..access import own_unit_or_404
from ..documents.store import Document
from ..nominations.domain import S, nominating_unit, nominee_problems, proposal_problems
from ..nominations.lifecycle import remember, replayed
from ..nominations.schemas import NominationCreate
from ..nominations.store import Nomination
from ..subjects.store import Subject
from ..text import fold
from . import dossier, store
from .parse import HEADER, MAX_ERRORS, ListRejected, Table, read_table, row_values

OPERATION = "import-list"
NONE: list = []  # one empty list for every row's `claims` and `review_reasons`: never changed


@dataclass(frozen=True)
class Defaults:
    """The form's values for the columns a file may leave out (or leave empty)."""

    year: int | None = None
    field: str | None = None
    proposed_award: str | None = None
    commendation_kind: str | None = None
    movement_id: str | None = None


@dataclass(frozen=True, slots=True)
class ValidRow:
    number: int
    nominee: dict  # NomineeIn, without the empty values
    folded: str
    identity: tuple  # (kind, folded name, birth year): how a subject is recognised
    year: int
    field: str
    proposed_award: str
    commendation_kind: str
    achievement_summary: str


def check_rows(table: Table, *, profile: Profile, unit_id: str,
               defaults: Defaults) -> list[ValidRow]:
    """Every row as NominationCreate and the domain rules see it, or ListRejected with every
    problem of every row (the first MAX_ERRORS of them)."""
    codes = _codes(profile)
    _check_defaults(table, defaults, codes)
    base = {k: v for k, v in asdict(defaults).items() if v is not None and k != "movement_id"}
    rules = cache(lambda f, a, k: proposal_problems(profile, field=f, award=a, nominee_kind=k))
    unit_in = cache(lambda year: _unit_problem(profile, unit_id, year))
    code = cache(lambda key, value: codes[key].get(fold(str(value)), value))
    errors, valid, seen = [], [], {}
    for number, cells in table.rows:
        values, problems = row_values(table.columns, cells)
        data = {**base, **values}
        for key in ("field", "proposed_award"):
            if key in data:
                data[key] = code(key, data[key])
        try:
            model = NominationCreate.model_validate(data)
        except ValidationError as exc:
            for e in exc.errors():
                problems.setdefault(_header(e["loc"]), _message(e))
        else:
            row = _valid(number, model)
            found = {**nominee_problems(row.nominee), **unit_in(row.year),
                     **rules(row.field, row.proposed_award, row.identity[0])}
            for key, message in found.items():
                problems.setdefault(HEADER.get(key, key), message)
            duplicate = seen.setdefault((row.identity, row.year, row.proposed_award), number)
            if duplicate != number:
                problems.setdefault(HEADER["nominee.name"], f"trùng với dòng {duplicate} "
                                    "(cùng đối tượng, danh hiệu/hình thức và năm)")
            valid.append(row)
        errors += [{"row": number, "field": f, "message": m} for f, m in problems.items()]
    if errors:
        raise ListRejected(f"Danh sách có {len(errors)} lỗi; không dòng nào được ghi.",
                           errors[:MAX_ERRORS], more=max(0, len(errors) - MAX_ERRORS))
    return valid


def _check_defaults(table: Table, defaults: Defaults, codes: dict) -> None:
    """A column the file leaves out needs the form's value, and a form value must exist."""
    present = {c.key for c in table.columns if c is not None}
    errors = [{"row": 1, "field": HEADER[key], "message": "thiếu cột, và biểu mẫu không cho "
               f"giá trị mặc định ({key})"} for key in ("field", "proposed_award", "year")
              if key not in present and getattr(defaults, key) is None]
    errors += [{"row": None, "field": key, "message": f"'{value}' không có trong danh mục"}
               for key in ("field", "proposed_award")
               if (value := getattr(defaults, key)) and fold(value) not in codes[key]]
    if errors:
        raise ListRejected("Danh sách không nhập được.", errors)


def _valid(number: int, model: NominationCreate) -> ValidRow:
    nominee = model.nominee.model_dump(exclude_none=True)
    folded = fold(nominee["name"])
    return ValidRow(number, nominee, folded, (nominee["kind"], folded,
                    nominee.get("birth_year")), model.year, model.field, model.proposed_award,
                    model.commendation_kind, model.achievement_summary)


def _unit_problem(profile: Profile, unit_id: str, year: int) -> dict[str, str]:
    try:
        nominating_unit(profile, unit_id, year)
    except RuleViolation as exc:
        return {"year": exc.fields.get("year", exc.detail)}
    return {}


def _codes(profile: Profile) -> dict[str, dict[str, str]]:
    """Field and award codes by their folded code or name: a cell may hold either."""
    def index(items) -> dict[str, str]:
        return {fold(name): item.id for item in items for name in (item.id, item.name)}
    return {"field": index(profile.fields), "proposed_award": index(profile.awards)}


def _header(loc: tuple) -> str:
    key = ".".join(str(p) for p in loc)
    return HEADER.get(key, key)


def _message(error: dict) -> str:
    ctx = error.get("ctx") or {}
    if error["type"] == "string_too_long":
        return f"quá dài (tối đa {ctx.get('max_length')} ký tự)"
    if error["type"] in ("greater_than_equal", "less_than_equal"):
        bound = "≥" if error["type"] == "greater_than_equal" else "≤"
        return f"phải {bound} {ctx.get('ge', ctx.get('le'))}"
    return VALIDATION_MESSAGES.get(error["type"], error["msg"])


@dataclass(frozen=True)
class ListUpload:
    filename: str
    content: bytes
    defaults: Defaults
    dossier: Sequence[dossier.Part] = ()


async def import_list(uow: UnitOfWork, *, profile: Profile, user: Principal,
                      upload: ListUpload, storage_dir: Path,
                      idempotency_key: str | None = None) -> store.NominationList:
    """The whole list lands, submitted, with its dossier and events; or ListRejected and
    nothing does (no row, no stored file)."""
    digest = hashlib.sha256(upload.content).hexdigest()
    # A retry must send the same dossier too: its files are part of the request.
    request = {"sha256": digest, **asdict(upload.defaults),
               "dossier": sorted([p.kind, p.upload.sha256] for p in upload.dossier)}
    done = await replayed(uow, user=user, key=idempotency_key, operation=OPERATION,
                          request=request)
    if done:
        return await get_list(uow, user=user, list_id=done)
    defaults = upload.defaults
    attached = await dossier.check(upload.dossier)
    valid = check_rows(read_table(upload.content, max_rows=profile.thresholds.import_max_rows),
                       profile=profile, unit_id=user.unit, defaults=defaults)
    for year in sorted({row.year for row in valid} if defaults.movement_id else ()):
        problems = await links.movement_problems(
            uow.session, unit_id=user.unit, movement_id=defaults.movement_id, year=year)
        if problems:
            raise ListRejected("Phong trào không hợp lệ.", [
                {"row": None, "field": "movement_id", "message": m} for m in problems.values()])
    attached = [*dossier.list_file(profile, filename=upload.filename, content=upload.content,
                                   digest=digest), *attached]
    listed = await write_list(uow, profile=profile, user=user, rows=valid,
                              filename=upload.filename, digest=digest,
                              movement_id=defaults.movement_id, documents=attached)
    remember(uow, user=user, key=idempotency_key, operation=OPERATION, request=request,
             nomination_id=listed.id)
    await dossier.committed(uow, storage_dir=storage_dir, unit_id=listed.unit_id,
                            files=attached)
    return listed


async def write_list(uow: UnitOfWork, *, profile: Profile, user: Principal,
                     rows: list[ValidRow], filename: str, digest: str,
                     movement_id: str | None,
                     documents: Sequence[dossier.Attached] = ()) -> store.NominationList:
    """The list record, new subjects, nominations and their `documents` rows, each in one
    executemany, and one staged `submitted` event per nomination; the caller puts the
    documents' files in place and commits."""
    session, unit, at = uow.session, profile.unit(user.unit), now()
    subjects, new_subjects, history = await store.resolve_subjects(
        session, unit_id=unit.id, rows=rows, at=at)
    list_id = str(uuid.uuid4())
    kinds = sorted({d.kind for d in documents})
    trace = current_trace()  # each nomination's submission: a withdrawal continues it
    nominations = []
    for row in rows:
        nominee = {**row.nominee, "subject_id": subjects[row.identity]}
        nomination = {
            "id": str(uuid.uuid4()), "unit_id": unit.id, "unit_name": unit.name,
            "unit_kind": unit.kind, "year": row.year, "nominee_kind": nominee["kind"],
            "nominee": nominee, "nominee_name": nominee["name"], "nominee_folded": row.folded,
            "subject_id": nominee["subject_id"], "field": row.field,
            "proposed_award": row.proposed_award, "commendation_kind": row.commendation_kind,
            "movement_id": movement_id, "prospect_id": None, "criteria_set_id": None,
            "criteria_version": None, "achievement_summary": row.achievement_summary,
            "claims": NONE, "status": S.submitted.value, "revision": 1, "version": 1,
            "source": "list", "list_id": list_id, "created_by": user.sub, "created_at": at,
            "updated_at": at, "submitted_by": user.sub, "submitted_at": at,
            "review_reasons": NONE, "decision": None, "escalation": None, "revocation": None,
            "withdrawn_reason": None, "trace_headers": trace}
        nominations.append(nomination)
        uow.stage(_submitted(nomination, history.get(nominee["subject_id"], []), kinds),
                  subject=nomination["id"])
    listed = store.NominationList(
        id=list_id, unit_id=unit.id, filename=filename[:300], sha256=digest,
        row_count=len(rows), status="imported", rows=[r.number for r in rows],
        nomination_ids=[n["id"] for n in nominations], created_by=user.sub, created_at=at)
    session.add(listed)
    await session.flush()
    await store.insert_many(session, Subject.__table__, new_subjects)
    await store.insert_many(session, Nomination.__table__, nominations)
    await store.insert_many(session, Document.__table__, dossier.rows(
        profile, documents, nomination_ids=listed.nomination_ids, unit_id=unit.id,
        created_by=user.sub, at=at))
    return listed


def _submitted(nomination: dict, history: list[dict], kinds: list[str]) -> NominationSubmittedV1:
    """The event lifecycle.submitted_event builds, from what is already in memory: a new
    nomination has no evidence yet, and the list's dossier documents (their sorted kinds)."""
    return NominationSubmittedV1.model_validate({
        **{key: nomination[key] for key in EVENT_FIELDS}, "nomination_id": nomination["id"],
        "claims": [], "history": history, "evidence_count": 0, "documents": kinds})


EVENT_FIELDS = ("revision", "unit_id", "unit_name", "unit_kind", "year", "nominee", "field",
                "proposed_award", "commendation_kind", "movement_id", "prospect_id",
                "criteria_set_id", "criteria_version", "achievement_summary", "submitted_by",
                "submitted_at")


async def get_list(uow: UnitOfWork, *, user: Principal, list_id: str) -> store.NominationList:
    listed = await store.get(uow.session, list_id)
    if listed is None:
        raise NotFound("Không tìm thấy danh sách đề nghị.")
    own_unit_or_404(user, listed.unit_id, "danh sách đề nghị")
    return listed


async def search_lists(uow: UnitOfWork, *, user: Principal, limit: int, offset: int) -> list:
    unit_id = None if user.has_any("admin") else user.unit
    return await store.search(uow.session, unit_id=unit_id, limit=limit, offset=offset)
