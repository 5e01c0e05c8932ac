"""What a yearly report says, as plain values: gathered once from the projections, then
rendered as DOCX, XLSX or CSV away from the database (and the event loop)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..quotas.rules import STATUS_NAMES, QuotaLine
from ..summaries import BudgetSummary, InspectionSummary, TrainingSummary

if TYPE_CHECKING:  # python-docx loads with the first document, not at start-up
    from exemplar.paperwork import Letterhead

# The measures in the order a report gives them; the keys are those of GET /dashboard.
MEASURE_NAMES = {
    "submitted": "Hồ sơ đề nghị (không kể hồ sơ đã rút)",
    "withdrawn": "Hồ sơ đơn vị đã rút",
    "commended": "Điển hình được công nhận, khen thưởng",
    "rejected": "Hồ sơ không được công nhận",
    "revoked": "Khen thưởng bị thu hồi",
    "publicised": "Điển hình được tuyên truyền",
    "escalated": "Điển hình giới thiệu lên tỉnh",
    "stories": "Tin, bài tuyên truyền",
}
DIMENSION_NAMES = {
    "field": "Lĩnh vực",
    "nominee_kind": "Đối tượng",
    "gender": "Giới tính",
    "ethnicity": "Dân tộc",
    "commendation_kind": "Loại khen thưởng",
    "award": "Danh hiệu, hình thức khen thưởng",
}
COMMENDATION_KINDS = {"regular": "Thường xuyên", "ad_hoc": "Đột xuất",
                      "thematic": "Theo chuyên đề"}
QUOTA_NAMES = {"publicised": "Điển hình được tuyên truyền",
               "escalated": "Điển hình giới thiệu lên tỉnh"}
UNKNOWN = "Không xác định"
# A DOCX lists at most this many names of a list (python-docx takes ~2 ms a table row); the
# XLSX annex lists them all.
LISTED = 100
WORK = ("công tác phát hiện, bồi dưỡng, biểu dương, khen thưởng và tuyên truyền điển hình "
        "tiên tiến")


def report_title(year: int) -> tuple[str, str]:
    return "BÁO CÁO", f"Kết quả thực hiện {WORK} năm {year}"


@dataclass(frozen=True)
class Heading:
    """Who issues, under which number, when, to whom, and who signs (in `letterhead`)."""

    letterhead: Letterhead
    number: str  # as printed after "Số: "
    on: date
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Breakdown:
    """One value of one dimension (a field, a gender…) and what it counts for."""

    dimension: str
    value: str
    name: str
    submitted: int
    commended: int
    publicised: int
    escalated: int


@dataclass(frozen=True)
class ChannelRow:
    channel_id: str
    name: str
    stories: int  # still up
    exemplars: int  # exemplars publicised on it


@dataclass(frozen=True)
class UnitRow:
    unit_id: str
    unit_name: str
    submitted: int
    withdrawn: int
    commended: int
    publicised: int
    escalated: int
    stories: int
    quota: QuotaLine | None  # its "publicised" line, for a unit that owes one
    # Its quota line is counted in that of an owing unit above it in the report (a line's
    # `achieved` counts the units below it): the totals leave it out.
    nested: bool = False

    @property
    def quota_text(self) -> str:
        line = self.quota
        if line is None:
            return ""
        return f"{STATUS_NAMES[line.status]} ({line.achieved}/{line.required})"


@dataclass(frozen=True)
class Exemplar:
    name: str
    nominee_kind: str
    unit_name: str
    field_name: str
    award_name: str  # granted, or proposed to the province
    decision_number: str | None
    day: date | None  # signed on, or escalated on


@dataclass(frozen=True)
class Listing:
    """The first of a list of names, and how many there are in all."""

    items: tuple[Exemplar, ...]
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


@dataclass(frozen=True)
class AnnualReport:
    year: int
    on: date  # the day it is judged and dated
    unit_id: str | None  # None: the district's report, every unit
    scope_name: str  # "huyện Bù Gia Mập", or the unit's name
    tier: str  # the home government's level: "huyện", or "xã" for a commune's profile
    plan: str | None  # the plan it implements, as cited ("Kế hoạch số 80/KH-UBND ngày …")
    board: str  # the provincial emulation board exemplars go up to, by its name
    totals: dict[str, int]  # measure → count, as GET /dashboard gives them
    breakdowns: tuple[Breakdown, ...]
    channels: tuple[ChannelRow, ...]
    units: tuple[UnitRow, ...]
    quotas: tuple[QuotaLine, ...]  # as GET /quotas gives them
    escalated: Listing
    commended: Listing | None  # a unit's report lists its commended exemplars
    inspections: InspectionSummary
    training: TrainingSummary
    budget: BudgetSummary
    heading: Heading

    @property
    def district(self) -> bool:
        return self.unit_id is None

    def by(self, dimension: str) -> list[Breakdown]:
        return [b for b in self.breakdowns if b.dimension == dimension]

    def quota_summary(self) -> dict[str, int]:
        return {s: sum(1 for line in self.quotas if line.status == s) for s in STATUS_NAMES}

    def short_of(self, status: str) -> list[QuotaLine]:
        return [line for line in self.quotas if line.status == status]
