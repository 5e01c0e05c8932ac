"""The cover request (tờ trình) and the achievement report (báo cáo thành tích) as DOCX, in
the administrative layout (exemplar.paperwork). Everything here is the nomination's words:
they come in `DossierData`, built by service.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from exemplar.paperwork import (
    CENTER,
    JUSTIFY,
    LEFT,
    Letterhead,
    body,
    grid,
    letterhead,
    new_document,
    nominee_lines,
    nominee_phrase,
    para,
    save,
    signature,
    title,
)

__all__ = ["Claim", "DossierData", "Letterhead", "achievement_report", "cover_request"]


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


def _claims(document, claims: tuple[Claim, ...]) -> None:
    grid(document, [("TT", "Tiêu chí", "Thành tích", "Minh chứng")]
         + [(str(i), c.criterion, c.text, "; ".join(c.evidence) or "—")
            for i, c in enumerate(claims, 1)])


# -- the two documents -------------------------------------------------------------------------

def cover_request(data: DossierData) -> bytes:
    """Tờ trình đề nghị khen thưởng, from the unit to whoever grants the award."""
    head, nominee = data.head, data.nominee
    document = new_document(f"Tờ trình đề nghị tặng {data.award}", head.unit)
    letterhead(document, head, data.issued_on, number="TTr")
    title(document, "TỜ TRÌNH", f"Về việc đề nghị tặng {data.award} năm {data.year}")
    para(document, f"Kính gửi: {data.recipient}.", align=CENTER, after=12)
    para(document, f"Căn cứ tiêu chuẩn và thành tích đạt được trong năm {data.year}, "
                    f"{head.unit} kính trình {data.recipient} xem xét, tặng {data.award} cho "
                    f"{nominee_phrase(nominee)}, cụ thể:", align=JUSTIFY, indent=True)
    for line in [*nominee_lines(nominee), f"- Lĩnh vực: {data.field}",
                 f"- Hình thức khen thưởng: {data.commendation}"]:
        para(document, line, align=JUSTIFY, indent=True)
    para(document, "Tóm tắt thành tích:", bold=True, indent=True)
    body(document, data.summary)
    if data.claims:
        para(document, "Thành tích theo từng tiêu chuẩn:", bold=True, indent=True)
        _claims(document, data.claims)
    para(document, "(Có báo cáo thành tích kèm theo.)", italic=True, indent=True)
    para(document, f"{head.unit} kính trình {data.recipient} xem xét, quyết định./.",
          align=JUSTIFY, indent=True, after=12)
    signature(document, [("Nơi nhận:", {"bold": True, "italic": True, "size": 12,
                                          "align": LEFT}),
                          ("- Như trên;", {"size": 11, "align": LEFT}),
                          ("- Lưu: VT.", {"size": 11, "align": LEFT})],
               head.signer_roles, head.signer_name)
    return save(document)


def achievement_report(data: DossierData) -> bytes:
    """Báo cáo thành tích: who the nominee is, what they achieved, what they already hold."""
    head, nominee = data.head, data.nominee
    individual = nominee.get("kind") == "individual"
    document = new_document(f"Báo cáo thành tích đề nghị tặng {data.award}", head.unit)
    letterhead(document, head, data.issued_on, number=None)
    phrase = nominee_phrase(nominee)
    title(document, "BÁO CÁO THÀNH TÍCH", f"Đề nghị tặng {data.award} năm {data.year}",
           phrase[:1].upper() + phrase[1:])
    para(document, "I. SƠ LƯỢC LÝ LỊCH" if individual else "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH",
          bold=True)
    for line in [*nominee_lines(nominee), f"- Lĩnh vực: {data.field}"]:
        para(document, line, align=JUSTIFY, indent=True)
    para(document, "II. THÀNH TÍCH ĐẠT ĐƯỢC", bold=True)
    body(document, data.summary)
    if data.claims:
        para(document, "Thành tích theo từng tiêu chuẩn:", bold=True, indent=True)
        _claims(document, data.claims)
    para(document, "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN", bold=True)
    for line in data.history or ("Chưa có.",):
        para(document, f"- {line}" if data.history else line, indent=True)
    reporter = (("NGƯỜI BÁO CÁO THÀNH TÍCH",), nominee.get("name", "")) if individual else (
        ("TM. TẬP THỂ",), nominee.get("head") or "")
    signature(document, [("XÁC NHẬN CỦA THỦ TRƯỞNG ĐƠN VỊ", {"bold": True}),
                          *[("", {})] * 3, (head.signer_name, {"bold": True})], *reporter)
    return save(document)
