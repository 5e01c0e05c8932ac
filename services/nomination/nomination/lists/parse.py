"""Reading a nomination list: a CSV (UTF-8, with or without BOM, comma or semicolon) or an XLSX
file, recognised by its content, whose first row names the columns.

Columns (the Vietnamese header or an alias; case, diacritics and spacing do not matter):

    Loại đối tượng* (kind): ca_nhan/tap_the/ho_gia_dinh, cá nhân, individual, collective…
    Họ và tên / Tên tập thể* (Họ và tên, Họ tên, Tên tập thể, name): ≤ 200 characters
    Giới tính (gender): Nam/Nữ/Khác, male/female/other · Năm sinh (birth_year): 1900–2100
    Dân tộc (ethnicity), Chức vụ (position), Đơn vị công tác (workplace), Người đứng đầu
    (head): text · Số thành viên (member_count): ≥ 1 · Tỷ lệ nữ (women_share): 0,4 or 40%
    Lĩnh vực° (field), Danh hiệu/Hình thức° (Danh hiệu, Hình thức, Hình thức khen thưởng,
    award, proposed_award): a code or a name of the profile (kinh_te or "Kinh tế")
    Loại khen thưởng° (commendation_kind): thường xuyên/đột xuất/chuyên đề, regular/ad_hoc/thematic
    Năm° (Năm đề nghị, year): the nomination year
    Thành tích* (Tóm tắt thành tích, achievement, achievement_summary): ≤ 20000 characters
    STT (Số thứ tự, no): ignored

`*` required. `°` the form field of the same meaning (`field`, `proposed_award`,
`commendation_kind`, `year`) fills the column when it is missing or a cell is empty. An
individual needs gender and birth year; a collective its member count. Blank rows are skipped;
row numbers are the spreadsheet's (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import fold


@dataclass(frozen=True)
class Column:
    key: str  # path in NominationCreate, "nominee.name"; "" for an ignored column
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    hint: str = ""  # the values it takes, for the template


DEFAULT = "; trống: lấy giá trị của biểu mẫu"
COLUMNS = (
    Column("nominee.kind", "Loại đối tượng", ("kind", "nominee_kind"), required=True,
           hint="cá nhân, tập thể hoặc hộ gia đình"),
    Column("nominee.name", "Họ và tên / Tên tập thể",
           ("Họ và tên", "Họ tên", "Tên tập thể", "name"), required=True, hint="≤ 200 ký tự"),
    Column("nominee.gender", "Giới tính", ("gender",), hint="Nam, Nữ hoặc Khác (cá nhân)"),
    Column("nominee.birth_year", "Năm sinh", ("birth_year",), hint="1900–2100 (cá nhân)"),
    Column("nominee.ethnicity", "Dân tộc", ("ethnicity",), hint="≤ 50 ký tự"),
    Column("nominee.position", "Chức vụ", ("position",), hint="≤ 200 ký tự"),
    Column("nominee.workplace", "Đơn vị công tác", ("workplace",), hint="≤ 300 ký tự"),
    Column("nominee.member_count", "Số thành viên", ("member_count",),
           hint="số nguyên ≥ 1 (tập thể)"),
    Column("nominee.women_share", "Tỷ lệ nữ", ("women_share",), hint="0,4 hoặc 40%"),
    Column("nominee.head", "Người đứng đầu", ("head",), hint="≤ 200 ký tự"),
    Column("field", "Lĩnh vực", ("field",), hint="mã hoặc tên lĩnh vực" + DEFAULT),
    Column("proposed_award", "Danh hiệu/Hình thức",
           ("Danh hiệu", "Hình thức", "Hình thức khen thưởng", "award", "proposed_award"),
           hint="mã hoặc tên danh hiệu/hình thức" + DEFAULT),
    Column("commendation_kind", "Loại khen thưởng", ("commendation_kind",),
           hint="thường xuyên, đột xuất hoặc chuyên đề" + DEFAULT),
    Column("year", "Năm", ("Năm đề nghị", "year"), hint="năm đề nghị" + DEFAULT),
    Column("achievement_summary", "Thành tích",
           ("Tóm tắt thành tích", "achievement", "achievement_summary"), required=True,
           hint="tóm tắt thành tích, ≤ 20000 ký tự"),
    Column("", "STT", ("Số thứ tự", "no")),
)
HEADER = {c.key: c.header for c in COLUMNS if c.key}


def _header_key(text: str) -> str:
    return re.sub(r"\s*/\s*", "/", fold(text.replace("*", "")))


LOOKUP = {_header_key(name): column for column in COLUMNS
          for name in (column.header, *column.aliases)}
MAX_ERRORS = 200
MAX_BYTES = 64 * 1024 * 1024


@dataclass
class ListRejected(Exception):
    """The file or some of its rows are wrong: nothing is written. `errors` are
    {"row", "field", "message"}; `more` counts the errors past the first MAX_ERRORS."""

    message: str
    errors: list[dict] = field(default_factory=list)
    more: int = 0

    @classmethod
    def file(cls, message: str, *, row: int | None = None, column: str = "file") -> ListRejected:
        return cls(message, [{"row": row, "field": column, "message": message}])


@dataclass
class Table:
    columns: list[Column | None]  # by position; None: a column without a header
    rows: list[tuple[int, list]]  # (spreadsheet row number, cells)


def read_table(content: bytes, *, max_rows: int) -> Table:
    """The header and the non-blank rows of a CSV or XLSX file, or ListRejected."""
    if not content.strip():
        raise ListRejected.file("Tệp rỗng.")
    if len(content) > MAX_BYTES:
        raise ListRejected.file(f"Tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB.")
    if content.startswith(b"PK\x03\x04"):
        lines = _xlsx_lines(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ListRejected.file("Tệp Excel 97–2003 (.xls) không được hỗ trợ; hãy lưu lại "
                                "thành .xlsx hoặc CSV UTF-8.")
    else:
        lines = _csv_lines(content)
    header = next(lines, None)
    if header is None or not any(map(_filled, header)):
        raise ListRejected.file("Tệp không có dòng tiêu đề.", row=1)
    columns = _columns(header)
    rows = []
    for number, cells in enumerate(lines, start=2):
        if not any(map(_filled, cells)):
            continue
        if len(rows) == max_rows:
            raise ListRejected.file(f"Danh sách có hơn {max_rows} dòng, vượt giới hạn một lần "
                                    "nhập; hãy chia thành nhiều tệp.", row=number)
        rows.append((number, cells))
    if not rows:
        raise ListRejected.file("Tệp không có dòng dữ liệu nào.", row=2)
    return Table(columns, rows)


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _filled(cell) -> bool:
    return not _blank(cell)


def _csv_lines(content: bytes):
    if b"\x00" in content:
        raise ListRejected.file("Tệp không phải CSV (văn bản UTF-8) hay XLSX.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ListRejected.file("Tệp CSV phải mã hóa UTF-8 (không đọc được nội dung; hãy lưu "
                                "lại với 'CSV UTF-8').") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    except csv.Error as exc:
        raise ListRejected.file(f"Tệp CSV không đúng định dạng: {exc}.") from None


def _xlsx_lines(content: bytes):
    import openpyxl  # only when an XLSX comes in

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a broken archive or its XML: the file is unreadable
        raise ListRejected.file(f"Tệp XLSX hỏng hoặc không phải XLSX ({exc}).") from None
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    except Exception as exc:
        raise ListRejected.file(f"Tệp XLSX hỏng, không đọc hết được ({exc}).") from None
    finally:
        book.close()


def _columns(header: list) -> list[Column | None]:
    columns: list[Column | None] = []
    errors, seen = [], set()
    for cell in header:
        if _blank(cell):
            columns.append(None)
            continue
        column = LOOKUP.get(_header_key(str(cell)))
        if column is None:
            errors.append({"row": 1, "field": str(cell).strip(),
                           "message": "cột không được hỗ trợ (xem mẫu /nomination-lists/"
                                      "template.csv)"})
            continue
        if column.key and column.key in seen:
            errors.append({"row": 1, "field": str(cell).strip(), "message": "cột bị lặp lại"})
        seen.add(column.key)
        columns.append(column)
    for column in COLUMNS:
        if column.required and column.key not in seen:
            errors.append({"row": 1, "field": column.header, "message": "thiếu cột bắt buộc"})
    if errors:
        raise ListRejected("Dòng tiêu đề không hợp lệ.", errors)
    return columns


def _choices(**names: tuple[str, ...]) -> dict[str, str]:
    return {fold(alias): value for value, aliases in names.items()
            for alias in (value, *aliases)}


CHOICES = {
    "nominee.kind": (_choices(individual=("ca_nhan", "cá nhân"), collective=("tap_the",
                     "tập thể"), household=("ho_gia_dinh", "hộ gia đình")),
                     "cá nhân, tập thể hoặc hộ gia đình"),
    "nominee.gender": (_choices(male=("nam", "m"), female=("nữ", "f"), other=("khác",)),
                       "Nam, Nữ hoặc Khác"),
    "commendation_kind": (_choices(regular=("thường xuyên",), ad_hoc=("đột xuất",),
                                   thematic=("chuyên đề",)),
                          "thường xuyên, đột xuất hoặc chuyên đề"),
}
UNNAMED = "(cột không có tiêu đề)"


@lru_cache(maxsize=1024)
def _choice(key: str, text: str) -> str | None:
    return CHOICES[key][0].get(fold(text))


def row_values(columns: list[Column | None], cells: list) -> tuple[dict, dict[str, str]]:
    """A row's non-empty cells in the shape of NominationCreate (the nominee's under
    "nominee"), choices and shares turned into their codes, and the problems found doing so
    (column header → message)."""
    nominee: dict = {}
    values, problems = {"nominee": nominee}, {}
    if len(cells) > len(columns) and any(map(_filled, cells[len(columns):])):
        problems[UNNAMED] = "dòng có nhiều ô hơn dòng tiêu đề (dấu phân cách thừa?)"
    for column, cell in zip(columns, cells, strict=False):
        if cell.__class__ is str:
            cell = cell.strip()
            if not cell:
                continue
        elif cell is None:
            continue
        elif cell.__class__ is float and cell.is_integer():
            cell = int(cell)  # an XLSX number cell: 1985.0
        elif not isinstance(cell, int | float):
            cell = str(cell)  # a date or time cell: a text the checks will judge
        if column is None:
            problems[UNNAMED] = "có giá trị nhưng cột không có tiêu đề"
            continue
        key = column.key
        if key in CHOICES:
            value = _choice(key, str(cell))
            if value is None:
                problems[column.header] = f"'{cell}' không hợp lệ; dùng {CHOICES[key][1]}"
                continue
            cell = value
        elif key == "nominee.women_share":
            value = _share(cell)
            if value is None:
                problems[column.header] = f"'{cell}' không hợp lệ; ví dụ 0,4 hoặc 40%"
                continue
            cell = value
        if key.startswith("nominee."):
            nominee[key[8:]] = cell
        elif key:  # not the STT column
            values[key] = cell
    return values, problems


def _share(value) -> float | None:
    """0.4, '0,4', '40%' or '40' (a number above 1 is a percentage) → 0.4."""
    if isinstance(value, str):
        text = value.replace(",", ".").replace(" ", "")
        percent = text.endswith("%")
        try:
            value = float(text.rstrip("%"))
        except ValueError:
            return None
        if percent:
            value /= 100
    if not isinstance(value, int | float) or value < 0:
        return None
    return value / 100 if value > 1 else float(value)


def template_headers() -> list[str]:
    return [c.header for c in COLUMNS if c.key]
