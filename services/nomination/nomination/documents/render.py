"""The cover request (tờ trình) and the achievement report (báo cáo thành tích) as DOCX, in
the administrative layout of Nghị định 30/2020/NĐ-CP: the issuing unit top left with the
number line, the national motto top right with the place and date, the title, the body, then
"Nơi nhận" and the signature. Times New Roman, 13–14 pt, A4 with the decree's margins.

python-docx writes the file (a well-kept library; a DOCX is too intricate to hand-write).
Everything here is layout: the words come in `DossierData`, built by service.py."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
CENTER, JUSTIFY, LEFT = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY,
                         WD_ALIGN_PARAGRAPH.LEFT)
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
GENDERS = {"male": "Nam", "female": "Nữ", "other": "Khác"}


@dataclass(frozen=True)
class Letterhead:
    parent: str | None  # the governing body's line, when the unit has one
    unit: str
    abbreviation: str  # after the document's type in the number: "TTr-UBND"
    place: str
    signer_roles: tuple[str, ...]  # ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    signer_name: str


@dataclass(frozen=True)
class Claim:
    criterion: str
    text: str
    evidence: tuple[str, ...]  # file names


@dataclass(frozen=True)
class DossierData:
    head: Letterhead
    issued_on: date
    recipient: str
    year: int
    nominee: dict
    field: str
    award: str  # "danh hiệu Lao động tiên tiến", "Giấy khen của Chủ tịch UBND huyện"
    commendation: str
    summary: str
    claims: tuple[Claim, ...]
    history: tuple[str, ...]


def date_line(place: str, day: date) -> str:
    """'Đắk Ơ, ngày 05 tháng 02 năm 2024': a zero before days under 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def nominee_lines(nominee: dict) -> list[str]:
    """The nominee's details: an individual's identity, a collective's size and head."""
    kind, get = nominee.get("kind"), nominee.get
    if kind == "individual":
        pairs = [("Họ và tên", get("name")), ("Giới tính", GENDERS.get(get("gender") or "")),
                 ("Năm sinh", get("birth_year")), ("Dân tộc", get("ethnicity")),
                 ("Chức vụ", get("position")), ("Đơn vị công tác", get("workplace"))]
    else:
        share = get("women_share")
        pairs = [("Tên tập thể" if kind == "collective" else "Hộ gia đình", get("name")),
                 ("Số thành viên", get("member_count")),
                 ("Tỷ lệ nữ", f"{share * 100:.0f}%" if share is not None else None),
                 ("Người đứng đầu" if kind == "collective" else "Chủ hộ", get("head")),
                 ("Địa chỉ" if kind == "household" else "Đơn vị", get("workplace"))]
    return [f"- {label}: {value}" for label, value in pairs if value not in (None, "")]


def nominee_phrase(nominee: dict) -> str:
    name = nominee.get("name", "")
    if nominee.get("kind") == "collective":
        return f"tập thể {name}"
    if nominee.get("kind") == "household":
        return f"hộ gia đình {name}"
    return {"male": "ông ", "female": "bà "}.get(nominee.get("gender") or "", "") + name


# -- building blocks ---------------------------------------------------------------------------

def _new(title: str, author: str) -> Document:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    props = document.core_properties
    props.title, props.author, props.language = title, author, "vi-VN"
    return document


def _write(paragraph, text: str, *, bold=False, italic=False, size: float | None = None,
           align=None, indent=False, after: float | None = None):
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def _para(document, text: str = "", **style):
    return _write(document.add_paragraph(), text, **style)


def _cell(cell, lines: list[tuple[str, dict]]) -> None:
    """Lines in a table cell, centred unless told (its first, empty paragraph first)."""
    for i, (text, style) in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        _write(paragraph, text, **{"align": CENTER, "after": 0, **style})


def _two_columns(document, widths: tuple[float, float]):
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = cell.width = Mm(width)
    return table.rows[0].cells


def _letterhead(document, head: Letterhead, issued_on: date, number: str | None) -> None:
    left, right = _two_columns(document, (70, 95))
    lines = [(head.parent.upper(), {"size": 13})] if head.parent else []
    lines.append((head.unit.upper(), {"bold": True, "size": 13}))
    if number:
        lines.append((f"Số:        /{number}-{head.abbreviation}", {"size": 13}))
    _cell(left, lines)
    _cell(right, [(MOTTO[0], {"bold": True, "size": 13}), (MOTTO[1], {"bold": True}),
                  ("", {}), (date_line(head.place, issued_on), {"italic": True})])
    _para(document, after=6)


def _title(document, *lines: str) -> None:
    for i, line in enumerate(lines):
        _para(document, line, bold=True, align=CENTER, after=12 if i == len(lines) - 1 else 0)


