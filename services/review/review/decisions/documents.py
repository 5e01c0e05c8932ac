"""The decision as a DOCX in the administrative layout (exemplar.paperwork): the chair's
decision granting titles and award forms, with its annex listing every nomination, granted
or not (with the reasons); or a revocation decision."""

from __future__ import annotations

from collections import Counter

from exemplar.paperwork import (
    CENTER,
    JUSTIFY,
    LEFT,
    grid,
    letterhead,
    new_document,
    nominee_phrase,
    para,
    save,
    signature,
    title,
)

from .paper import Line, Paper

BASES = (
    "Căn cứ Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi "
    "tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
)
KINDS = {"individual": "cá nhân", "collective": "tập thể", "household": "hộ gia đình"}


def _count(lines: list[Line]) -> str:
    """'02 tập thể và 05 cá nhân'."""
    counts = Counter(line.nominee.get("kind", "individual") for line in lines)
    parts = [f"{counts[k]:02d} {name}" for k, name in
             (("collective", "tập thể"), ("household", "hộ gia đình"),
              ("individual", "cá nhân")) if counts[k]]
    return " và ".join(parts)


def _groups(lines: list[Line]) -> dict[str, list[Line]]:
    """The granted lines by award, in the annex's order."""
    groups: dict[str, list[Line]] = {}
    for line in lines:
        if line.granted:
            groups.setdefault(line.award or "", []).append(line)
    return groups


def _verb(award: str, lines: list[Line]) -> str:
    return f"công nhận danh hiệu “{award}”" if lines[0].category == "title" else f"tặng {award}"


def _subject(paper: Paper) -> str:
    groups = _groups(list(paper.lines))
    years = {line.year for line in paper.lines}
    when = f" năm {years.pop()}" if len(years) == 1 else ""
    if not groups:
        return f"Về việc không công nhận, không khen thưởng{when}"
    return "Về việc " + " và ".join(_verb(a, ls) for a, ls in groups.items()) + when


def _bases(paper: Paper) -> list[str]:
    issuer = paper.issuer
    office = f"Trưởng {issuer.office}" if issuer.office else "cơ quan thường trực"
    if paper.kind == "revocation":
        proposal = f"Xét đề nghị của {office}."
    elif paper.fast_track:
        proposal = f"Xét đề nghị của {office} (khen thưởng đột xuất)."
    else:
        council = issuer.council or "Hội đồng Thi đua – Khen thưởng"
        proposal = f"Xét đề nghị của {council} và của {office}."
    return [*BASES, proposal]


def _articles(paper: Paper) -> list[tuple[str, str]]:
    lines = list(paper.lines)
    first = []
    for award, granted in _groups(lines).items():
        verb = _verb(award, granted)
        first.append(f"{verb[:1].upper()}{verb[1:]} cho {_count(granted)} có tên tại Mục I "
                     "Phụ lục kèm theo Quyết định này, đã có thành tích được thẩm định.")
    rejected = [line for line in lines if not line.granted]
    if rejected:
        first.append(f"Không công nhận, không khen thưởng đối với {_count(rejected)} có tên "
                     "tại Mục II Phụ lục kèm theo Quyết định này, vì các lý do nêu tại đó.")
    return [("Điều 1.", " ".join(first)),
            ("Điều 2.", "Quyết định này có hiệu lực kể từ ngày ký."),
            ("Điều 3.", _executors(paper, "các tập thể, cá nhân có tên tại Điều 1"))]


def _executors(paper: Paper, named: str) -> str:
    issuer = paper.issuer
    office = f"Trưởng {issuer.office}, " if issuer.office else ""
    return (f"Chánh Văn phòng {issuer.head.unit}, {office}thủ trưởng các cơ quan, đơn vị có "
            f"liên quan và {named} chịu trách nhiệm thi hành Quyết định này./.")


