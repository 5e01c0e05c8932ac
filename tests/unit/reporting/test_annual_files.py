"""The yearly report's files from hand-made figures, opened as a user's program would: the
DOCX with python-docx, the XLSX with openpyxl, the CSV as Excel reads it."""

from __future__ import annotations

import csv
import io
from datetime import date

import docx
import openpyxl
import pytest

from exemplar.profile import Profile, load_profile
from reporting.annual.area import board_name, tier
from reporting.annual.heading import heading
from reporting.annual.model import (
    AnnualReport,
    Breakdown,
    ChannelRow,
    Exemplar,
    Listing,
    UnitRow,
)
from reporting.annual.service import render, scope_name
from reporting.quotas.rules import judge
from reporting.summaries import BudgetSummary, InspectionSummary, TrainingSummary

ON = date(2024, 12, 20)
DUE = date(2024, 12, 15)
TOTALS = {"submitted": 12, "withdrawn": 1, "commended": 9, "rejected": 2, "revoked": 1,
          "publicised": 6, "escalated": 1, "stories": 8}
# unit → submitted, withdrawn, commended, publicised, escalated, stories; they add up to TOTALS
UNITS = {"xa-dak-o": (5, 1, 4, 3, 1, 4), "phong-gddt": (5, 0, 4, 2, 0, 3),
         "huyen-doan": (2, 0, 1, 1, 0, 1), "ttyt-huyen": (0, 0, 0, 0, 0, 0)}
ESCALATED = Exemplar(name="Nguyễn Thị Hoa", nominee_kind="individual",
                     unit_name="UBND xã Đắk Ơ", field_name="Kinh tế",
                     award_name="Bằng khen của Chủ tịch UBND tỉnh",
                     decision_number="215/QĐ-UBND", day=date(2024, 11, 20))


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


def _breakdown(dimension: str, value: str, name: str, *counts: int) -> Breakdown:
    return Breakdown(dimension, value, name, *counts)


def commended_names(count: int) -> tuple[Exemplar, ...]:
    return tuple(Exemplar(name=f"Người thứ {i}", nominee_kind="individual",
                          unit_name="UBND xã Đắk Ơ", field_name="Kinh tế",
                          award_name="Lao động tiên tiến", decision_number=f"{i}/QĐ-UBND",
                          day=date(2024, 11, 20)) for i in range(1, count + 1))


def report(profile: Profile, *, unit_id: str | None = None, number: str | None = None,
           commended: int = 0, names: tuple[Exemplar, ...] | None = None,
           units: dict[str, tuple[int, ...]] = UNITS, on: date = ON) -> AnnualReport:
    """A report of 2024 (of `on`'s year) with hand-made figures; a unit's lists `names`
    (three of `commended` by default)."""
    owing = [profile.unit(u) for u in units]
    lines = [judge(quota="publicised", unit=u, required=1, achieved=units[u.id][3],
                   due_on=DUE, on=on) for u in owing]
    lines.append(judge(quota="escalated", unit=profile.home_unit(), required=1, achieved=1,
                       due_on=DUE, on=on))
    if unit_id is not None:
        lines = [line for line in lines if line.unit_id == unit_id]
    rows = tuple(UnitRow(u.id, u.name, *units[u.id],
                         quota=next((x for x in lines if x.unit_id == u.id), None))
                 for u in owing if unit_id in (None, u.id))
    names = commended_names(min(commended, 3)) if names is None else names
    return AnnualReport(
        year=on.year, on=on, unit_id=unit_id, scope_name=scope_name(profile, unit_id),
        tier=tier(profile), plan=profile.jurisdiction.plan,
        board=board_name(profile, year=on.year, on=on),
        totals=TOTALS, units=rows, quotas=tuple(lines),
        breakdowns=(
            _breakdown("field", "kinh_te", "Kinh tế", 7, 5, 4, 1),
            _breakdown("field", "giao_duc", "Giáo dục và đào tạo", 5, 4, 2, 0),
            _breakdown("nominee_kind", "individual", "Cá nhân", 10, 7, 5, 1),
            _breakdown("nominee_kind", "collective", "Tập thể", 2, 2, 1, 0),
            _breakdown("gender", "female", "Nữ", 6, 4, 3, 1),
            _breakdown("ethnicity", "Xtiêng", "Xtiêng", 2, 2, 1, 0),
            _breakdown("commendation_kind", "regular", "Thường xuyên", 10, 7, 5, 1),
            _breakdown("commendation_kind", "ad_hoc", "Đột xuất", 2, 2, 1, 0),
            _breakdown("award", "lao_dong_tien_tien", "Lao động tiên tiến", 8, 6, 4, 0),
            _breakdown("award", "giay_khen_chu_tich_huyen", "Giấy khen của Chủ tịch UBND "
                       "huyện", 4, 3, 2, 0)),
        channels=(ChannelRow("portal-guong-dien-hinh", "Chuyên mục Gương điển hình tiên tiến",
                             5, 4),
                  ChannelRow("radio-huyen", "Chuyên mục Điển hình tiên tiến – Đài Truyền "
                             "thanh huyện", 3, 3)),
        escalated=Listing(items=(ESCALATED,), total=1),
        commended=None if unit_id is None else Listing(items=names,
                                                       total=max(commended, len(names))),
        inspections=InspectionSummary(plans=1, units_inspected=4, findings=3,
                                      recommendations=3, recommendations_done=1,
                                      recommendations_open=2),
        training=TrainingSummary(sessions=2, participants=57, units=11),
        budget=BudgetSummary(estimated=152_000_000, allocated=120_000_000, bonus=12_640_000,
                             unpriced=1),
        heading=heading(profile, unit_id=unit_id, on=on, number=number))


