"""Evidence use cases: add, list, fetch and remove the files behind a nomination's claims,
and what the dossier and the nominations feature ask about them.

The type check is a small explicit one rather than a library: the four accepted types have
fixed signatures (PDF `%PDF-`, PNG, JPEG), and a DOCX must be a real ZIP whose directory holds
`word/document.xml`, which the standard library's zipfile reads exactly, where the detection
libraries (filetype, puremagic) guess DOCX from the first bytes of the ZIP."""

from __future__ import annotations

import asyncio
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.auth import Principal
from exemplar.errors import Conflict, NotFound, RuleViolation
from exemplar.uow import UnitOfWork, now

from ..nominations import store as nominations
from ..nominations.domain import EDITABLE, require_status
from ..nominations.service import get_nomination, own_nomination
from . import storage, store

NOTE_MAX = 2000
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GENERIC_TYPES = {"", "application/octet-stream"}
TYPE_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg"}


@dataclass(frozen=True)
class FileType:
    kind: str
    name: str
    content_type: str
    extensions: tuple[str, ...]


TYPES = {t.kind: t for t in (
    FileType("pdf", "PDF", "application/pdf", (".pdf",)),
    FileType("png", "PNG", "image/png", (".png",)),
    FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg")),
    FileType("docx", "DOCX", DOCX_MIME, (".docx",)),
)}  # fmt: skip


def detect(path: Path) -> FileType | None:
    """The type the content shows, whatever the name or the declared type say."""
    with path.open("rb") as source:
        head = source.read(8)
    if head.startswith(b"%PDF-"):
        return TYPES["pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return TYPES["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return TYPES["jpeg"]
    if head.startswith(b"PK\x03\x04") and _is_docx(path):
        return TYPES["docx"]
    return None


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _invalid(problem: str) -> RuleViolation:
    return RuleViolation("Tệp gửi lên không hợp lệ.", fields={"file": problem})


async def check_type(upload: storage.Upload) -> FileType:
    """The detected type, which must be one of the four and agree with the file name's
    extension and with the declared content type (when one is declared)."""
    found = await asyncio.to_thread(detect, upload.path)
    if found is None:
        raise _invalid("nội dung tệp không phải PDF, JPEG, PNG hay DOCX")
    extension = PurePath(upload.filename).suffix.lower()
    if extension not in found.extensions:
        raise _invalid(f"phần mở rộng '{extension or '(không có)'}' không khớp nội dung "
                       f"tệp ({found.name})")
    claimed = TYPE_ALIASES.get(upload.content_type, upload.content_type)
    if claimed not in GENERIC_TYPES and claimed != found.content_type:
        raise _invalid(f"kiểu tệp khai báo '{upload.content_type}' không khớp nội dung "
                       f"tệp ({found.name})")
    return found


async def editable_nomination(uow: UnitOfWork, *, user: Principal, nomination_id: str,
                              action: str) -> nominations.Nomination:
    """The user's own nomination, locked for this transaction, while a draft or returned:
    a submission racing this change either sees it or comes first and refuses it."""
    nomination = await own_nomination(uow, user=user, nomination_id=nomination_id)
    await uow.session.refresh(nomination, with_for_update=True)
    require_status(nomination.status, EDITABLE, action)
    return nomination


async def add_evidence(uow: UnitOfWork, *, user: Principal, nomination_id: str,
                       upload: storage.Upload, note: str | None,
                       storage_dir: Path) -> store.Evidence:
    """Keep a checked file under the nomination's unit and record it."""
    if note is not None and len(note) > NOTE_MAX:
        raise RuleViolation("Ghi chú quá dài.", fields={"note": f"tối đa {NOTE_MAX} ký tự"})
    nomination = await editable_nomination(uow, user=user, nomination_id=nomination_id,
                                           action="thêm minh chứng cho")
    found = await check_type(upload)
    relative = storage.content_path("evidence", nomination.unit_id, upload.sha256)
    evidence = store.Evidence(
        id=str(uuid.uuid4()), nomination_id=nomination.id, unit_id=nomination.unit_id,
        kind=found.kind, content_type=found.content_type, filename=upload.filename,
        size=upload.size, sha256=upload.sha256, storage_path=relative, note=note or None,
        uploaded_by=user.sub, uploaded_at=now())
    created = await asyncio.to_thread(storage.keep, storage_dir, upload.path, relative)
    uow.session.add(evidence)
    try:
        await uow.commit()
    except BaseException:
        if created:  # no row points at it
            storage.discard(storage_dir, relative)
        raise
    return evidence


async def list_evidence(uow: UnitOfWork, *, user: Principal,
                        nomination_id: str) -> list[store.Evidence]:
    nomination = await get_nomination(uow, user=user, nomination_id=nomination_id)
    return await store.of_nomination(uow.session, nomination.id)


async def get_evidence(uow: UnitOfWork, *, user: Principal, nomination_id: str,
                       evidence_id: str) -> store.Evidence:
    nomination = await get_nomination(uow, user=user, nomination_id=nomination_id)
    return await _of(uow.session, nomination.id, evidence_id)


async def remove_evidence(uow: UnitOfWork, *, user: Principal, nomination_id: str,
                          evidence_id: str, storage_dir: Path) -> None:
    """Drop a file no claim cites; the file itself goes when no other row points at it."""
    nomination = await editable_nomination(uow, user=user, nomination_id=nomination_id,
                                           action="xóa minh chứng của")
    evidence = await _of(uow.session, nomination.id, evidence_id)
    cited = [claim.get("criterion", "?") for claim in nomination.claims or []
             if evidence.id in claim.get("evidence_ids", [])]
    if cited:
        raise Conflict("Minh chứng đang được dẫn chứng cho tiêu chí "
                       f"{', '.join(cited)}; hãy bỏ dẫn chứng trước khi xóa.")
    await uow.session.delete(evidence)
    await uow.commit()
    if not await store.path_in_use(uow.session, sha256=evidence.sha256,
                                   storage_path=evidence.storage_path):
        storage.discard(storage_dir, evidence.storage_path)


async def _of(session: AsyncSession, nomination_id: str, evidence_id: str) -> store.Evidence:
    evidence = await store.get(session, evidence_id)
    if evidence is None or evidence.nomination_id != nomination_id:
        raise NotFound("Không tìm thấy minh chứng.")
    return evidence


async def evidence_names(session: AsyncSession, nomination_id: str) -> dict[str, str]:
    """Evidence id → file name, for the generated dossier documents."""
    return await store.filenames(session, nomination_id)