def _revocation_articles(paper: Paper) -> list[tuple[str, str]]:
    line = paper.lines[0] if paper.lines else None
    whom = f"{nominee_phrase(line.nominee)}, {line.unit}" if line else "trường hợp nêu trên"
    award = line.award if line and line.award else "hình thức khen thưởng"
    number, signed_on = paper.revokes or ("", None)
    when = f" ngày {signed_on:%d/%m/%Y}" if signed_on else ""
    return [("Điều 1.", f"Thu hồi {award} đã tặng cho {whom} tại Quyết định số {number}{when} "
                        f"của {paper.issuer.short}. Lý do: {paper.reason}"),
            ("Điều 2.", "Quyết định này có hiệu lực kể từ ngày ký."),
            ("Điều 3.", _executors(paper, "cá nhân, tập thể có tên tại Điều 1"))]


def _recipients(paper: Paper) -> list[tuple[str, dict]]:
    small = {"size": 11, "align": LEFT}
    lines = [("Nơi nhận:", {"bold": True, "italic": True, "size": 12, "align": LEFT}),
             ("- Như Điều 3;", small)]
    for name in (paper.issuer.upward, paper.issuer.council):
        if name:
            lines.append((f"- {name};", small))
    return [*lines, ("- Lưu: VT.", small)]


def _annex(document, paper: Paper) -> None:
    document.add_page_break()
    title(document, "PHỤ LỤC", "DANH SÁCH TẬP THỂ, CÁ NHÂN")
    para(document, f"(Kèm theo Quyết định số {paper.number} ngày {paper.signed_on:%d/%m/%Y} "
                   f"của {paper.issuer.short})", italic=True, align=CENTER, after=12)
    granted = [line for line in paper.lines if line.granted]
    rejected = [line for line in paper.lines if not line.granted]
    para(document, "I. CÔNG NHẬN DANH HIỆU THI ĐUA, KHEN THƯỞNG", bold=True)
    if granted:
        grid(document, [("TT", "Họ và tên / Tên tập thể", "Đơn vị",
                         "Danh hiệu, hình thức khen thưởng")]
             + [(str(i), _name(line), line.unit, line.award or "")
                for i, line in enumerate(granted, 1)], size=12)
    else:
        para(document, "Không có.", indent=True)
    if rejected:
        para(document, "II. KHÔNG CÔNG NHẬN, KHÔNG KHEN THƯỞNG", bold=True)
        grid(document, [("TT", "Họ và tên / Tên tập thể", "Đơn vị", "Lý do")]
             + [(str(i), _name(line), line.unit, "; ".join(line.reasons))
                for i, line in enumerate(rejected, 1)], size=12)


def _name(line: Line) -> str:
    position = line.nominee.get("position")
    name = line.nominee.get("name", "")
    return f"{name}, {position}" if position else name


def decision_document(paper: Paper) -> bytes:
    issuer = paper.issuer
    revocation = paper.kind == "revocation"
    subject = (f"Về việc thu hồi {paper.lines[0].award or 'khen thưởng'}"
               if revocation and paper.lines else _subject(paper))
    document = new_document(f"Quyết định số {paper.number}", issuer.head.unit)
    letterhead(document, issuer.head, paper.signed_on, "QĐ", issued_number=paper.number)
    title(document, "QUYẾT ĐỊNH", subject)
    para(document, issuer.authority, bold=True, align=CENTER, after=12)
    for basis in _bases(paper):
        para(document, basis, italic=True, align=JUSTIFY, indent=True)
    para(document, "QUYẾT ĐỊNH:", bold=True, align=CENTER, after=12)
    for label, text in _revocation_articles(paper) if revocation else _articles(paper):
        paragraph = para(document, label, bold=True, align=JUSTIFY, indent=True)
        paragraph.add_run(f" {text}")
    signature(document, _recipients(paper), issuer.head.signer_roles, issuer.head.signer_name)
    if not revocation:
        _annex(document, paper)
    return save(document)
