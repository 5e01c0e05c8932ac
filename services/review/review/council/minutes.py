"""The minutes of a closed session (biên bản họp Hội đồng), in the administrative layout.

They record the attendance, each case with the members who sat out and why, the totals,
the share against the threshold, the quorum and the result: never a member's choice.
python-docx loads with the first minutes, not at start-up."""

from __future__ import annotations

import re

from exemplar import paperwork as pw
from exemplar.profile import Profile

from .views import ItemRead, SessionRead

TITLE = "BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"
BASES = {"members": "tổng số thành viên Hội đồng được biểu quyết",
         "present": "số thành viên được biểu quyết có mặt hoặc gửi phiếu bằng văn bản"}


def _percent(value: float) -> str:
    return f"{value * 100:.2f}".replace(".", ",") + "%"


def _abbreviation(name: str) -> str:
    """'Hội đồng Thi đua – Khen thưởng huyện Bù Gia Mập' → 'HĐTĐKT'."""
    words = [w for w in re.split(r"[\s–-]+", name) if w]
    stop = next((i for i, w in enumerate(words) if w in ("huyện", "xã", "tỉnh")), len(words))
    return "".join(w[0].upper() for w in words[:stop] if w != "và" and w[0].isalpha())


def _place(profile: Profile) -> str:
    return re.sub(r"^(?:huyện|xã|tỉnh|thành phố|thị xã|quận|phường)\s+", "",
                  profile.jurisdiction.name, flags=re.IGNORECASE).strip()


def _letterhead(profile: Profile) -> pw.Letterhead:
    council = profile.unit(profile.council.unit)
    parent = profile.unit(council.parent).name if council.parent else None
    return pw.Letterhead(parent=parent, unit=council.name,
                         abbreviation=_abbreviation(council.name), place=_place(profile),
                         signer_roles=("CHỦ TỊCH HỘI ĐỒNG",),
                         signer_name=profile.account(profile.council.chair).name)


def _secretary(profile: Profile, read: SessionRead) -> str:
    """The standing office's member of the council keeps the minutes."""
    for member in profile.council.members:
        account = profile.account(member)
        if "standing_office" in account.roles:
            return account.name
    return read.closed_by or ""


def _attendance(document, read: SessionRead) -> None:
    present = [m.name for m in read.members if m.present]
    written = [m.name for m in read.members if not m.present and m.written]
    away = [m.name for m in read.members if not m.present and not m.written]
    quorum = read.quorum
    pw.para(document, "I. THÀNH PHẦN", bold=True)
    pw.body(document, f"Tổng số thành viên Hội đồng: {len(read.members)}.")
    pw.body(document, f"Có mặt ({len(present)}): {', '.join(present) or 'không có'}.")
    pw.body(document, f"Vắng mặt, có phiếu bằng văn bản ({len(written)}): "
                      f"{', '.join(written) or 'không có'}.")
    pw.body(document, f"Vắng mặt, không có phiếu ({len(away)}): {', '.join(away) or 'không có'}.")
    if quorum is not None:
        pw.body(document, (
            f"Số thành viên có mặt {quorum.present}/{quorum.members} "
            f"({_percent(quorum.present / quorum.members if quorum.members else 0)}), "
            f"{'đạt' if quorum.met else 'không đạt'} tỷ lệ tối thiểu "
            f"{_percent(quorum.quorum_share)} để phiên họp có giá trị biểu quyết."))


def _item(document, number: int, item: ItemRead, base_kind: str) -> None:
    pw.para(document, f"{number}. {item.nominee_name} – {item.unit_name}", bold=True)
    for line in pw.nominee_lines(item.nominee)[1:]:
        pw.para(document, line, after=0)
    pw.para(document, f"- Đề nghị: {item.award_name}.", after=0)
    recused = "; ".join(f"{r.name} ({r.reason})" for r in item.recused) or "không có"
    pw.para(document, f"- Thành viên không tham gia biểu quyết: {recused}.", after=0)
    tally = item.tally
    if tally is None:
        return
    written = sum(1 for b in item.ballots if b.written)
    pw.para(document, f"- Số thành viên được biểu quyết: {tally.eligible}; số phiếu thu về: "
                      f"{tally.voters} (trong đó {written} phiếu bằng văn bản).", after=0)
    pw.para(document, f"- Tán thành: {tally.yes}; không tán thành: {tally.no}; "
                      f"không biểu quyết: {tally.abstain}.", after=0)
    pw.para(document, f"- Tỷ lệ tán thành: {_percent(tally.share)} trên {tally.base} "
                      f"({BASES.get(base_kind, base_kind)}); yêu cầu: trên "
                      f"{_percent(tally.threshold)}.", after=0)
    quorum = "đủ" if tally.quorum_met else "không đủ"
    pw.para(document, f"- Số thành viên dự họp: {quorum} theo quy định.", after=0)
    pw.para(document, f"- Kết quả: {tally.result_name.upper()}.", bold=True)


def _summary(document, read: SessionRead) -> None:
    rows = [("STT", "Người/tập thể được đề nghị", "Đơn vị đề nghị", "Đề nghị",
             "Tán thành/Không/Không biểu quyết", "Kết quả")]
    for number, item in enumerate(read.items, start=1):
        tally = item.tally
        counts = f"{tally.yes}/{tally.no}/{tally.abstain}" if tally else ""
        rows.append((str(number), item.nominee_name, item.unit_name, item.award_name, counts,
                     tally.result_name if tally else ""))
    pw.grid(document, rows, size=12)


def render(profile: Profile, read: SessionRead) -> bytes:
    head = _letterhead(profile)
    document = pw.new_document(TITLE.capitalize(), head.unit)
    pw.letterhead(document, head, read.held_on, "BB")
    pw.title(document, TITLE, read.title)
    pw.body(document, (
        f"Hôm nay, {pw.date_line(head.place, read.held_on).split(', ', 1)[1]}, {head.unit} "
        f"họp xét thi đua, khen thưởng. Việc biểu quyết bằng phiếu kín; biên bản chỉ ghi "
        f"tổng số phiếu, không ghi phiếu của từng thành viên."))
    _attendance(document, read)
    pw.para(document, "II. KẾT QUẢ BIỂU QUYẾT", bold=True)
    for number, item in enumerate(read.items, start=1):
        _item(document, number, item, profile.council.base)
    _summary(document, read)
    passed = sum(1 for i in read.items if i.tally and i.tally.passed)
    pw.para(document, "III. KẾT LUẬN", bold=True)
    pw.body(document, f"Hội đồng thống nhất {passed}/{len(read.items)} hồ sơ đạt, đề nghị "
                      "cấp có thẩm quyền xem xét, quyết định khen thưởng.")
    pw.body(document, "Biên bản được lập xong khi phiên họp kết thúc và được các thành viên dự "
                      "họp thông qua.")
    pw.signature(document, [("THƯ KÝ", {"bold": True}), ("", {}), ("", {}), ("", {}),
                            (_secretary(profile, read), {"bold": True})],
                 head.signer_roles, head.signer_name)
    return pw.save(document)
