"""Exchanges and ceremonies: an exchange meeting (giao lưu) or an honouring ceremony (tôn
vinh) brings exemplars before an audience — a school, a conference — and is recorded
afterwards.

    scheduled ──record (held)──▶ held
        └─────record (not held)──▶ not_held

Since the 2023 decree a ceremony is held together with a holiday, an anniversary or a review
conference, never on its own: one without an occasion is refused with the question which."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from exemplar.errors import Conflict, RuleViolation

from ..stories.domain import St


class Kind(StrEnum):
    exchange = "exchange"
    ceremony = "ceremony"


class OccasionKind(StrEnum):
    holiday = "holiday"
    anniversary = "anniversary"
    review_conference = "review_conference"


@dataclass(frozen=True)
class Occasion:
    kind: OccasionKind
    name: str  # "Kỷ niệm 78 năm Ngày Thương binh – Liệt sĩ", "Hội nghị tổng kết năm 2024"


class Status(StrEnum):
    scheduled = "scheduled"
    held = "held"
    not_held = "not_held"


KIND_NAMES = {Kind.exchange: "giao lưu điển hình tiên tiến", Kind.ceremony: "lễ tôn vinh"}
OCCASION_NAMES = {OccasionKind.holiday: "ngày lễ", OccasionKind.anniversary: "ngày kỷ niệm",
                  OccasionKind.review_conference: "hội nghị sơ kết, tổng kết"}
STATUS_NAMES = {Status.scheduled: "đã lên lịch", Status.held: "đã tổ chức",
                Status.not_held: "không tổ chức"}
# The channels that hold meetings rather than publish stories.
ORGANISING_KINDS = ("exchange", "political_class")
# A story at one of these stages shows the exemplar was checked against its decision.
PRESENTABLE = (St.approved, St.scheduled, St.published)


def check_occasion(kind: Kind, occasion: Occasion | None) -> None:
    if kind == Kind.ceremony and occasion is None:
        raise RuleViolation(
            "Lễ tôn vinh không tổ chức riêng mà gắn với một ngày lễ, ngày kỷ niệm hoặc hội "
            "nghị sơ kết, tổng kết: lễ này tổ chức vào dịp nào?",
            fields={"occasion": "cần cho biết dịp tổ chức: ngày lễ (holiday), ngày kỷ niệm "
                                "(anniversary) hay hội nghị sơ kết, tổng kết "
                                "(review_conference)"})


def check_editable(status: str) -> None:
    if status != Status.scheduled:
        raise Conflict(f"Buổi này đã được ghi nhận “{STATUS_NAMES[Status(status)]}”, không "
                       f"sửa được nữa.", fields={"status": status})


def check_record(*, status: str, held: bool, attendance: int, on: date, today: date) -> None:
    """Recorded once, after the day has come; a meeting not held had no one attending."""
    if status != Status.scheduled:
        raise Conflict("Kết quả buổi này đã được ghi nhận.", fields={"status": status})
    if on > today:
        raise RuleViolation(
            f"Chưa đến ngày tổ chức ({on:%d/%m/%Y}); chỉ ghi nhận kết quả từ ngày đó.",
            fields={"held_on": "chưa đến ngày tổ chức"})
    if not held and attendance:
        raise RuleViolation("Buổi không tổ chức thì không có người dự.",
                            fields={"attendance": "phải bằng 0 khi không tổ chức"})