def texts(document) -> list[str]:
    """Every paragraph's text, those in tables included, in the document's order."""
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        out += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return out


def table_starting(document, header: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == "TT"
                and t.rows[0].cells[1].text == header)


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def open_docx(content: bytes):
    return docx.Document(io.BytesIO(content))


def test_the_district_report_is_the_home_government_s_in_the_administrative_layout(profile):
    document = open_docx(render(report(profile), "docx"))
    left, right = (cell.text.splitlines() for cell in document.tables[0].rows[0].cells)
    # The empty lines are the short rules under the issuer's name and under the motto.
    assert left == ["ỦY BAN NHÂN DÂN", "HUYỆN BÙ GIA MẬP", "", "Số: ……/BC-UBND"]
    assert right == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "", "",
                     "Bù Gia Mập, ngày 20 tháng 12 năm 2024"]
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index("BÁO CÁO")
    assert paragraphs[start + 1] == ("Kết quả thực hiện công tác phát hiện, bồi dưỡng, biểu "
                                     "dương, khen thưởng và tuyên truyền điển hình tiên tiến "
                                     "năm 2024")
    assert paragraphs[start + 2].startswith(
        "Thực hiện Kế hoạch số 80/KH-UBND ngày 26/4/2023 của UBND huyện Bù Gia Mập, Ủy ban "
        "nhân dân huyện Bù Gia Mập báo cáo kết quả thực hiện công tác phát hiện")
    sections = ["I. KẾT QUẢ THỰC HIỆN",
                "1. Công tác phát hiện, bồi dưỡng điển hình tiên tiến",
                "2. Công tác biểu dương, khen thưởng",
                "3. Công tác tuyên truyền, nhân rộng điển hình tiên tiến",
                "4. Kết quả thực hiện chỉ tiêu", "5. Công tác kiểm tra, giám sát",
                "6. Công tác tập huấn nghiệp vụ", "7. Kinh phí thực hiện", "II. ĐÁNH GIÁ CHUNG",
                "1. Kết quả đạt được", "2. Tồn tại, hạn chế", "III. PHƯƠNG HƯỚNG, ĐỀ XUẤT"]
    positions = [paragraphs.index(s, start) for s in sections]
    assert positions == sorted(positions)


