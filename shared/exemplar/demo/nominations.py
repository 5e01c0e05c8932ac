"""Communes draft nominations with their dossiers and submit them; an agency imports a list."""

from __future__ import annotations

import csv
import io

from .client import Demo

YEAR = 2024
# (key, commune account prefix, nomination): the year's nominations from the communes.
NOMINATIONS = [
    ("hoa", "dak-o", {
        "nominee": {"kind": "individual", "name": "Nguyễn Thị Hoa", "gender": "female",
                    "birth_year": 1985, "ethnicity": "Kinh", "position": "Trưởng ấp",
                    "workplace": "Ấp 3, xã Đắk Ơ"},
        "field": "kinh_te", "proposed_award": "lao_dong_tien_tien",
        "commendation_kind": "regular",
        "achievement_summary": "Vận động 40 hộ chuyển đổi cây trồng, thu nhập tăng 25 %."}),
    ("thinh", "dak-o", {
        "nominee": {"kind": "individual", "name": "Điểu Thị Thinh", "gender": "female",
                    "birth_year": 1990, "ethnicity": "S'tiêng", "position": "Chi hội trưởng",
                    "workplace": "Bon Bù Dốt, xã Đắk Ơ"},
        "field": "kinh_te", "proposed_award": "lao_dong_tien_tien",
        "commendation_kind": "regular",
        "achievement_summary": "Giúp 30 hộ đồng bào thoát nghèo bằng mô hình nuôi heo rừng."}),
    ("khanh", "phu-nghia", {
        "nominee": {"kind": "individual", "name": "Lê Văn Khánh", "gender": "male",
                    "birth_year": 1978, "ethnicity": "Kinh", "position": "Nông dân",
                    "workplace": "Thôn Tân Lập, xã Phú Nghĩa"},
        "field": "kinh_te", "proposed_award": "lao_dong_tien_tien",
        "commendation_kind": "regular",
        "achievement_summary": "Hiến 2.000 m² đất làm đường liên thôn, vận động 15 hộ cùng làm."}),
]
LIST_HEADERS = ["STT", "Loại đối tượng", "Họ và tên / Tên tập thể", "Giới tính", "Năm sinh",
                "Dân tộc", "Chức vụ", "Số thành viên", "Tỷ lệ nữ", "Danh hiệu/Hình thức",
                "Thành tích"]
LIST_ROWS = [
    ["1", "cá nhân", "Hoàng Thị Mai", "Nữ", "1988", "Kinh", "Chuyên viên", "", "",
     "lao_dong_tien_tien", "Số hóa 1.200 hồ sơ di tích của huyện."],
    ["2", "cá nhân", "Thị Nguyệt", "Nữ", "1992", "S'tiêng", "Nghệ nhân", "", "",
     "lao_dong_tien_tien", "Truyền dạy cồng chiêng cho 40 thanh thiếu niên."],
]


def pdf_bytes(text: str = "Giấy chứng nhận") -> bytes:
    """A one-page PDF with a correct cross-reference table (the tests upload it too)."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>"]
    out = bytearray(b"%PDF-1.4\n% " + text.encode() + b"\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def submitted_with_dossier(demo: Demo, unit: str, body: dict) -> dict:
    """Drafted by the commune's officer with the documents the award requires (the cover
    request generated, the list and the minutes uploaded), then submitted by its head."""
    officer, head = f"{unit}.officer", f"{unit}.head"
    draft = demo.post("nomination", "/nominations", officer, {**body, "year": YEAR})
    demo.post("nomination", f"/nominations/{draft['id']}/documents/to_trinh", officer)
    for kind in ("danh_sach_de_nghi", "bien_ban_hop_xet"):
        demo.post("nomination", "/documents", officer,
                  files={"file": (f"{kind}.pdf", pdf_bytes(kind), "application/pdf")},
                  data={"kind": kind, "nomination_id": draft["id"]})
    return demo.post("nomination", f"/nominations/{draft['id']}/submit", head)


def import_list(demo: Demo) -> dict:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LIST_HEADERS)
    writer.writerows(LIST_ROWS)
    return demo.post("nomination", "/nomination-lists", "vhtt.head",
                     files={"file": ("danh-sach.csv", out.getvalue().encode("utf-8-sig"))},
                     data={"year": str(YEAR), "field": "van_hoa_xa_hoi"})


def run(demo: Demo) -> int:
    sent = {}
    for key, unit, body in NOMINATIONS:
        sent[key] = submitted_with_dossier(demo, unit, body)
        demo.step(f"nominations: {unit} submitted {body['nominee']['name']} "
                  f"({body['proposed_award']}) with its dossier")
    demo.state["nominations"] = sent
    imported = import_list(demo)
    demo.state["list"] = imported
    demo.step(f"nominations: Phòng VH-TT imported a list of {imported['row_count']} names")
    return YEAR
