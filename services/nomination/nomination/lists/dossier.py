"""A list's dossier: the documents sent in the same form as the list, one file field named
after a document kind of the profile (`to_trinh`, `bien_ban_hop_xet`…). Each is checked as
POST /documents checks an upload, stored once and attached to every nomination of the list;
the list file itself is the `danh_sach_de_nghi`. The kinds then travel in the `submitted`
events, where review's appraisal looks for the documents an award requires."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from starlette.datastructures import FormData, UploadFile

from exemplar.concurrency import commit
from exemplar.errors import RuleViolation
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork

from ..documents.service import kind_name, known_kinds
from ..evidence import storage
from ..evidence.service import check_type
from .parse import ListRejected

LIST_KIND = "danh_sach_de_nghi"
LIST_FILE = "file"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REJECTED = "Hồ sơ gửi kèm danh sách không hợp lệ; không dòng nào được ghi."


@dataclass(frozen=True)
class Part:
    """A dossier file as received, in a temporary file until kept."""

    kind: str
    upload: storage.Upload


@dataclass(frozen=True)
class Attached:
    """A checked file every nomination of the list gets as a document of `kind`."""

    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    source: Path | bytes  # a temporary file to move into place, or the content itself


def _error(field: str, message: str) -> dict:
    return {"row": None, "field": field, "message": message}


def _problem(exc: RuleViolation) -> str:
    return "; ".join(exc.fields.values()) or exc.detail


def _fields(form: FormData, kinds: set[str]) -> tuple[list[tuple[str, UploadFile]], list]:
    """The dossier's file parts, and the problems of the form's other parts: a file under
    no document kind, a kind sent as text, a second list file, a `danh_sach_de_nghi` (the list
    is that document already: a second one would leave two on every nomination)."""
    files, errors = [], []
    for name, value in form.multi_items():
        is_file = isinstance(value, UploadFile)
        if name == LIST_KIND and name in kinds:
            errors.append(_error(name, "tệp danh sách (trường 'file') đã là văn bản này của "
                                       "hồ sơ; không gửi thêm"))
        elif name in kinds and is_file:
            files.append((name, value))
        elif name in kinds:
            errors.append(_error(name, f"phải gửi dạng tệp (-F '{name}=@ten-tep.pdf')"))
        elif is_file and name != LIST_FILE:
            errors.append(_error(name, "không phải loại văn bản nào của hồ sơ (các loại: "
                                       f"{', '.join(sorted(kinds))})"))
    if len(form.getlist(LIST_FILE)) > 1:
        errors.append(_error(LIST_FILE, "chỉ được gửi một tệp danh sách"))
    return files, errors


@asynccontextmanager
async def received(form: FormData, *, profile: Profile,
                   tmp_dir: Path) -> AsyncIterator[list[Part]]:
    """The form's dossier files in temporary files (gone when the block ends unless kept),
    or ListRejected naming every bad field; the size limit is POST /documents' one."""
    files, errors = _fields(form, known_kinds(profile))
    limit = profile.thresholds.evidence_max_bytes
    async with AsyncExitStack() as stack:
        parts = []
        for kind, file in files:
            try:
                upload = await stack.enter_async_context(storage.spool(
                    file.file, filename=file.filename or "", limit=limit, tmp_dir=tmp_dir,
                    content_type=file.content_type or ""))
            except RuleViolation as exc:
                errors.append(_error(kind, _problem(exc)))
            else:
                parts.append(Part(kind, upload))
        if errors:
            raise ListRejected(REJECTED, errors)
        yield parts


async def check(parts: Sequence[Part]) -> list[Attached]:
    """Each file's content checked as POST /documents checks it, or ListRejected naming the
    field of every bad one."""
    attached, errors = [], []
    for part in parts:
        try:
            found = await check_type(part.upload)
        except RuleViolation as exc:
            errors.append(_error(part.kind, _problem(exc)))
            continue
        upload = part.upload
        attached.append(Attached(part.kind, upload.filename, found.content_type, upload.size,
                                 upload.sha256, upload.path))
    if errors:
        raise ListRejected(REJECTED, errors)
    return attached


def list_file(profile: Profile, *, filename: str, content: bytes,
              digest: str) -> list[Attached]:
    """The list itself, as the dossier's list of nominees, when the profile has that kind."""
    if LIST_KIND not in {d.id for d in profile.documents}:
        return []
    content_type = XLSX if content.startswith(b"PK\x03\x04") else "text/csv"
    return [Attached(LIST_KIND, storage.safe_filename(filename), content_type, len(content),
                     digest, content)]


def _path(unit_id: str, sha256: str) -> str:
    return storage.content_path("documents", unit_id, sha256)


def rows(profile: Profile, files: Sequence[Attached], *, nomination_ids: Sequence[str],
         unit_id: str, created_by: str, at: datetime) -> list[dict]:
    """One document row per nomination and file; a file's rows share its stored copy."""
    return [{"id": str(uuid.uuid4()), "nomination_id": nomination_id, "unit_id": unit_id,
             "kind": f.kind, "title": kind_name(profile, f.kind), "filename": f.filename,
             "content_type": f.content_type, "size": f.size, "sha256": f.sha256,
             "storage_path": _path(unit_id, f.sha256), "generated": False,
             "created_by": created_by, "created_at": at}
            for nomination_id in nomination_ids for f in files]


def _keep(root: Path, unit_id: str, files: Sequence[Attached]) -> list[str]:
    """Put the files in place; the paths this call created (and removes again if it fails
    half-way)."""
    created: list[str] = []
    try:
        for f in files:
            relative = _path(unit_id, f.sha256)
            new = (storage.keep_bytes(root, f.source, relative) if isinstance(f.source, bytes)
                   else storage.keep(root, f.source, relative))
            if new:
                created.append(relative)
    except BaseException:
        _discard(root, created)
        raise
    return created


def _discard(root: Path, created: list[str]) -> None:
    for relative in created:
        storage.discard(root, relative)


async def committed(uow: UnitOfWork, *, storage_dir: Path, unit_id: str,
                    files: Sequence[Attached]) -> None:
    """The files in place, then `commit(uow)`; a failed commit leaves no new file behind."""
    created = await asyncio.to_thread(_keep, storage_dir, unit_id, files)
    try:
        await commit(uow)
    except BaseException:
        await asyncio.to_thread(_discard, storage_dir, created)
        raise
