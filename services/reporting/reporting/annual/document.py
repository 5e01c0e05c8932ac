"""The yearly report as a DOCX in the administrative layout (exemplar.paperwork): letterhead,
title, the plan it implements, part I section by section as the plan orders the work, part II
and III read off the figures, "Nơi nhận" and the signature; a unit's report adds the annex of
its exemplars. Each list prints its first names (model.LISTED) and says the XLSX holds the
rest."""

from __future__ import annotations

from exemplar.labels import NOMINEE_KINDS
from exemplar.paperwork import (
    CENTER,
    JUSTIFY,
    LEFT,
    grid,
    letterhead,
    new_document,
    para,
    save,
    signature,
    title,
)

from ..quotas.rules import STATUS_NAMES
from .assessment import achievements, money, number, proposals, shortcomings
from .model import LISTED, WORK, AnnualReport, Listing, report_title

# Where the whole lists are: the XLSX's sheet of names (workbook.NAMES_SHEET).
FULL_LIST = "xem Phụ lục “Danh sách điển hình” (tệp XLSX) kèm theo Báo cáo này"


def _text(document, text: str) -> None:
    para(document, text, align=JUSTIFY, indent=True)


def _heading(document, text: str) -> None:
    para(document, text, bold=True, align=JUSTIFY, indent=True)


def _split(report: AnnualReport, dimension: str, measure: str) -> str:
    """'cá nhân 03, tập thể 01': the non-zero values of one dimension."""
    parts = [f"{b.name.lower() if dimension != 'ethnicity' else b.name} "
             f"{number(getattr(b, measure))}" for b in report.by(dimension)
             if getattr(b, measure)]
    return ", ".join(parts)


def _who(report: AnnualReport) -> str:
    if report.district:
        return f"các cơ quan, đơn vị, địa phương trên địa bàn {report.scope_name}"
    return report.scope_name


def _discovery(document, report: AnnualReport) -> None:
    t = report.totals
    _heading(document, "1. Công tác phát hiện, bồi dưỡng điển hình tiên tiến")
    _text(document, f"Trong năm {report.year}, {_who(report)} đã phát hiện, đề nghị "
                    f"công nhận, khen thưởng {number(t['submitted'] + t['withdrawn'])} hồ sơ "
                    f"điển hình tiên tiến; trong đó {number(t['withdrawn'])} hồ sơ được đơn vị "
                    f"rút lại, {number(t['submitted'])} hồ sơ được xét.")
    for dimension, label in (("nominee_kind", "Theo đối tượng"), ("gender", "Theo giới tính"),
                             ("ethnicity", "Theo dân tộc")):
        split = _split(report, dimension, "submitted")
        if split:
            _text(document, f"{label}: {split}.")
    rows = report.by("field")
    grid(document, [("TT", "Lĩnh vực", "Hồ sơ đề nghị", "Được công nhận", "Được tuyên truyền"),
                    *[(str(i), b.name, number(b.submitted), number(b.commended),
                       number(b.publicised)) for i, b in enumerate(rows, 1)],
                    ("", "Tổng cộng", number(t["submitted"]), number(t["commended"]),
                     number(t["publicised"]))], size=12, total=True,
         widths=(10, 65, 30, 30, 30))


def _commendation(document, report: AnnualReport) -> None:
    t = report.totals
    _heading(document, "2. Công tác biểu dương, khen thưởng")
    kinds = _split(report, "nominee_kind", "commended")
    _text(document, f"Đã công nhận, khen thưởng {number(t['commended'])} điển hình"
                    f"{f' ({kinds})' if kinds else ''}; không công nhận "
                    f"{number(t['rejected'])} hồ sơ; thu hồi {number(t['revoked'])} khen "
                    "thưởng.")
    split = _split(report, "commendation_kind", "commended")
    if split:
        _text(document, f"Theo loại khen thưởng: {split}.")
    awards = [b for b in report.by("award") if b.commended]
    if awards:
        grid(document, [("TT", "Danh hiệu, hình thức khen thưởng", "Số lượng"),
                        *[(str(i), b.name, number(b.commended))
                          for i, b in enumerate(awards, 1)],
                        ("", "Tổng cộng", number(sum(b.commended for b in awards)))],
             size=12, total=True, widths=(10, 120, 35))
    if report.commended is not None and report.commended.total:
        _text(document, "Danh sách điển hình được công nhận, khen thưởng tại Phụ lục kèm "
                        "theo Báo cáo này.")


