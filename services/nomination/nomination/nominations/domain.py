"""Nomination rules that need no framework: the lifecycle, and what the profile allows."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from exemplar.errors import InvalidTransition, RuleViolation
from exemplar.profile import Profile, Unit


class NominationStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    returned = "returned"
    decided = "decided"
    revoked = "revoked"
    withdrawn = "withdrawn"


S = NominationStatus
EDITABLE = (S.draft, S.returned)
# Which statuses each command may start from.
SUBMITTABLE = (S.draft, S.returned)
WITHDRAWABLE = (S.draft, S.submitted, S.returned)
STATUS_NAMES = {S.draft: "bản nháp", S.submitted: "đã gửi", S.returned: "bị trả lại",
                S.decided: "đã có quyết định", S.revoked: "đã thu hồi",
                S.withdrawn: "đã rút"}


def require_status(status: str, allowed: tuple[S, ...], action: str) -> None:
    if status not in allowed:
        raise InvalidTransition(
            f"Không thể {action} đề nghị đang ở trạng thái "
            f"'{STATUS_NAMES.get(S(status), status)}'.")


def next_revision(status: str, revision: int) -> int:
    """First submission is revision 1; each resubmission after a return adds one."""
    return revision + 1 if status == S.returned else max(revision, 1)


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


def proposal_problems(profile: Profile, *, field: str, award: str,
                      nominee_kind: str) -> dict[str, str]:
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
    return problems


def check_proposal(profile: Profile, *, field: str, award: str, nominee_kind: str) -> None:
    problems = proposal_problems(profile, field=field, award=award, nominee_kind=nominee_kind)
    if problems:
        raise RuleViolation("Đề nghị khen thưởng không hợp lệ.", fields=problems)


def nominee_problems(nominee: dict) -> dict[str, str]:
    """An individual needs gender and birth year; a collective its member count."""
    problems = {}
    if nominee["kind"] == "individual":
        for key in ("gender", "birth_year"):
            if nominee.get(key) is None:
                problems[f"nominee.{key}"] = "bắt buộc với cá nhân"
    elif nominee["kind"] == "collective" and not nominee.get("member_count"):
        problems["nominee.member_count"] = "bắt buộc với tập thể"
    return problems
