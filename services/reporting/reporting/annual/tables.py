"""The yearly report's tables as rows of plain values (numbers stay numbers), shared by the
XLSX annexes and the CSV: each ends with its totals row, summed from the rows above it.

A text a spreadsheet would take for a formula (= + - @, a tab, a carriage return first: a
nominee named '=HYPERLINK(…)') is written as text: the CSV puts an apostrophe before it (the
OWASP advice on CSV injection), the XLSX types its cell as a string (workbook.py)."""

from __future__ import annotations

import csv
import io

from exemplar.labels import NOMINEE_KINDS

from ..quotas.rules import STATUS_NAMES
from .model import DIMENSION_NAMES, MEASURE_NAMES, QUOTA_NAMES, AnnualReport, Exemplar

Row = list[str | int | None]

UNIT_HEADER = ("Mã đơn vị", "Đơn vị", "Hồ sơ đề nghị", "Hồ sơ đã rút", "Được công nhận",
               "Được tuyên truyền", "Giới thiệu lên tỉnh", "Tin, bài", "Chỉ tiêu: yêu cầu",
               "Chỉ tiêu: đạt được", "Kết quả chỉ tiêu")
UNIT_MEASURES = ("submitted", "withdrawn", "commended", "publicised", "escalated", "stories")
BREAKDOWN_HEADER = ("Hồ sơ đề nghị", "Được công nhận", "Được tuyên truyền",
                    "Giới thiệu lên tỉnh")
BREAKDOWN_MEASURES = ("submitted", "commended", "publicised", "escalated")
TOTAL = "Tổng cộng"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXEMPLAR_HEADER = ("TT", "Danh sách", "Họ và tên / Tên tập thể", "Đối tượng", "Đơn vị",
                   "Lĩnh vực", "Danh hiệu, hình thức", "Số quyết định", "Ngày")
COMMENDED, ESCALATED = "Được công nhận, khen thưởng", "Giới thiệu lên tỉnh"


def _sums(rows: list[Row], columns: range) -> list[int]:
    return [sum(int(r[c] or 0) for r in rows) for c in columns]


def unit_rows(report: AnnualReport) -> list[Row]:
    rows: list[Row] = []
    for u in report.units:
        line = u.quota
        rows.append([u.unit_id, u.unit_name, *(getattr(u, m) for m in UNIT_MEASURES),
                     line.required if line else None, line.achieved if line else None,
                     STATUS_NAMES[line.status] if line else None])
    owing = [u.quota for u in report.units if u.quota is not None]
    met = sum(1 for line in owing if line.status == "met")
    status = f"{STATUS_NAMES['met']}: {met}/{len(owing)}" if owing else None
    # The rule of the totals: the counts add every row (each row has its unit's own counts);
    # the quota's required and achieved add only the top-level lines, those of units with no
    # owing unit above them here, because a commune's line already counts its sub-units.
    top = [u.quota for u in report.units if u.quota is not None and not u.nested]
    quota = [sum(line.required for line in top), sum(line.achieved for line in top)]
    return [*rows, [None, TOTAL, *_sums(rows, range(2, 8)), *quota, status]]


def as_text(value):
    """A CSV cell a spreadsheet will not evaluate: text that starts like a formula gets an
    apostrophe before it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return "" if value is None else value


def unit_csv(report: AnnualReport) -> bytes:
    """UTF-8 with a byte order mark: Excel opens a CSV without one in the machine's legacy
    code page (Windows-1258 or 1252 here), and the Vietnamese names come out garbled."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(UNIT_HEADER)
    writer.writerows([as_text(v) for v in row] for row in unit_rows(report))
    return out.getvalue().encode("utf-8-sig")


def summary_rows(report: AnnualReport) -> list[Row]:
    """Code, what it is, how many: the measures (the keys of GET /dashboard's totals), the
    quota lines by status (GET /quotas' summary), inspections, training and budget."""
    rows: list[Row] = [[m, name, report.totals[m]] for m, name in MEASURE_NAMES.items()]
    summary = report.quota_summary()
    rows += [[f"quotas.{s}", f"Chỉ tiêu: {name.lower()}", summary[s]]
             for s, name in STATUS_NAMES.items()]
    i, t, b = report.inspections, report.training, report.budget
    rows += [
        ["inspections.plans", "Kế hoạch kiểm tra", i.plans],
        ["inspections.units_inspected", "Đơn vị được kiểm tra", i.units_inspected],
        ["inspections.findings", "Nội dung phát hiện qua kiểm tra", i.findings],
        ["inspections.recommendations", "Kiến nghị", i.recommendations],
        ["inspections.recommendations_done", "Kiến nghị đã thực hiện xong",
         i.recommendations_done],
        ["inspections.recommendations_open", "Kiến nghị đang thực hiện",
         i.recommendations_open],
        ["training.sessions", "Lớp tập huấn", t.sessions],
        ["training.participants", "Lượt người tham dự tập huấn", t.participants],
        ["training.units", "Đơn vị cử người tham dự tập huấn", t.units],
        ["budget.estimated", "Kinh phí dự toán (đồng)", b.estimated],
        ["budget.allocated", "Kinh phí được phân bổ (đồng)", b.allocated],
        ["budget.bonus", "Tiền thưởng trong dự toán (đồng)", b.bonus],
        ["budget.unpriced", "Khen thưởng chưa có định mức tiền thưởng", b.unpriced],
    ]
    return rows


def field_rows(report: AnnualReport) -> list[Row]:
    rows: list[Row] = [[b.value, b.name, *(getattr(b, m) for m in BREAKDOWN_MEASURES)]
                       for b in report.by("field")]
    return [*rows, [None, TOTAL, *_sums(rows, range(2, 6))]]


def kind_rows(report: AnnualReport) -> list[Row]:
    """Every other dimension, one after the other: its name, the value's code and name."""
    return [[DIMENSION_NAMES[d], b.value, b.name, *(getattr(b, m) for m in BREAKDOWN_MEASURES)]
            for d in DIMENSION_NAMES if d != "field" for b in report.by(d)]


def channel_rows(report: AnnualReport) -> list[Row]:
    """An exemplar on two channels counts on each: the totals row gives the exemplars once."""
    rows: list[Row] = [[c.channel_id, c.name, c.stories, c.exemplars]
                       for c in report.channels]
    return [*rows, [None, f"{TOTAL} (mỗi điển hình tính một lần)", report.totals["stories"],
                    report.totals["publicised"]]]


def quota_rows(report: AnnualReport) -> list[Row]:
    return [[q.unit_id, q.unit_name, QUOTA_NAMES[q.quota], q.required, q.achieved, q.due_on,
             STATUS_NAMES[q.status], q.rule] for q in report.quotas]


def exemplar_row(position: int, label: str, e: Exemplar) -> Row:
    return [position, label, e.name, NOMINEE_KINDS.get(e.nominee_kind, e.nominee_kind),
            e.unit_name, e.field_name, e.award_name, e.decision_number, e.day]


def exemplar_rows(report: AnnualReport) -> list[Row]:
    """The names the report holds (the first of each list), and how many more there are."""
    rows: list[Row] = []
    for label, listing in ((COMMENDED, report.commended), (ESCALATED, report.escalated)):
        if listing is None:
            continue
        rows += [exemplar_row(len(rows) + 1, label, e) for e in listing.items]
        if listing.more:
            rows.append([None, label, f"… và {listing.more} điển hình khác", *[None] * 6])
    return rows
