"""Nomination rules that need no framework: statuses, and what the profile allows."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from exemplar.errors import RuleViolation
from exemplar.profile import Profile, Unit


class NominationStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    returned = "returned"
    decided = "decided"
    withdrawn = "withdrawn"


def nominating_unit(profile: Profile, unit_id: str, year: int) -> Unit:
    """The user's unit, which must exist in the profile during the nomination's year."""
    try:
        unit = profile.unit(unit_id)
    except KeyError:
        raise RuleViolation(f"Đơn vị '{unit_id}' của tài khoản không có trong hồ sơ "
                            "tổ chức.", fields={"unit": "không tồn tại"}) from None
    ends = unit.effective_to
    if unit.effective_from > date(year, 12, 31) or (ends is not None and ends < date(year, 1, 1)):
        raise RuleViolation(f"{unit.name} không tồn tại trong năm {year}.",
                            fields={"year": f"đơn vị không hoạt động trong năm {year}"})
    return unit


def check_proposal(profile: Profile, *, field: str, award: str, nominee_kind: str) -> None:
    """The field and the proposed title or award form must exist and fit the nominee."""
    problems = {}
    if field not in {f.id for f in profile.fields}:
        problems["field"] = f"lĩnh vực '{field}' không có trong danh mục"
    try:
        found = profile.award(award)
    except KeyError:
        problems["proposed_award"] = f"danh hiệu/hình thức '{award}' không có trong danh mục"
    else:
        if nominee_kind not in found.nominee_kinds:
            problems["proposed_award"] = (f"'{found.name}' không dành cho đối tượng "
                                          f"'{nominee_kind}'")
    if problems:
        raise RuleViolation("Đề nghị khen thưởng không hợp lệ.", fields=problems)