def _publicity(document, report: AnnualReport) -> None:
    t = report.totals
    _heading(document, "3. Công tác tuyên truyền, nhân rộng điển hình tiên tiến")
    _text(document, f"Có {number(t['publicised'])} điển hình được tuyên truyền trên ít nhất "
                    f"một kênh, với {number(t['stories'])} tin, bài đang đăng tải.")
    if report.channels:
        grid(document, [("TT", "Kênh tuyên truyền", "Tin, bài", "Điển hình"),
                         *[(str(i), c.name, number(c.stories), number(c.exemplars))
                           for i, c in enumerate(report.channels, 1)]], size=12,
             widths=(10, 95, 30, 30))
    escalated = report.escalated
    _text(document, f"Giới thiệu {number(escalated.total)} điển hình lên {report.board}"
                    f"{':' if escalated.items else '.'}")
    for item in escalated.items[:LISTED]:
        who = f"{NOMINEE_KINDS.get(item.nominee_kind, '')} {item.name}".strip()
        _text(document, f"- {who} ({item.unit_name}), lĩnh vực {item.field_name.lower()}, "
                        f"đề nghị {item.award_name}.")
    _more(document, escalated)


def _more(document, listing: Listing) -> None:
    more = listing.total - min(len(listing.items), LISTED)
    if more > 0:
        para(document, f"Và {number(more)} điển hình khác ({FULL_LIST}).", italic=True,
             align=JUSTIFY, indent=True)


def _quotas(document, report: AnnualReport) -> None:
    summary = report.quota_summary()
    _heading(document, "4. Kết quả thực hiện chỉ tiêu")
    who = f"toàn {report.tier}" if report.district else "đơn vị"
    _text(document, f"Tính đến ngày {report.on:%d/%m/%Y}, {who} có {number(summary['met'])} "
                    f"chỉ tiêu đạt, {number(summary['at_risk'])} chỉ tiêu có nguy cơ không "
                    f"đạt, {number(summary['missed'])} chỉ tiêu không đạt.")
    units = report.units
    totals = [sum(getattr(u, m) for u in units) for m in
              ("submitted", "commended", "publicised", "escalated")]
    grid(document, [("TT", "Đơn vị", "Đề nghị", "Công nhận", "Tuyên truyền", "Giới thiệu lên "
                     "tỉnh", "Chỉ tiêu"),
                    *[(str(i), u.unit_name, number(u.submitted), number(u.commended),
                       number(u.publicised), number(u.escalated), u.quota_text)
                      for i, u in enumerate(units, 1)],
                    ("", "Tổng cộng", *[number(n) for n in totals], "")], size=11, total=True,
         widths=(10, 55, 18, 20, 20, 22, 20))
    for line in report.quotas:
        if line.quota == "escalated":
            _text(document, f"Chỉ tiêu giới thiệu điển hình lên {report.board} "
                            f"({line.unit_name}): {STATUS_NAMES[line.status].lower()}, "
                            f"{number(line.achieved)}/{number(line.required)} điển hình "
                            f"(hạn {line.due_on:%d/%m/%Y}).")


