"""Appraisal's pure parts: comparing texts, checking that findings cover every achievement,
counting verdicts, and the arithmetic of share caps."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

from exemplar.text import fold

__all__ = ["fold"]  # the platform's, as the rules compare texts

Verdict = Literal["verified", "unverified", "overstated"]
VERDICTS: tuple[Verdict, ...] = ("verified", "unverified", "overstated")
NOMINEE_KINDS = {"individual": "cá nhân", "collective": "tập thể", "household": "hộ gia đình"}


def coverage_errors(indexes: Sequence[int], achievements: Sequence[str]) -> dict[str, str]:
    """Field → reason for findings that do not mark every achievement exactly once
    (achievements are numbered from 0, as the case shows them)."""
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for position, index in enumerate(indexes):
        field = f"findings[{position}]"
        if not 0 <= index < len(achievements):
            errors[field] = (f"thành tích số {index} không có trong hồ sơ "
                             f"(hồ sơ có {len(achievements)} thành tích, số 0–"
                             f"{len(achievements) - 1})")
        elif index in seen:
            errors[field] = f"thành tích số {index} đã được đánh giá ở mục trước"
        seen.add(index)
    missing = [i for i in range(len(achievements)) if i not in seen]
    if missing:
        errors["findings"] = "chưa đánh giá " + "; ".join(
            f"thành tích số {i} (“{achievements[i]}”)" for i in missing)
    return errors


def tally(verdicts: Sequence[str]) -> dict[str, int]:
    counts = Counter(verdicts)
    return {verdict: counts[verdict] for verdict in VERDICTS}


def cap_limit(max_share: float, among: int) -> int:
    """How many nominations a cap of `max_share` of `among` allows. Exact arithmetic on the
    decimal the profile wrote: 0.15 × 20 is 3, not 3.0000000000000004."""
    return math.floor(Fraction(str(max_share)) * among)


def percent(share: float) -> str:
    return f"{share * 100:.4g} %".replace(".", ",")  # Vietnamese decimal comma