def test_the_district_report_gives_the_counts_in_words_and_tables(profile):
    document = open_docx(render(report(profile), "docx"))
    body = "\n".join(p.text for p in document.paragraphs)
    assert ("đã phát hiện, đề nghị công nhận, khen thưởng 13 hồ sơ điển hình tiên tiến; trong "
            "đó 01 hồ sơ được đơn vị rút lại, 12 hồ sơ được xét") in body
    assert "Theo đối tượng: cá nhân 10, tập thể 02." in body
    assert "Đã công nhận, khen thưởng 09 điển hình (cá nhân 07, tập thể 02); không công nhận " \
           "02 hồ sơ; thu hồi 01 khen thưởng." in body
    assert "Có 06 điển hình được tuyên truyền trên ít nhất một kênh, với 08 tin, bài" in body
    assert "- Cá nhân Nguyễn Thị Hoa (UBND xã Đắk Ơ), lĩnh vực kinh tế, đề nghị Bằng khen " \
           "của Chủ tịch UBND tỉnh." in body
    assert "Giới thiệu 01 điển hình lên Ban Thi đua – Khen thưởng tỉnh Bình Phước:" in body
    assert "Chỉ tiêu giới thiệu điển hình lên Ban Thi đua – Khen thưởng tỉnh Bình Phước " \
           "(UBND huyện Bù Gia Mập): đạt, 01/01 điển hình (hạn 15/12/2024)." in body
    assert "Tính đến ngày 20/12/2024, toàn huyện có 04 chỉ tiêu đạt, 00 chỉ tiêu có nguy cơ " \
           "không đạt, 01 chỉ tiêu không đạt." in body
    assert "kiểm tra 04 đơn vị" in body and "02 kiến nghị đang thực hiện" in body
    assert "Tổ chức 02 lớp tập huấn với 57 lượt người tham dự của 11 đơn vị." in body
    assert "Dự toán 152.000.000 đồng (trong đó tiền thưởng 12.640.000 đồng); được phân bổ " \
           "120.000.000 đồng; 01 khen thưởng chưa có định mức tiền thưởng." in body
    assert cells(table_starting(document, "Lĩnh vực")) == [
        ["TT", "Lĩnh vực", "Hồ sơ đề nghị", "Được công nhận", "Được tuyên truyền"],
        ["1", "Kinh tế", "07", "05", "04"], ["2", "Giáo dục và đào tạo", "05", "04", "02"],
        ["", "Tổng cộng", "12", "09", "06"]]
    units = cells(table_starting(document, "Đơn vị"))
    assert units[1:-1] == [
        ["1", "UBND xã Đắk Ơ", "05", "04", "03", "01", "Đạt (3/1)"],
        ["2", "Phòng Giáo dục và Đào tạo", "05", "04", "02", "00", "Đạt (2/1)"],
        ["3", "Huyện đoàn Bù Gia Mập", "02", "01", "01", "00", "Đạt (1/1)"],
        ["4", "Trung tâm Y tế huyện Bù Gia Mập", "00", "00", "00", "00", "Không đạt (0/1)"]]
    assert units[-1] == ["", "Tổng cộng", "12", "09", "06", "01", ""]
    assert cells(table_starting(document, "Kênh tuyên truyền"))[2][2:] == ["03", "03"]


def test_shortcomings_and_proposals_are_read_off_the_figures(profile):
    body = "\n".join(p.text for p in open_docx(render(report(profile), "docx")).paragraphs)
    part_two = body[body.index("2. Tồn tại, hạn chế"):body.index("III. PHƯƠNG HƯỚNG")]
    assert "- 01 đơn vị không đạt chỉ tiêu điển hình được tuyên truyền: Trung tâm Y tế huyện " \
           "Bù Gia Mập." in part_two
    assert "- 03 điển hình đã được công nhận nhưng chưa được tuyên truyền" in part_two
    assert "- 02 kiến nghị sau kiểm tra chưa được thực hiện xong." in part_two
    assert "thấp hơn dự toán (152.000.000 đồng)" in part_two
    assert "giới thiệu" not in part_two.lower()  # the province's quota is met
    part_three = body[body.index("III. PHƯƠNG HƯỚNG"):]
    assert "Các đơn vị chưa đạt chỉ tiêu (01 đơn vị)" in part_three
    assert "Đôn đốc thực hiện 02 kiến nghị sau kiểm tra còn lại." in part_three
    assert "Đề nghị bố trí bổ sung 32.000.000 đồng kinh phí so với dự toán." in part_three
    assert "tập huấn" not in part_three  # two sessions were held


def test_the_district_report_goes_to_the_province_signed_for_the_committee_by_its_chair(
        profile):
    document = open_docx(render(report(profile, number="125"), "docx"))
    assert "Số: 125/BC-UBND" in document.tables[0].rows[0].cells[0].text
    recipients, signer = (cell.text.splitlines() for cell in document.tables[-1].rows[0].cells)
    assert recipients == ["Nơi nhận:", "- UBND tỉnh Bình Phước;",
                          "- Ban Thi đua – Khen thưởng tỉnh Bình Phước;",
                          "- Lưu: VT, PNVLĐTBXH."]
    assert [line for line in signer if line] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
                                                 "Trần Quốc Hưng"]


