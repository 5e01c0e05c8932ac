"""How much a list import may send. FastAPI parses a form whole (every file part spooled to a
temporary file) before the route's code or its dependencies run, so the limits are held by the
route itself, as the body arrives: a declared Content-Length past the cap is refused before a
byte is read (413), a body is counted as it streams, and each part is held to its own limit
as it goes by (the list file to parse.MAX_BYTES, a dossier file to the profile's
evidence_max_bytes, a text field to the one POST /documents allows), and so is the number of
parts. Starlette's own `max_part_size` covers text fields only."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException
from fastapi.routing import APIRoute
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import Headers
from starlette.types import Message, Receive, Scope, Send

from exemplar.profile import Profile

from ..evidence.storage import MAX_TEXT_FIELD, MULTIPART_OVERHEAD
from .parse import MAX_BYTES

LIST_FILE = "file"
MAX_DOSSIER_FILES = 20  # document files beside the list; a profile has fewer kinds than that
MAX_FIELDS = 20  # text fields: year, field, proposed_award, commendation_kind, movement_id…
# What FastAPI passes to `request.form()`: the same counts, behind the meter.
FORM_LIMITS = {"max_files": MAX_DOSSIER_FILES + 1, "max_fields": MAX_FIELDS,
               "max_part_size": MAX_TEXT_FIELD}


@dataclass(frozen=True)
class Limits:
    dossier_file: int  # the profile's evidence_max_bytes

    @property
    def body(self) -> int:
        return MAX_BYTES + MAX_DOSSIER_FILES * self.dossier_file + MULTIPART_OVERHEAD

    def part(self, name: str, *, is_file: bool) -> int:
        if not is_file:
            return MAX_TEXT_FIELD
        return MAX_BYTES if name == LIST_FILE else self.dossier_file


def too_large(field: str, problem: str) -> HTTPException:
    return HTTPException(413, {"message": "Danh sách và hồ sơ gửi kèm vượt quá dung lượng cho "
                                          "phép; không dòng nào được ghi.",
                               "fields": {field: problem}})


class _Meter:
    """python-multipart callbacks watching the body go by (Starlette's parser still parses
    it): the part being received, its size, and how many parts came so far."""

    def __init__(self, limits: Limits, content_type: str | None) -> None:
        self.limits, self.total = limits, 0
        self.files = self.fields = self.size = 0
        self.name, self.limit = "", 0
        self._headers: dict[bytes, bytes] = {}
        self._field, self._value = bytearray(), bytearray()
        mime, options = parse_options_header(content_type)
        boundary = options.get(b"boundary") if mime == b"multipart/form-data" else None
        self.parser = MultipartParser(boundary, {
            "on_part_begin": self._headers.clear, "on_header_field": self._header_field,
            "on_header_value": self._header_value, "on_header_end": self._header_end,
            "on_headers_finished": self._part, "on_part_data": self._data,
        }) if boundary else None

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if self.total > self.limits.body:
            raise too_large("body", f"vượt quá {self.limits.body} byte")
        if self.parser is None:
            return
        try:
            self.parser.write(chunk)
        except FormParserError:  # Starlette's parser refuses the same bytes, in its words
            self.parser = None

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[bytes(self._field).lower()] = bytes(self._value)
        self._field, self._value = bytearray(), bytearray()

    def _part(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition"))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        is_file = b"filename" in options
        if is_file:
            self.files += 1
        else:
            self.fields += 1
        if self.files > MAX_DOSSIER_FILES + 1:
            raise too_large(self.name, f"quá nhiều tệp (danh sách và tối đa "
                                       f"{MAX_DOSSIER_FILES} văn bản)")
        if self.fields > MAX_FIELDS:
            raise too_large(self.name, f"quá nhiều trường (tối đa {MAX_FIELDS})")
        self.size, self.limit = 0, self.limits.part(self.name, is_file=is_file)

    def _data(self, data: bytes, start: int, end: int) -> None:
        self.size += end - start
        if self.size > self.limit:
            raise too_large(self.name, f"vượt quá {self.limit} byte")


class LimitedForm(APIRoute):
    """A route whose multipart body is held to `Limits` while it arrives, before FastAPI
    parses it: no part past its limit reaches a temporary file whole."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in self.methods:
            return await super().handle(scope, receive, send)
        profile: Profile = scope["app"].state.runtime.profile
        limits = Limits(dossier_file=profile.thresholds.evidence_max_bytes)
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.body:
            raise too_large("body", f"vượt quá {limits.body} byte")  # nothing read yet
        meter = _Meter(limits, headers.get("content-type"))

        async def metered() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                meter.feed(message.get("body", b""))
            return message

        await super().handle(scope, metered, send)
