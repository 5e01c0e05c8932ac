"""Public posting's rules: the window a list is posted for, and what public feedback must say.

    posting:  scheduled ──(opens_on)──▶ open ──(after closes_on)──▶ closed
    feedback: pending ──accept──▶ accepted ──(a complaint)──resolve──▶ resolved
                 └─────reject──▶ rejected
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from exemplar.errors import RuleViolation
from exemplar.text import has_control_characters, nfc

from ..cases.domain import S

SCHEDULE_AHEAD_DAYS = 30  # a posting may be scheduled this far ahead…
RECORD_BACK_DAYS = 60  # …or record one already made on the notice board this far back
RECENT_DAYS = 30  # a closed posting stays on the public index this long
# A withdrawn nomination leaves the public list: the unit no longer proposes it.
HIDDEN = (S.withdrawn,)


class Window(StrEnum):
    scheduled = "scheduled"
    open = "open"
    closed = "closed"


WINDOW_NAMES = {Window.scheduled: "chưa đến thời gian công khai",
                Window.open: "đang công khai, đang nhận ý kiến",
                Window.closed: "đã hết thời gian công khai"}


def last_day(opens_on: date, days: int) -> date:
    """The window is `days` long counting its first day; this is its last day, inclusive."""
    return opens_on + timedelta(days=days - 1)


def window(opens_on: date, closes_on: date, today: date) -> Window:
    if today < opens_on:
        return Window.scheduled
    return Window.open if today <= closes_on else Window.closed


def check_opens_on(opens_on: date, today: date) -> None:
    if opens_on > today + timedelta(days=SCHEDULE_AHEAD_DAYS):
        raise RuleViolation(
            f"Ngày bắt đầu công khai chỉ được hẹn trước tối đa {SCHEDULE_AHEAD_DAYS} ngày.",
            fields={"opens_on": f"muộn hơn {SCHEDULE_AHEAD_DAYS} ngày kể từ hôm nay"})
    if opens_on < today - timedelta(days=RECORD_BACK_DAYS):
        raise RuleViolation(
            f"Chỉ ghi nhận được đợt đã niêm yết trong vòng {RECORD_BACK_DAYS} ngày trước.",
            fields={"opens_on": f"sớm hơn {RECORD_BACK_DAYS} ngày trước hôm nay"})


# -- feedback ----------------------------------------------------------------------------------

KINDS = {"comment": "góp ý", "complaint": "phản ánh, khiếu nại"}
STATUS_NAMES = {"pending": "chờ kiểm duyệt", "accepted": "đã tiếp nhận",
                "rejected": "không tiếp nhận", "resolved": "đã giải quyết"}
LABELS = {"kind": "loại ý kiến", "case_id": "hồ sơ", "name": "họ và tên",
          "contact": "địa chỉ liên hệ", "text": "nội dung"}
LIMITS = {"name": 200, "contact": 200, "text": 5000}


@dataclass(frozen=True)
class FeedbackInput:
    kind: str
    case_id: str | None
    name: str
    contact: str
    text: str


def _text(raw: object, limit: int) -> tuple[str, str | None]:
    """The cleaned value and, if it is not acceptable, why (in Vietnamese)."""
    if raw is None or raw == "":
        return "", "bắt buộc phải có"
    if not isinstance(raw, str):
        return "", "phải là chuỗi ký tự"
    value = nfc(raw).strip()
    if not value:
        return "", "bắt buộc phải có"
    if len(value) > limit:
        return value, f"quá dài (tối đa {limit} ký tự)"
    if has_control_characters(value):
        return value, "chứa ký tự không hợp lệ"
    return value, None


def parse_feedback(raw: Mapping[str, object], *, case_ids: set[str]) -> FeedbackInput:
    """Every problem at once, each naming its field; `case_ids` are the cases on the list."""
    problems: dict[str, str] = {}
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        problems["kind"] = ("bắt buộc phải có" if kind is None or kind == "" else
                            "phải là “comment” (góp ý) hoặc “complaint” (khiếu nại)")
    case_id = raw.get("case_id") or None
    if case_id is None:
        if kind == "complaint":
            problems["case_id"] = "khiếu nại phải chỉ rõ hồ sơ bị khiếu nại"
    elif not isinstance(case_id, str) or case_id not in case_ids:
        problems["case_id"] = "không có trong danh sách công khai này"
    values = {}
    for name, limit in LIMITS.items():
        values[name], problem = _text(raw.get(name), limit)
        if problem:
            problems[name] = problem
    if problems:
        named = "; ".join(f"{LABELS[f]} ({f}): {why}" for f, why in problems.items())
        raise RuleViolation(f"Ý kiến chưa hợp lệ — {named}.", fields=problems)
    return FeedbackInput(kind=str(kind), case_id=case_id, **values)