def _follow_up(document, report: AnnualReport) -> None:
    i, s, b = report.inspections, report.training, report.budget
    _heading(document, "5. Công tác kiểm tra, giám sát")
    _text(document, f"Ban hành {number(i.plans)} kế hoạch kiểm tra; kiểm tra "
                    f"{number(i.units_inspected)} đơn vị; {number(i.findings)} nội dung phát "
                    f"hiện qua kiểm tra; {number(i.recommendations)} kiến nghị, trong đó "
                    f"{number(i.recommendations_done)} kiến nghị đã thực hiện xong, "
                    f"{number(i.recommendations_open)} kiến nghị đang thực hiện.")
    _heading(document, "6. Công tác tập huấn nghiệp vụ")
    _text(document, f"Tổ chức {number(s.sessions)} lớp tập huấn với {number(s.participants)} "
                    f"lượt người tham dự của {number(s.units)} đơn vị.")
    _heading(document, "7. Kinh phí thực hiện")
    _text(document, f"Dự toán {money(b.estimated)} (trong đó tiền thưởng {money(b.bonus)}); "
                    f"được phân bổ {money(b.allocated)}"
                    + (f"; {number(b.unpriced)} khen thưởng chưa có định mức tiền thưởng."
                       if b.unpriced else "."))


def _lines(document, lines: list[str]) -> None:
    for line in lines:
        _text(document, f"- {line}")


def _annex(document, report: AnnualReport, listing: Listing) -> None:
    h = report.heading
    document.add_page_break()
    title(document, "PHỤ LỤC", "DANH SÁCH ĐIỂN HÌNH ĐƯỢC CÔNG NHẬN, KHEN THƯỞNG")
    para(document, f"(Kèm theo Báo cáo số {h.number} ngày {h.on:%d/%m/%Y} của "
                   f"{h.letterhead.unit})", italic=True, align=CENTER, after=12)
    grid(document, [("TT", "Họ và tên / Tên tập thể", "Đơn vị", "Danh hiệu, hình thức",
                     "Quyết định")]
         + [(str(i), e.name, e.unit_name, e.award_name,
             " ngày ".join(filter(None, (e.decision_number,
                                         e.day.strftime("%d/%m/%Y") if e.day else None))))
            for i, e in enumerate(listing.items[:LISTED], 1)], size=11,
         widths=(10, 40, 40, 40, 35))
    _more(document, listing)


def _recipients(report: AnnualReport) -> list[tuple[str, dict]]:
    small = {"size": 11, "align": LEFT}
    return [("Nơi nhận:", {"bold": True, "italic": True, "size": 12, "align": LEFT}),
            *[(f"- {name}", small) for name in report.heading.recipients]]


def annual_document(report: AnnualReport) -> bytes:
    h = report.heading
    document = new_document(" ".join(report_title(report.year)), h.letterhead.unit)
    letterhead(document, h.letterhead, h.on, None, issued_number=h.number)
    title(document, *report_title(report.year))
    where = f"trên địa bàn {report.scope_name}" if report.district else "của đơn vị"
    implementing = f"Thực hiện {report.plan}, " if report.plan else ""
    _text(document, f"{implementing}{h.letterhead.unit} báo cáo kết quả thực hiện {WORK} năm "
                    f"{report.year} {where}, số liệu tổng hợp đến ngày {h.on:%d/%m/%Y}, "
                    "như sau:")
    para(document, "I. KẾT QUẢ THỰC HIỆN", bold=True)
    for section in (_discovery, _commendation, _publicity, _quotas, _follow_up):
        section(document, report)
    para(document, "II. ĐÁNH GIÁ CHUNG", bold=True)
    _heading(document, "1. Kết quả đạt được")
    _lines(document, achievements(report))
    _heading(document, "2. Tồn tại, hạn chế")
    _lines(document, shortcomings(report))
    para(document, "III. PHƯƠNG HƯỚNG, ĐỀ XUẤT", bold=True)
    _lines(document, proposals(report))
    _text(document, f"Trên đây là báo cáo kết quả thực hiện {WORK} năm {report.year} của "
                    f"{h.letterhead.unit}./.")
    signature(document, _recipients(report), h.letterhead.signer_roles,
              h.letterhead.signer_name)
    if report.commended is not None and report.commended.items:
        _annex(document, report, report.commended)
    return save(document)
