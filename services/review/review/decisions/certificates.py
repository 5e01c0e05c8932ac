"""Certificates (Giấy khen, Giấy chứng nhận danh hiệu) for every grant of a decision, in bulk:
one DOCX each, all in one ZIP.

A decision may list a thousand names. The layout is rendered with python-docx once per award,
with markers where each nominee's words go; each certificate is then that package with the
markers replaced in its text part — the same document python-docx would write, in a fraction
of the time."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from xml.sax.saxutils import escape

from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from exemplar.paperwork import (
    CENTER,
    MOTTO,
    cell_lines,
    date_line,
    new_document,
    nominee_phrase,
    para,
    save,
    two_columns,
)

from .paper import Line, Paper

BODY = "word/document.xml"
# Optional parts of python-docx's default template, dropped from certificates: a thousand
# copies of them are most of the time spent compressing (the styles proper stay).
OPTIONAL = ("stylesWithEffects", "metadata/thumbnail")
NAME, DETAIL, ACHIEVEMENT = "@@NAME@@", "@@DETAIL@@", "@@ACHIEVEMENT@@"
MARKER = re.compile("@@(?:NAME|DETAIL|ACHIEVEMENT)@@")


def _heading(line: Line) -> list[tuple[str, float]]:
    """'TẶNG GIẤY KHEN' for an award form, 'CÔNG NHẬN DANH HIỆU' and the title for a title."""
    award = line.award or ""
    if line.category == "title":
        return [("CÔNG NHẬN DANH HIỆU", 22), (award.upper(), 28)]
    if award.lower().startswith("giấy khen"):
        return [("TẶNG GIẤY KHEN", 30)]
    return [(f"TẶNG {award.upper()}", 26)]


def _template(paper: Paper, line: Line) -> dict[str, bytes]:
    """The certificate of `line`'s award as package parts, the nominee's words as markers."""
    issuer = paper.issuer
    document = new_document(line.award or "Giấy khen", issuer.head.unit)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(15)
    section.left_margin = section.right_margin = Mm(20)
    para(document, MOTTO[0], bold=True, size=13, align=CENTER, after=0)
    para(document, MOTTO[1], bold=True, align=CENTER, after=12)
    para(document, issuer.authority, bold=True, size=16, align=CENTER, after=12)
    for text, size in _heading(line):
        para(document, text, bold=True, size=size, align=CENTER, after=6)
    para(document, NAME, bold=True, size=20, align=CENTER, after=0)
    para(document, DETAIL, italic=True, align=CENTER, after=6)
    para(document, ACHIEVEMENT, align=CENTER, after=12)
    left, right = two_columns(document, (120, 137))
    cell_lines(left, [(f"Quyết định số {paper.number}", {"size": 13}),
                      (f"ngày {paper.signed_on:%d/%m/%Y}", {"size": 13, "italic": True})])
    cell_lines(right, [(date_line(issuer.head.place, paper.signed_on), {"italic": True}),
                       *[(role, {"bold": True}) for role in issuer.head.signer_roles],
                       *[("", {})] * 3, (issuer.head.signer_name, {"bold": True})])
    for rels in (document.part.rels, document.part.package.rels):
        for rid in [r for r, rel in rels.items() if rel.reltype.endswith(OPTIONAL)]:
            rels.pop(rid)
    with zipfile.ZipFile(io.BytesIO(save(document))) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def _lower_first(text: str) -> str:
    """'Vận động 40 hộ…' → 'vận động 40 hộ…'; an acronym or a name keeps its capitals."""
    word = text.split(" ", 1)[0]
    return text if word[1:2].isupper() or word.isupper() else text[:1].lower() + text[1:]


def _words(line: Line) -> dict[str, str]:
    phrase = nominee_phrase(line.nominee)
    position = line.nominee.get("position")
    detail = f"{position}, {line.unit}" if position else line.unit
    achieved = (f"Đã có thành tích {_lower_first(line.achievement.rstrip('. '))} "
                f"năm {line.year}." if line.achievement else
                f"Đã có thành tích trong năm {line.year}.")
    return {NAME: phrase[:1].upper() + phrase[1:], DETAIL: detail, ACHIEVEMENT: achieved}


def _fill(parts: dict[str, bytes], words: dict[str, str]) -> bytes:
    # One pass: a nominee's own words are never taken for a marker.
    body = MARKER.sub(lambda m: escape(words[m.group(0)]), parts[BODY].decode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in parts.items():
            package.writestr(name, body.encode() if name == BODY else data)
    return out.getvalue()


def ascii_name(text: str, limit: int = 60) -> str:
    """'Nguyễn Thị Hoa' → 'nguyen-thi-hoa': a file name any system keeps."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:limit].rstrip("-") or "giay-khen"


def certificates(paper: Paper) -> tuple[bytes, int]:
    """The ZIP of one certificate per grant still standing (a revoked one gets none), and
    how many it holds. Names: the annex position and the nominee, ASCII, unique."""
    templates: dict[str, dict[str, bytes]] = {}
    out = io.BytesIO()
    count = 0
    # The certificates are compressed already: the archive only stores them.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for line in paper.lines:
            if not line.granted or line.revoked:
                continue
            key = line.award or ""
            if key not in templates:
                templates[key] = _template(paper, line)
            name = f"{line.position:04d}-{ascii_name(line.nominee.get('name', ''))}.docx"
            archive.writestr(name, _fill(templates[key], _words(line)))
            count += 1
    return out.getvalue(), count