def test_a_commune_s_report_is_its_own_with_its_exemplars_in_an_annex(profile):
    document = open_docx(render(report(profile, unit_id="xa-dak-o", commended=4), "docx"))
    left, right = (cell.text.splitlines() for cell in document.tables[0].rows[0].cells)
    assert left == ["ỦY BAN NHÂN DÂN", "XÃ ĐẮK Ơ", "", "Số: ……/BC-UBND"]
    assert right[-1] == "Đắk Ơ, ngày 20 tháng 12 năm 2024"
    units = cells(table_starting(document, "Đơn vị"))
    assert units[1:] == [["1", "UBND xã Đắk Ơ", "05", "04", "03", "01", "Đạt (3/1)"],
                         ["", "Tổng cộng", "05", "04", "03", "01", ""]]
    signature = document.tables[-2].rows[0].cells
    assert signature[0].text.splitlines() == [
        "Nơi nhận:", "- Phòng Nội vụ – Lao động – Thương binh và Xã hội;",
        "- UBND huyện Bù Gia Mập;", "- Lưu: VT."]
    assert [line for line in signature[1].text.splitlines() if line] == [
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Điểu Văn Lâm"]
    annex = cells(table_starting(document, "Họ và tên / Tên tập thể"))
    assert annex[1] == ["1", "Người thứ 1", "UBND xã Đắk Ơ", "Lao động tiên tiến",
                        "1/QĐ-UBND ngày 20/11/2024"]
    assert len(annex) == 4  # three listed…
    assert "Và 01 điển hình khác (xem Phụ lục “Danh sách điển hình” (tệp XLSX) kèm theo Báo " \
           "cáo này)." in [p.text for p in document.paragraphs]


def sheet_rows(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]


def test_the_workbook_annexes_hold_numbers_with_totals_rows(profile):
    book = openpyxl.load_workbook(io.BytesIO(render(report(profile), "xlsx")))
    assert book.sheetnames == ["Tổng hợp", "Theo đơn vị", "Theo lĩnh vực", "Theo kênh",
                               "Theo loại", "Chỉ tiêu", "Danh sách điển hình"]
    summary = {r[0]: r[2] for r in sheet_rows(book["Tổng hợp"])}
    assert {m: summary[m] for m in TOTALS} == TOTALS
    assert (summary["quotas.met"], summary["quotas.at_risk"], summary["quotas.missed"]) == \
        (4, 0, 1)
    assert summary["budget.allocated"] == 120_000_000
    assert summary["training.participants"] == 57
    units = sheet_rows(book["Theo đơn vị"])
    assert units[-1] == [None, "Tổng cộng", 12, 1, 9, 6, 1, 8, 4, 6, "Đạt: 3/4"]
    dak_o = next(r for r in units if r[0] == "xa-dak-o")
    assert dak_o == ["xa-dak-o", "UBND xã Đắk Ơ", 5, 1, 4, 3, 1, 4, 1, 3, "Đạt"]
    assert all(isinstance(v, int) for r in units for v in r[2:10])
    assert sheet_rows(book["Theo lĩnh vực"])[-1] == [None, "Tổng cộng", 12, 9, 6, 1]
    channels = sheet_rows(book["Theo kênh"])
    assert channels[-1] == [None, "Tổng cộng (mỗi điển hình tính một lần)", 8, 6]
    kinds = sheet_rows(book["Theo loại"])
    assert ["Giới tính", "female", "Nữ", 6, 4, 3, 1] in kinds
    quotas = sheet_rows(book["Chỉ tiêu"])
    assert [r[0] for r in quotas][-1] == "ubnd-huyen"
    assert quotas[-1][3:5] == [1, 1] and quotas[-1][6] == "Đạt"
    [escalated] = sheet_rows(book["Danh sách điển hình"])
    assert escalated[1:8] == ["Giới thiệu lên tỉnh", "Nguyễn Thị Hoa", "Cá nhân",
                              "UBND xã Đắk Ơ", "Kinh tế", "Bằng khen của Chủ tịch UBND tỉnh",
                              "215/QĐ-UBND"]
    assert escalated[8].date() == date(2024, 11, 20)


def test_the_per_unit_csv_opens_in_excel_with_its_vietnamese_names(profile):
    content = render(report(profile), "csv")
    assert content.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel looks for
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã đơn vị", "Đơn vị", "Hồ sơ đề nghị"]
    assert ["xa-dak-o", "UBND xã Đắk Ơ", "5", "1", "4", "3", "1", "4", "1", "3", "Đạt"] in rows
    assert rows[-1] == ["", "Tổng cộng", "12", "1", "9", "6", "1", "8", "4", "6", "Đạt: 3/4"]