def _body(document, text: str) -> None:
    for block in (b.strip() for b in text.splitlines()):
        if block:
            _para(document, block, align=JUSTIFY, indent=True)


def _claims(document, claims: tuple[Claim, ...]) -> None:
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    rows = [("TT", "Tiêu chí", "Thành tích", "Minh chứng")]
    rows += [(str(i), c.criterion, c.text, "; ".join(c.evidence) or "—")
             for i, c in enumerate(claims, 1)]
    for i, values in enumerate(rows):
        cells = table.rows[0].cells if i == 0 else table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            _write(cell.paragraphs[0], value, bold=i == 0, size=13, after=0)
    _para(document, after=6)


def _signature(document, left: list[tuple[str, dict]], roles: tuple[str, ...],
               name: str) -> None:
    left_cell, right_cell = _two_columns(document, (80, 85))
    _cell(left_cell, left)
    _cell(right_cell, [(role, {"bold": True}) for role in roles]
          + [("", {})] * 3 + [(name, {"bold": True})])


def _save(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- the two documents -------------------------------------------------------------------------

def cover_request(data: DossierData) -> bytes:
    """Tờ trình đề nghị khen thưởng, from the unit to whoever grants the award."""
    head, nominee = data.head, data.nominee
    document = _new(f"Tờ trình đề nghị tặng {data.award}", head.unit)
    _letterhead(document, head, data.issued_on, number="TTr")
    _title(document, "TỜ TRÌNH", f"Về việc đề nghị tặng {data.award} năm {data.year}")
    _para(document, f"Kính gửi: {data.recipient}.", align=CENTER, after=12)
    _para(document, f"Căn cứ tiêu chuẩn và thành tích đạt được trong năm {data.year}, "
                    f"{head.unit} kính trình {data.recipient} xem xét, tặng {data.award} cho "
                    f"{nominee_phrase(nominee)}, cụ thể:", align=JUSTIFY, indent=True)
    for line in [*nominee_lines(nominee), f"- Lĩnh vực: {data.field}",
                 f"- Hình thức khen thưởng: {data.commendation}"]:
        _para(document, line, align=JUSTIFY, indent=True)
    _para(document, "Tóm tắt thành tích:", bold=True, indent=True)
    _body(document, data.summary)
    if data.claims:
        _para(document, "Thành tích theo từng tiêu chuẩn:", bold=True, indent=True)
        _claims(document, data.claims)
    _para(document, "(Có báo cáo thành tích kèm theo.)", italic=True, indent=True)
    _para(document, f"{head.unit} kính trình {data.recipient} xem xét, quyết định./.",
          align=JUSTIFY, indent=True, after=12)
    _signature(document, [("Nơi nhận:", {"bold": True, "italic": True, "size": 12,
                                          "align": LEFT}),
                          ("- Như trên;", {"size": 11, "align": LEFT}),
                          ("- Lưu: VT.", {"size": 11, "align": LEFT})],
               head.signer_roles, head.signer_name)
    return _save(document)


def achievement_report(data: DossierData) -> bytes:
    """Báo cáo thành tích: who the nominee is, what they achieved, what they already hold."""
    head, nominee = data.head, data.nominee
    individual = nominee.get("kind") == "individual"
    document = _new(f"Báo cáo thành tích đề nghị tặng {data.award}", head.unit)
    _letterhead(document, head, data.issued_on, number=None)
    phrase = nominee_phrase(nominee)
    _title(document, "BÁO CÁO THÀNH TÍCH", f"Đề nghị tặng {data.award} năm {data.year}",
           phrase[:1].upper() + phrase[1:])
    _para(document, "I. SƠ LƯỢC LÝ LỊCH" if individual else "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH",
          bold=True)
    for line in [*nominee_lines(nominee), f"- Lĩnh vực: {data.field}"]:
        _para(document, line, align=JUSTIFY, indent=True)
    _para(document, "II. THÀNH TÍCH ĐẠT ĐƯỢC", bold=True)
    _body(document, data.summary)
    if data.claims:
        _para(document, "Thành tích theo từng tiêu chuẩn:", bold=True, indent=True)
        _claims(document, data.claims)
    _para(document, "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN", bold=True)
    for line in data.history or ("Chưa có.",):
        _para(document, f"- {line}" if data.history else line, indent=True)
    reporter = (("NGƯỜI BÁO CÁO THÀNH TÍCH",), nominee.get("name", "")) if individual else (
        ("TM. TẬP THỂ",), nominee.get("head") or "")
    _signature(document, [("XÁC NHẬN CỦA THỦ TRƯỞNG ĐƠN VỊ", {"bold": True}),
                          *[("", {})] * 3, (head.signer_name, {"bold": True})], *reporter)
    return _save(document)
