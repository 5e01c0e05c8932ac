"""Vietnamese text helpers shared by the service's features."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics, for search: 'Đắk Ơ' → 'dak o'."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
