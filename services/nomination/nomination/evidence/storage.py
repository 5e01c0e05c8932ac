"""Files on disk: receiving an upload as a stream (hashed and counted on the way, stopped
past the limit), keeping it content-addressed under the service's storage folder, serving it
back. python-multipart parses the stream; FastAPI's own form parsing would read it whole."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import BinaryIO
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import FileResponse
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect

from exemplar.errors import NotFound, RuleViolation

MAX_TEXT_FIELD = 10_000  # bytes of a non-file form field
MULTIPART_OVERHEAD = 64 * 1024  # headers and text fields beside the file


class FileTooLarge(RuleViolation):
    """Past the profile's evidence_max_bytes: the API answers 413."""


@dataclass
class Upload:
    """A received file, still in a temporary file until kept."""

    path: Path
    filename: str
    content_type: str
    size: int
    sha256: str
    fields: dict[str, str] = field(default_factory=dict)


def _invalid(problem: str, name: str = "file") -> RuleViolation:
    return RuleViolation("Tệp gửi lên không hợp lệ.", fields={name: problem})


def _too_large(limit: int) -> FileTooLarge:
    return FileTooLarge("Tệp vượt quá dung lượng cho phép.",
                        fields={"file": f"vượt quá {limit} byte"})


class _Parts:
    """python-multipart callbacks: the `file` part goes to disk while hashed and counted
    (stopping past the limit), the allowed text fields to a small buffer each."""

    def __init__(self, out, *, limit: int, allowed: frozenset[str]) -> None:
        self.out, self.limit, self.allowed = out, limit, allowed
        self.hash, self.size, self.fields = hashlib.sha256(), 0, {}
        self.filename, self.content_type, self.ended = None, "", False
        self._headers: dict[bytes, bytes] = {}
        self._name: bytearray = bytearray()
        self._value: bytearray = bytearray()
        self._current: str | None = None
        self._text = bytearray()

    def callbacks(self) -> dict:
        return {"on_part_begin": self._headers.clear, "on_header_field": self._header_field,
                "on_header_value": self._header_value, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished, "on_part_data": self._data,
                "on_part_end": self._part_end, "on_end": self._end}

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._name += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[bytes(self._name).lower()] = bytes(self._value)
        self._name, self._value = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition"))
        name = _text(options.get(b"name", b""))
        if name == "file":
            if self.filename is not None:
                raise _invalid("chỉ được gửi một tệp")
            if b"filename" not in options:
                raise _invalid("phải là một tệp, không phải văn bản")
            self.filename = safe_filename(_text(options[b"filename"]))
            self.content_type = parse_options_header(
                self._headers.get(b"content-type"))[0].decode("latin-1")
        elif name not in self.allowed:
            raise RuleViolation("Dữ liệu không hợp lệ.",
                                fields={name or "body": "không được phép có"})
        self._current, self._text = name, bytearray()

    def _data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._current == "file":
            self.size += len(chunk)
            if self.size > self.limit:
                raise _too_large(self.limit)
            self.hash.update(chunk)
            self.out.write(chunk)
            return
        self._text += chunk
        if len(self._text) > MAX_TEXT_FIELD:
            raise _invalid("quá dài", str(self._current))

    def _part_end(self) -> None:
        if self._current != "file" and self._current is not None:
            self.fields[self._current] = _text(bytes(self._text)).strip()
        self._current = None

    def _end(self) -> None:
        self.ended = True


