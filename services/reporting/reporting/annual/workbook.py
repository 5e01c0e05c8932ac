"""The yearly report's annexes as an XLSX (openpyxl): one sheet per table, numbers as numbers,
dates as dates, each sheet's totals row summed from its rows (the same figures as GET
/dashboard and GET /quotas for the year)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import tables
from .model import AnnualReport, report_title

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
BOLD = Font(bold=True)
SHEETS = ("Tổng hợp", "Theo đơn vị", "Theo lĩnh vực", "Theo kênh", "Theo loại", "Chỉ tiêu",
          "Danh sách điển hình")


def _sheet(book: Workbook, name: str, report: AnnualReport, header: tuple[str, ...],
           rows: list[tables.Row], *, widths: tuple[int, ...], total: bool = False) -> None:
    sheet = book.create_sheet(name)
    sheet.append([f"{' '.join(report_title(report.year))} – {report.scope_name}"])
    sheet.append([f"Số liệu đến ngày {report.on:%d/%m/%Y}"])
    sheet["A1"].font = BOLD
    sheet.append(list(header))
    for cell in sheet[3]:
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(row)
    if total and rows:
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
    for column in sheet.iter_cols(min_row=4):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A4"


def annual_workbook(report: AnnualReport) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _sheet(book, SHEETS[0], report, ("Mã", "Nội dung", "Số lượng"),
           tables.summary_rows(report), widths=(32, 48, 16))
    _sheet(book, SHEETS[1], report, tables.UNIT_HEADER, tables.unit_rows(report),
           widths=(24, 48, *[12] * 8, 24), total=True)
    _sheet(book, SHEETS[2], report, ("Mã", "Lĩnh vực", *tables.BREAKDOWN_HEADER),
           tables.field_rows(report), widths=(28, 44, 14, 14, 14, 14), total=True)
    _sheet(book, SHEETS[3], report, ("Mã kênh", "Kênh", "Tin, bài đang đăng", "Điển hình"),
           tables.channel_rows(report), widths=(28, 56, 16, 14), total=True)
    _sheet(book, SHEETS[4], report, ("Phân loại", "Mã", "Giá trị", *tables.BREAKDOWN_HEADER),
           tables.kind_rows(report), widths=(30, 28, 40, 14, 14, 14, 14))
    _sheet(book, SHEETS[5], report, ("Mã đơn vị", "Đơn vị", "Chỉ tiêu", "Yêu cầu",
                                     "Đạt được", "Hạn", "Kết quả", "Căn cứ"),
           tables.quota_rows(report), widths=(24, 44, 30, 10, 10, 12, 22, 80))
    _sheet(book, SHEETS[6], report, ("TT", "Danh sách", "Họ và tên / Tên tập thể", "Đối tượng",
                                     "Đơn vị", "Lĩnh vực", "Danh hiệu, hình thức",
                                     "Số quyết định", "Ngày"),
           tables.exemplar_rows(report), widths=(6, 26, 32, 14, 40, 30, 36, 18, 12))
    book.properties.title = " ".join(report_title(report.year))
    book.properties.creator = report.heading.letterhead.unit
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
