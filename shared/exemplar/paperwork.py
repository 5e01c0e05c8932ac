"""The administrative layout of Nghị định 30/2020/NĐ-CP for every document the services issue:
the issuing unit top left with the number line, the national motto top right with the place and
date, the title, the body, then "Nơi nhận" and the signature. Times New Roman, 13–14 pt, A4 with
the decree's margins, page numbers from page 2 on, and the short solid lines under the
issuing body's name and under the motto.

python-docx writes the files (a well-kept library; a DOCX is too intricate to hand-write). This
module is layout only: each service brings its own words."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from .labels import GENDERS

FONT = "Times New Roman"
CENTER, JUSTIFY, LEFT = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY,
                         WD_ALIGN_PARAGRAPH.LEFT)
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
COMMITTEE = "ỦY BAN NHÂN DÂN"
# What follows w:pBdr in a paragraph's properties (the schema fixes their order).
_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                 "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                 "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                 "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                 "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                 "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
CELL_PADDING = 1.9  # mm each side: the default table style's cell margins


@dataclass(frozen=True)
class Letterhead:
    parent: str | None  # the governing body's line, when the unit has one
    unit: str
    abbreviation: str  # after the document's type in the number: "TTr-UBND"
    place: str
    signer_roles: tuple[str, ...]  # ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    signer_name: str


def abbreviation(name: str) -> str:
    """The issuing body's short form after the document's type in the number line:
    'UBND xã Đắk Ơ' → 'UBND'; 'Phòng Giáo dục và Đào tạo' → 'PGDĐT'."""
    words = [w for w in re.split(r"[\s–-]+", re.split(r"[,(]", name)[0]) if w]
    if words and len(words[0]) > 1 and words[0].isupper():
        return words[0]
    stop = next((i for i, w in enumerate(words) if w in ("huyện", "xã", "tỉnh")), len(words))
    return "".join(w[0].upper() for w in words[:stop] if w != "và" and w[0].isalpha())


def place_name(name: str) -> str:
    """Where a document is issued, without the tier: 'Huyện Bù Gia Mập' → 'Bù Gia Mập',
    'UBND xã Đắk Ơ' → 'Đắk Ơ', 'Xã Bù Gia Mập, huyện Bù Gia Mập (đến 2025)' → 'Bù Gia Mập'."""
    name = re.split(r"[,(]", name)[0]
    name = re.sub(r"^(?:UBND|Ủy ban nhân dân)\s+", "", name.strip(), flags=re.IGNORECASE)
    return re.sub(r"^(?:huyện|xã|tỉnh|thành phố|thị xã|thị trấn|quận|phường|đặc khu)\s+", "",
                  name, flags=re.IGNORECASE).strip()


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


def new_document(title: str, author: str) -> Document:
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


def write(paragraph, text: str, *, bold=False, italic=False, size: float | None = None,
           align=None, indent=False, after: float | None = None):
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    # None inherits the style's (not bold, not italic): no XML for what is off.
    run.bold, run.italic = bold or None, italic or None
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def para(document, text: str = "", **style):
    return write(document.add_paragraph(), text, **style)


@dataclass(frozen=True)
class Rule:
    """A short solid line, centred, in place of a line of text."""

    length: float  # mm


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """About how wide a line of Times New Roman is, in mm: capitals take ~0.7 em, small
    letters ~0.45 em (a bold one ~0.5). Good enough to size a rule, which is centred."""
    ems = sum(0.7 if c.isupper() else 0.25 if c in " .,:;-–'" else 0.5 if bold else 0.45
              for c in text)
    return ems * size * 25.4 / 72


def _rule(paragraph, length: float, within: float) -> None:
    """The paragraph as a solid line `length` mm long, centred in `within` mm: its top
    border, between indents, on an empty line 2 pt high."""
    side = max(0.0, (within - length) / 2)
    style = paragraph.paragraph_format
    style.left_indent = style.right_indent = Mm(side)
    style.space_before = style.space_after = Pt(0)
    style.line_spacing = Pt(2)  # a Length: exactly this high
    border, top = OxmlElement("w:pBdr"), OxmlElement("w:top")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"),
                        ("w:color", "auto")):
        top.set(qn(name), value)
    border.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *_AFTER_BORDER)


def cell_lines(cell, lines: list[tuple[str | Rule, dict]]) -> None:
    """Lines in a table cell, centred unless told (its first, empty paragraph first); a
    `Rule` draws a short line there."""
    within = (cell.width.mm if cell.width else 80) - 2 * CELL_PADDING
    for i, (text, style) in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if isinstance(text, Rule):
            _rule(paragraph, text.length, within)
        else:
            write(paragraph, text, **{"align": CENTER, "after": 0, **style})


def two_columns(document, widths: tuple[float, float]):
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = cell.width = Mm(width)
    return table.rows[0].cells


def issuer_lines(name: str) -> list[str]:
    """The issuing body's name as the heading prints it: a people's committee on two lines
    ('ỦY BAN NHÂN DÂN' / 'HUYỆN BÙ GIA MẬP', Nghị định 30/2020), any other on one."""
    upper = name.upper()
    if upper.startswith(f"{COMMITTEE} ") and len(upper) > len(COMMITTEE) + 1:
        return [COMMITTEE, upper[len(COMMITTEE) + 1:]]
    return [upper]


def page_numbers(document) -> None:
    """Arabic page numbers centred in the top margin, none on the first page (Nghị định
    30/2020): a different first-page header left empty, and a PAGE field in the others."""
    for section in document.sections:
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run, size, text = OxmlElement("w:r"), OxmlElement("w:sz"), OxmlElement("w:t")
        size.set(qn("w:val"), "28")  # half-points: 14 pt
        properties = OxmlElement("w:rPr")
        properties.append(size)
        text.text = "2"  # shown until the reader updates the field
        run.append(properties)
        run.append(text)
        field.append(run)
        paragraph._p.append(field)


LEFT_WIDTH, RIGHT_WIDTH = 70, 95  # mm: the heading's two columns


def letterhead(document, head: Letterhead, issued_on: date, number: str | None, *,
               issued_number: str | None = None) -> None:
    """`number` is the document type ("TTr", "QĐ"): the number line reads "Số:   /TTr-UBND"
    to be filled at registration, or `issued_number` in full once it is known. A short line
    under the issuing body's name (about 2/5 of it) and one under the motto (as long as it);
    the pages after the first are numbered."""
    page_numbers(document)
    left, right = two_columns(document, (LEFT_WIDTH, RIGHT_WIDTH))
    lines: list[tuple[str | Rule, dict]] = (
        [(head.parent.upper(), {"size": 13})] if head.parent else [])
    names = issuer_lines(head.unit)
    lines += [(name, {"bold": True, "size": 13}) for name in names]
    widest = max(text_width(name, 13, bold=True) for name in names)
    lines.append((Rule(min(widest, LEFT_WIDTH - 2 * CELL_PADDING) * 0.4), {}))
    if issued_number:
        lines.append((f"Số: {issued_number}", {"size": 13}))
    elif number:
        lines.append((f"Số:        /{number}-{head.abbreviation}", {"size": 13}))
    cell_lines(left, lines)
    # The national name at 12 pt (the decree allows 12–13): at 13 it wraps in the column.
    cell_lines(right, [(MOTTO[0], {"bold": True, "size": 12}), (MOTTO[1], {"bold": True}),
                       (Rule(text_width(MOTTO[1], 14, bold=True)), {}),
                       ("", {}), (date_line(head.place, issued_on), {"italic": True})])
    para(document, after=6)


def title(document, *lines: str) -> None:
    for i, line in enumerate(lines):
        para(document, line, bold=True, align=CENTER, after=12 if i == len(lines) - 1 else 0)


def body(document, text: str) -> None:
    for block in (b.strip() for b in text.splitlines()):
        if block:
            para(document, block, align=JUSTIFY, indent=True)


def grid(document, rows: list[tuple[str, ...]], *, size: float = 13, total: bool = False,
         widths: tuple[float, ...] | None = None) -> None:
    """A bordered table whose first row is the header (bold); `total`: the last row sums the
    others (bold too); `widths`: each column's, in mm (the text is 165 mm wide)."""
    table = document.add_table(rows=1, cols=len(rows[0]))
    table.style = "Table Grid"
    if widths:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
    for i, values in enumerate(rows):
        cells = table.rows[0].cells if i == 0 else table.add_row().cells
        bold = i == 0 or (total and i == len(rows) - 1)
        for cell, value in zip(cells, values, strict=True):
            write(cell.paragraphs[0], value, bold=bold, size=size, after=0)
        for cell, width in zip(cells, widths or (), strict=False):
            cell.width = Mm(width)
    para(document, after=6)


def signature(document, left: list[tuple[str, dict]], roles: tuple[str, ...],
               name: str) -> None:
    left_cell, right_cell = two_columns(document, (80, 85))
    cell_lines(left_cell, left)
    cell_lines(right_cell, [(role, {"bold": True}) for role in roles]
          + [("", {})] * 3 + [(name, {"bold": True})])


def save(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