def _text(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return unicodedata.normalize("NFC", text)


def safe_filename(name: str) -> str:
    """The last path segment, without control characters, at most 200 characters."""
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    if len(name) > 200:
        suffix = PurePath(name).suffix[:20]
        name = name[:200 - len(suffix)] + suffix
    return name or "tep"


def _boundary(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
        raise _too_large(limit)  # refused before a byte of the body is read
    mime, options = parse_options_header(request.headers.get("content-type"))
    if mime != b"multipart/form-data" or not options.get(b"boundary"):
        raise _invalid("phải gửi dạng multipart/form-data")
    return options[b"boundary"]


@asynccontextmanager
async def receive(request: Request, *, limit: int, tmp_dir: Path,
                  allowed: frozenset[str] = frozenset()) -> AsyncIterator[Upload]:
    """Stream a multipart body's `file` part into a temporary file under `tmp_dir`; the
    temporary file is gone when the block ends unless `keep` moved it."""
    boundary = _boundary(request, limit)
    handle, path = await asyncio.to_thread(_temporary, tmp_dir, "upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            parts = _Parts(out, limit=limit, allowed=allowed)
            await _parse(request, boundary, parts)
            await asyncio.to_thread(_sync, out)
        if not parts.ended:
            raise _invalid("dữ liệu gửi lên không hoàn chỉnh")
        if parts.filename is None:
            raise _invalid("bắt buộc phải có")
        if parts.size == 0:
            raise _invalid("tệp rỗng")
        yield Upload(path=path, filename=parts.filename, content_type=parts.content_type,
                     size=parts.size, sha256=parts.hash.hexdigest(), fields=parts.fields)
    finally:
        await asyncio.to_thread(path.unlink, missing_ok=True)


@asynccontextmanager
async def spool(source: BinaryIO, *, filename: str, content_type: str, limit: int,
                tmp_dir: Path) -> AsyncIterator[Upload]:
    """A file a form parser already holds (one part of a larger form) as the Upload `receive`
    gives: copied to a temporary file under `tmp_dir`, hashed and counted, refused past
    `limit` or when empty; gone when the block ends unless `keep` moved it."""
    handle, path = await asyncio.to_thread(_temporary, tmp_dir, "upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            size, digest = await asyncio.to_thread(_copy, source, out, limit)
        if size == 0:
            raise _invalid("tệp rỗng")
        yield Upload(path=path, filename=safe_filename(filename), content_type=content_type,
                     size=size, sha256=digest)
    finally:
        await asyncio.to_thread(path.unlink, missing_ok=True)


def _copy(source: BinaryIO, out, limit: int) -> tuple[int, str]:
    source.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        digest.update(chunk)
        out.write(chunk)
    _sync(out)
    return size, digest.hexdigest()


async def _parse(request: Request, boundary: bytes, parts: _Parts) -> None:
    try:
        parser = MultipartParser(boundary, parts.callbacks())
        async for chunk in request.stream():
            parser.write(chunk)
    except FormParserError:
        raise _invalid("dữ liệu multipart không hợp lệ") from None
    except ClientDisconnect:
        raise _invalid("kết nối bị ngắt trước khi gửi xong") from None


def _temporary(tmp_dir: Path, prefix: str) -> tuple[int, Path]:
    tmp_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=tmp_dir, prefix=prefix)
    return handle, Path(name)


def _sync(out) -> None:
    out.flush()
    os.fsync(out.fileno())


def content_path(area: str, unit_id: str, sha256: str) -> str:
    """`<area>/<unit>/<sha256[:2]>/<sha256>`, relative to the storage folder."""
    unit = unit_id if re.fullmatch(r"[a-z0-9][a-z0-9._-]*", unit_id) else (
        hashlib.sha256(unit_id.encode()).hexdigest()[:16])
    return f"{area}/{unit}/{sha256[:2]}/{sha256}"


def resolve(root: Path, relative: str) -> Path:
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValueError(f"storage path outside the storage folder: {relative}")
    return target


def keep(root: Path, source: Path, relative: str) -> bool:
    """Move a finished temporary file into place atomically; True if it was not there."""
    target = resolve(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    created = not target.exists()
    os.replace(source, target)
    return created


def keep_bytes(root: Path, data: bytes, relative: str) -> bool:
    """Write `data` to a temporary file beside the store, then move it into place."""
    handle, path = _temporary(root / "tmp", "generated-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            _sync(out)
        return keep(root, path, relative)
    finally:
        path.unlink(missing_ok=True)


def discard(root: Path, relative: str) -> None:
    resolve(root, relative).unlink(missing_ok=True)


def file_response(root: Path, relative: str, *, filename: str,
                  content_type: str) -> FileResponse:
    """The stored file as a download, named safely for every browser."""
    path = resolve(root, relative)
    if not path.is_file():
        raise NotFound("Tệp không còn trong kho lưu trữ.")
    fallback = unicodedata.normalize("NFKD", filename.replace("Đ", "D").replace("đ", "d"))
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", fallback.encode("ascii", "ignore").decode())
    disposition = (f'attachment; filename="{fallback or "tep"}"; '
                   f"filename*=UTF-8''{quote(filename, safe='')}")
    return FileResponse(path, media_type=content_type, headers={
        "Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"})
