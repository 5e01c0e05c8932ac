"""Vietnamese text as the services take it in and search it.

`Text(n)` is the type of every free-text field of an HTTP body: trimmed, NFC-normalised (the
same word typed on two keyboards compares equal), 1..n characters, and without control
characters, which PostgreSQL refuses (NUL) and no user means to type."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

ALLOWED_CONTROLS = "\n\r\t"


def fold(text: str) -> str:
    """Lower case without diacritics, for search: 'Đắk Ơ' → 'dak o'."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROLS for c in text)


def _clean(text: str) -> str:
    if has_control_characters(text):
        raise PydanticCustomError("control_characters", "chứa ký tự điều khiển không hợp lệ")
    return nfc(text)


def Text(max_length: int, *, min_length: int = 1):
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length,
                                            max_length=max_length), AfterValidator(_clean)]


# Every id the services hand out (UUIDs, profile slugs like "xa-dak-o", "lao_dong_tien_tien")
# fits this; anything else (a NUL, a path, a kilobyte) is refused as input before any query.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,99}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
