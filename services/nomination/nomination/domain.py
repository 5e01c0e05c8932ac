"""Nomination rules that need no framework: statuses, and what the profile allows."""

from __future__ import annotations

from enum import StrEnum

from exemplar.errors import RuleViolation
from exemplar.profile import Profile


class NominationStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    returned = "returned"
    decided = "decided"
    withdrawn = "withdrawn"


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
