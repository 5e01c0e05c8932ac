"""The yearly reports of a scripted year, fetched as the standing office and as a commune's
officer: the DOCX, XLSX and CSV opened and read, their figures those of /dashboard and
/quotas."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import docx
import openpyxl
import pytest

from exemplar.clock import today
from exemplar.testing import auth
from reporting.annual import service
from reporting.annual.model import LISTED
from reporting.annual.pdf import converter

from .steps import (
    ALL_EVENTS,
    FINANCE,
    OFFICE,
    SIGNED,
    decided,
    decision,
    escalated,
    get,
    nominee,
    published,
    revoked,
    send,
    settled,
    story_withdrawn,
    submitted,
    withdrawn,
)

COMMUNE = "dak-o.officer"
ON = "2024-12-20"
DISTRICT_TOTALS = {"submitted": 5, "withdrawn": 1, "commended": 3, "rejected": 1,
                   "revoked": 1, "publicised": 2, "escalated": 1, "stories": 2}
DAK_O_TOTALS = {"submitted": 2, "withdrawn": 1, "commended": 2, "rejected": 0, "revoked": 0,
                "publicised": 1, "escalated": 1, "stories": 1}


def scripted_year() -> list:
    """2024: Đắk Ơ has a farmer publicised and sent to the province, a cooperative commended
    ad hoc and one nomination withdrawn; Education one publicised, one rejected; the Women's
    Union one revoked after publication. One more in 2023, which 2024 does not count."""
    hoa = submitted(nominee=nominee(name="Nguyễn Thị Hoa"))
    hoa_decided = decided(hoa)
    coop = submitted(nominee=nominee(kind="collective", name="Tổ hợp tác cà phê Đắk Ơ",
                                     gender=None, ethnicity=None),
                     proposed_award="giay_khen_chu_tich_huyen", commendation_kind="ad_hoc")
    coop_decided = decided(coop, award_name="Giấy khen của Chủ tịch UBND huyện",
                           decision=decision("220/QĐ-UBND", date(2024, 11, 25)))
    dropped = submitted(nominee=nominee(name="Lê Văn Rút"))
    school = dict(unit_id="phong-gddt", unit_name="Phòng Giáo dục và Đào tạo",
                  unit_kind="agency", field="giao_duc")
    teacher = submitted(nominee=nominee(name="Trần Thị Giáo", ethnicity="Xtiêng"), **school)
    teacher_decided = decided(teacher)
    other = submitted(nominee=nominee(name="Phạm Văn Trượt", gender="male"), **school)
    union = submitted(unit_id="hoi-phu-nu", unit_name="Hội Liên hiệp Phụ nữ huyện Bù Gia Mập",
                      unit_kind="mass_organisation", nominee=nominee(name="Vũ Thị Thu"))
    union_decided = decided(union)
    union_story = published(union_decided)
    last_year = submitted(unit_id="phong-tckh", unit_name="Phòng Tài chính – Kế hoạch",
                          unit_kind="agency", year=2023)
    return [hoa, hoa_decided, published(hoa_decided), escalated(hoa_decided),
            coop, coop_decided, dropped, withdrawn(dropped),
            teacher, teacher_decided, published(teacher_decided, "site-gddt", "unit_site"),
            other, decided(other, outcome="rejected", award=None, award_name=None),
            union, union_decided, union_story, revoked(union_decided),
            story_withdrawn(union_story),
            last_year, decided(last_year)]


@pytest.fixture
async def year(reporting):
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, *scripted_year())
    await settled(nats_url, *ALL_EVENTS)
    return reporting


async def fetch(reporting, bearer: str, **params):
    response = await reporting.client.get("/reports/annual", headers=auth(bearer),
                                          params={"year": 2024, "on": ON, **params})
    assert response.status_code == 200, response.text
    return response


def paragraphs(content: bytes) -> tuple[list[str], list]:
    document = docx.Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs], document.tables


def sheet(book, name: str) -> list[list]:
    return [list(r) for r in book[name].iter_rows(min_row=4, values_only=True)]


async def test_the_district_report_as_the_standing_office_reads_it(year, token):
    office = token(OFFICE)
    response = await fetch(year, office)
    assert response.headers["content-type"].startswith(service.MEDIA_TYPES["docx"])
    assert response.headers["content-disposition"] == (
        'attachment; filename="bao-cao-nam-2024-toan-huyen.docx"; '
        "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20n%C4%83m%202024%20-%20huy%E1%BB%87n%20B%C3%B9"
        "%20Gia%20M%E1%BA%ADp.docx")
    text, tables = paragraphs(response.content)
    assert tables[0].rows[0].cells[0].text.splitlines() == [
        "ỦY BAN NHÂN DÂN", "HUYỆN BÙ GIA MẬP", "", "Số: ……/BC-UBND"]
    assert "Bù Gia Mập, ngày 20 tháng 12 năm 2024" in tables[0].rows[0].cells[1].text
    assert "BÁO CÁO" in text and "III. PHƯƠNG HƯỚNG, ĐỀ XUẤT" in text
    body = "\n".join(text)
    assert "khen thưởng 06 hồ sơ điển hình tiên tiến; trong đó 01 hồ sơ được đơn vị rút lại" \
        in body
    assert "Đã công nhận, khen thưởng 03 điển hình (cá nhân 02, tập thể 01); không công nhận " \
           "01 hồ sơ; thu hồi 01 khen thưởng." in body
    assert "Giới thiệu 01 điển hình lên Ban Thi đua – Khen thưởng tỉnh Bình Phước:" in body
    assert "- Cá nhân Nguyễn Thị Hoa (UBND xã Đắk Ơ), lĩnh vực kinh tế, đề nghị Bằng khen " \
           "của Chủ tịch UBND tỉnh." in body
    units = next(t for t in tables if t.rows[0].cells[1].text == "Đơn vị")
    rows = {r.cells[1].text: [c.text for c in r.cells[2:]] for r in units.rows[1:]}
    assert rows["UBND xã Đắk Ơ"] == ["02", "02", "01", "01", "Đạt (1/1)"]
    assert rows["Hội Liên hiệp Phụ nữ huyện Bù Gia Mập"] == ["01", "00", "00", "00",
                                                             "Không đạt (0/1)"]
    assert rows["Tổng cộng"] == ["05", "03", "02", "01", ""]
    recipients, signer = (cell.text.splitlines() for cell in tables[-1].rows[0].cells)
    assert recipients == ["Nơi nhận:", "- UBND tỉnh Bình Phước;",
                          "- Ban Thi đua – Khen thưởng tỉnh Bình Phước;",
                          "- Lưu: VT, PNVLĐTBXH."]
    assert [line for line in signer if line] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
                                                 "Trần Quốc Hưng"]


async def test_the_district_workbook_holds_the_dashboard_s_and_the_quotas_figures(year, token):
    office = token(OFFICE)
    response = await fetch(year, office, format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    dashboard = await get(year, "/dashboard", office, year=2024)
    quotas = await get(year, "/quotas", office, year=2024, on=ON)
    summary = {r[0]: r[2] for r in sheet(book, "Tổng hợp")}
    assert {m: summary[m] for m in dashboard["totals"]} == dashboard["totals"] == DISTRICT_TOTALS
    assert {s: summary[f"quotas.{s}"] for s in quotas["summary"]} == quotas["summary"]
    lines = [(r[0], r[2], r[3], r[4], r[6]) for r in sheet(book, "Chỉ tiêu")]
    assert len(lines) == len(quotas["lines"])
    assert {(line[0], line[3]) for line in lines} == {
        (q["unit_id"], q["achieved"]) for q in quotas["lines"]}
    units = sheet(book, "Theo đơn vị")
    assert units[-1][1] == "Tổng cộng"
    assert units[-1][2:8] == [DISTRICT_TOTALS[m] for m in
                              ("submitted", "withdrawn", "commended", "publicised", "escalated",
                               "stories")]
    fields = {r[0]: r[3] for r in sheet(book, "Theo lĩnh vực")}
    assert {f["id"]: f["count"] for f in dashboard["exemplars_by_field"]} == \
        {k: v for k, v in fields.items() if k and v}
    channels = {r[0]: (r[2], r[3]) for r in sheet(book, "Theo kênh") if r[0]}
    assert channels == {c["channel_id"]: (c["stories"], c["exemplars"])
                        for c in dashboard["publications_by_channel"]}
    [listed] = sheet(book, "Danh sách điển hình")
    assert listed[1:3] == ["Giới thiệu lên tỉnh", "Nguyễn Thị Hoa"]
    assert listed[7] == "215/QĐ-UBND"


async def test_the_district_csv_is_the_per_unit_table(year, token):
    response = await fetch(year, token(OFFICE), format="csv")
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="bao-cao-nam-2024-toan-huyen.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Mã đơn vị", "Đơn vị"]
    dak_o = next(r for r in rows if r[0] == "xa-dak-o")
    assert dak_o[2:8] == ["2", "1", "2", "1", "1", "1"] and dak_o[-1] == "Đạt"
    assert rows[-1][1:8] == ["Tổng cộng", "5", "1", "3", "2", "1", "2"]


async def test_a_commune_officer_gets_the_commune_s_own_report(year, token):
    officer = token(COMMUNE)
    response = await fetch(year, officer)
    assert 'filename="bao-cao-nam-2024-xa-dak-o.docx"' in response.headers[
        "content-disposition"]
    text, tables = paragraphs(response.content)
    assert tables[0].rows[0].cells[0].text.splitlines() == ["ỦY BAN NHÂN DÂN", "XÃ ĐẮK Ơ", "",
                                                            "Số: ……/BC-UBND"]
    body = "\n".join(text)
    assert "UBND xã Đắk Ơ đã phát hiện, đề nghị công nhận, khen thưởng 03 hồ sơ" in body
    assert "Tính đến ngày 20/12/2024, đơn vị có 01 chỉ tiêu đạt" in body
    annex = next(t for t in tables if t.rows[0].cells[1].text == "Họ và tên / Tên tập thể")
    assert [[c.text for c in r.cells[1:]] for r in annex.rows[1:]] == [
        ["Nguyễn Thị Hoa", "UBND xã Đắk Ơ", "Lao động tiên tiến",
         f"215/QĐ-UBND ngày {SIGNED:%d/%m/%Y}"],
        ["Tổ hợp tác cà phê Đắk Ơ", "UBND xã Đắk Ơ", "Giấy khen của Chủ tịch UBND huyện",
         "220/QĐ-UBND ngày 25/11/2024"]]
    signer = tables[-2].rows[0].cells[1].text.split()
    assert signer[-3:] == ["Điểu", "Văn", "Lâm"]

    book = openpyxl.load_workbook(io.BytesIO((await fetch(year, officer, format="xlsx")).content))
    dashboard = await get(year, "/dashboard", officer, year=2024)
    quotas = await get(year, "/quotas", officer, year=2024, on=ON)
    summary = {r[0]: r[2] for r in sheet(book, "Tổng hợp")}
    assert {m: summary[m] for m in DAK_O_TOTALS} == dashboard["totals"] == DAK_O_TOTALS
    assert [(r[0], r[4], r[6]) for r in sheet(book, "Chỉ tiêu")] == [
        (q["unit_id"], q["achieved"], q["status_name"]) for q in quotas["lines"]]
    assert [r[0] for r in sheet(book, "Theo đơn vị")] == ["xa-dak-o", None]


async def test_a_unit_officer_cannot_read_another_unit_s_report_and_finance_none(
        reporting, token):
    response = await reporting.client.get("/reports/annual", headers=auth(token(COMMUNE)),
                                          params={"year": 2024, "unit_id": "phong-gddt"})
    assert response.status_code == 404
    assert response.json()["detail"]["fields"] == {"unit_id": "phong-gddt"}
    response = await reporting.client.get("/reports/annual", headers=auth(token(FINANCE)),
                                          params={"year": 2024})
    assert response.status_code == 403


async def test_bad_year_or_format_is_refused_in_vietnamese(reporting, token):
    office = auth(token(OFFICE))
    response = await reporting.client.get("/reports/annual", headers=office,
                                          params={"year": 1999, "format": "odt"})
    assert response.status_code == 422
    fields = response.json()["detail"]["fields"]
    assert fields == {"year": "giá trị quá nhỏ", "format": "không thuộc các giá trị cho phép"}
    response = await reporting.client.get("/reports/annual", headers=office,
                                          params={"year": 2024, "on": "2023-12-31"})
    assert response.status_code == 422
    assert set(response.json()["detail"]["fields"]) == {"on"}


async def test_without_a_converter_the_pdf_is_refused_with_a_clear_503(reporting, token,
                                                                       monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    response = await reporting.client.get("/reports/annual", headers=auth(token(OFFICE)),
                                          params={"year": 2024, "format": "pdf"})
    assert response.status_code == 503
    assert response.json()["error"] == "pdf_unavailable"
    assert "chưa cài bộ chuyển đổi PDF (LibreOffice)" in response.json()["detail"]["message"]


@pytest.mark.skipif(converter() is None, reason="LibreOffice (soffice) is not installed")
async def test_the_pdf_is_the_docx_converted_by_libreoffice(year, token):
    response = await fetch(year, token(OFFICE), format="pdf")
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="bao-cao-nam-2024-toan-huyen.pdf"' in response.headers[
        "content-disposition"]


async def test_the_district_report_is_built_without_http_from_the_tallies(year):
    runtime = year.runtime
    async with runtime.uow() as uow:
        content = await service.build(uow, runtime.profile, year=2024, on=date(2024, 12, 20),
                                      fmt="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert {r[0]: r[2] for r in sheet(book, "Tổng hợp")}["commended"] == 3


async def test_a_year_not_yet_begun_is_refused_naming_the_year(reporting, token):
    coming = today().year + 1
    response = await reporting.client.get("/reports/annual", headers=auth(token(OFFICE)),
                                          params={"year": coming})  # `on`: today, by default
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["fields"] == {"year": f"chưa đến năm {coming}"}
    assert detail["message"] == f"Năm {coming} chưa bắt đầu: chưa có số liệu để báo cáo."


async def test_a_unit_s_report_holds_the_quota_lines_of_the_owing_units_below_it(year, token):
    office = token(OFFICE)
    response = await fetch(year, office, unit_id="ubnd-huyen", format="xlsx")
    lines = {r[0]: r[4] for r in sheet(openpyxl.load_workbook(io.BytesIO(response.content)),
                                       "Chỉ tiêu")}
    quotas = await get(year, "/quotas", office, year=2024, on=ON)
    below = {u.id for u in year.runtime.profile.descendants("ubnd-huyen")}
    assert lines == {q["unit_id"]: q["achieved"] for q in quotas["lines"]
                     if q["unit_id"] in below}
    assert {"xa-dak-o", "phong-gddt", "ubnd-huyen"} <= set(lines)
    assert "hoi-phu-nu" not in lines  # a mass organisation: not below the committee
    assert lines["xa-dak-o"] == 1


async def test_a_nominee_named_like_a_formula_stays_text_in_the_unit_s_workbook(
        reporting, token):
    name = '=HYPERLINK("http://x","a")'
    trick = submitted(nominee=nominee(name=name))
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, trick, decided(trick))
    await settled(nats_url, *ALL_EVENTS)
    content = (await fetch(reporting, token(COMMUNE), format="xlsx")).content
    names = openpyxl.load_workbook(io.BytesIO(content))["Danh sách điển hình"]
    [cell] = [row[2] for row in names.iter_rows(min_row=4) if row[2].value == name]
    assert cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet7.xml")


async def test_the_workbook_lists_every_name_the_document_lists_the_first(reporting, token):
    count = LISTED + 5
    nominations = [submitted(nominee=nominee(name=f"Người thứ {i:03d}"))
                   for i in range(1, count + 1)]
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, *nominations, *(decided(n) for n in nominations))
    await settled(nats_url, *ALL_EVENTS)
    officer = token(COMMUNE)
    text, tables = paragraphs((await fetch(reporting, officer)).content)
    annex = next(t for t in tables if t.rows[0].cells[1].text == "Họ và tên / Tên tập thể")
    assert len(annex.rows) == 1 + LISTED
    assert "Và 05 điển hình khác (xem Phụ lục “Danh sách điển hình” (tệp XLSX) kèm theo Báo " \
           "cáo này)." in text
    book = openpyxl.load_workbook(io.BytesIO((await fetch(reporting, officer,
                                                          format="xlsx")).content))
    listed = [r[2] for r in sheet(book, "Danh sách điển hình")
              if r[1] == "Được công nhận, khen thưởng"]
    assert listed == [f"Người thứ {i:03d}" for i in range(1, count + 1)]
