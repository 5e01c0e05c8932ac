"""The yearly report's annexes as an XLSX (openpyxl): one sheet per table, numbers as numbers,
dates as dates, each sheet's totals row summed from its rows (the same figures as GET
/dashboard and GET /quotas for the year).

The workbook is write-only (openpyxl streams each sheet's rows to a temporary file as they
come): the list of exemplars may hold every name of a large unit's year, and a hundred
thousand rows then cost the memory of one chunk. Measured with 100,000 names of one commune
on two busy cores: ~9.5 s for the file on SQLite and PostgreSQL alike (~7.5 s of it openpyxl
writing 900,000 cells), at most ~11 MB of Python memory held. Every text is stored as a
string, never as a formula or an error code (a nominee named '=HYPERLINK(…)' stays a name)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import tables
from .model import AnnualReport, Exemplar, report_title

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
BOLD = Font(bold=True)
SHEETS = ("Tổng hợp", "Theo đơn vị", "Theo lĩnh vực", "Theo kênh", "Theo loại", "Chỉ tiêu",
          "Danh sách điển hình")
NAMES_SHEET = SHEETS[6]


class AnnualWorkbook:
    """The workbook of one report: the tables at once, the names as they are read, then
    `close()` for the file's bytes."""

    def __init__(self, report: AnnualReport) -> None:
        self.report = report
        self.book = Workbook(write_only=True)
        self.listed = 0
        self._tables()
        self.names = self._sheet(NAMES_SHEET, tables.EXEMPLAR_HEADER,
                                 widths=(8, 26, 32, 14, 40, 30, 36, 18, 12))

    def _cell(self, sheet, value, *, bold: bool = False):
        """A value as openpyxl would write it, except that text stays text; bold or a date
        (DD/MM/YYYY) takes a styled cell."""
        if isinstance(value, str):
            value = self._text(sheet, value)
        elif isinstance(value, date):
            value = self._day(sheet, value)
        if bold:
            cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value)
            cell.font = BOLD
            return cell
        return value

    @staticmethod
    def _text(sheet, value: str):
        """openpyxl takes '=…' for a formula and '#N/A' for an error: those are typed as
        strings; any other text is a string already."""
        if not (value.startswith("=") or value in ERROR_CODES):
            return value
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell

    @staticmethod
    def _day(sheet, value: date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD/MM/YYYY"
        return cell

    def _sheet(self, name: str, header: tuple[str, ...], *, widths: tuple[int, ...]):
        """A sheet with the report's title, its date and the header; the first three rows
        stay in view."""
        sheet = self.book.create_sheet(name)
        for i, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A4"
        report = self.report
        sheet.append([self._cell(sheet, f"{' '.join(report_title(report.year))} – "
                                        f"{report.scope_name}", bold=True)])
        sheet.append([f"Số liệu đến ngày {report.on:%d/%m/%Y}"])
        cells = []
        for value in header:
            cell = WriteOnlyCell(sheet, value)
            cell.font, cell.fill = BOLD, HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cells.append(cell)
        sheet.append(cells)
        return sheet

    def _table(self, name: str, header: tuple[str, ...], rows: list[tables.Row], *,
               widths: tuple[int, ...], total: bool = False) -> None:
        sheet = self._sheet(name, header, widths=widths)
        for i, row in enumerate(rows, 1):
            bold = total and i == len(rows)
            sheet.append([self._cell(sheet, v, bold=bold and v is not None) for v in row])

    def _tables(self) -> None:
        report = self.report
        self._table(SHEETS[0], ("Mã", "Nội dung", "Số lượng"), tables.summary_rows(report),
                    widths=(32, 48, 16))
        self._table(SHEETS[1], tables.UNIT_HEADER, tables.unit_rows(report),
                    widths=(24, 48, *[12] * 8, 24), total=True)
        self._table(SHEETS[2], ("Mã", "Lĩnh vực", *tables.BREAKDOWN_HEADER),
                    tables.field_rows(report), widths=(28, 44, 14, 14, 14, 14), total=True)
        self._table(SHEETS[3], ("Mã kênh", "Kênh", "Tin, bài đang đăng", "Điển hình"),
                    tables.channel_rows(report), widths=(28, 56, 16, 14), total=True)
        self._table(SHEETS[4], ("Phân loại", "Mã", "Giá trị", *tables.BREAKDOWN_HEADER),
                    tables.kind_rows(report), widths=(30, 28, 40, 14, 14, 14, 14))
        self._table(SHEETS[5], ("Mã đơn vị", "Đơn vị", "Chỉ tiêu", "Yêu cầu", "Đạt được",
                                "Hạn", "Kết quả", "Căn cứ"),
                    tables.quota_rows(report), widths=(24, 44, 30, 10, 10, 12, 22, 80))

    def add_rows(self, rows: Iterable[tables.Row]) -> None:
        for row in rows:
            self.names.append([self._cell(self.names, v) for v in row])

    def add_names(self, label: str, exemplars: Iterable[Exemplar]) -> None:
        """Names of one list, numbered on from those before (the hot loop of a large unit's
        workbook: ~70 µs a row, most of it openpyxl's)."""
        sheet, text, day = self.names, self._text, self._day
        for e in exemplars:
            self.listed += 1
            *values, signed = tables.exemplar_row(self.listed, label, e)
            sheet.append([*(text(sheet, v) if isinstance(v, str) else v for v in values),
                          day(sheet, signed) if signed else None])

    def discard(self) -> None:
        """Closes the sheets' temporary files of a workbook that will not be sent."""
        with contextlib.suppress(Exception):
            self.close()

    def close(self) -> bytes:
        self.book.properties.title = " ".join(report_title(self.report.year))
        self.book.properties.creator = self.report.heading.letterhead.unit
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def annual_workbook(report: AnnualReport) -> bytes:
    """The workbook with the names the report holds (the first of each list, and how many
    more there are); service.build streams the whole lists instead."""
    book = AnnualWorkbook(report)
    book.add_rows(tables.exemplar_rows(report))
    return book.close()
