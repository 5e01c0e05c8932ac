"""The yearly report's DOCX as Nghị định 30/2020 lays it out (page numbers, the short rules
of the heading) and in the words of the profile it is made for (the plan, the province's
board, the home government's level)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from exemplar.profile import DEFAULT_PROFILE_PATH, Profile, load_profile
from reporting.annual.service import render

from .test_annual_files import open_docx, report

COMMUNE_PROFILE = DEFAULT_PROFILE_PATH.with_name("dong-nai-xa-2025.yaml")
LEFT, RIGHT = 70 - 3.8, 95 - 3.8  # mm: the heading's columns less the cell margins


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


def body(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def rules(cell, width: float) -> list[tuple[int, float]]:
    """(position, length in mm) of each short line drawn in the cell: an empty paragraph
    whose top border runs between equal indents."""
    out = []
    for i, paragraph in enumerate(cell.paragraphs):
        if paragraph._p.xpath("./w:pPr/w:pBdr/w:top[@w:val='single']"):
            style = paragraph.paragraph_format
            assert style.left_indent == style.right_indent  # centred
            assert paragraph.text == ""
            out.append((i, width - 2 * style.left_indent.mm))
    return out


def test_pages_after_the_first_are_numbered_at_the_top_centre(profile):
    section = open_docx(render(report(profile), "docx")).sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.is_linked_to_previous
    assert [p.text for p in section.first_page_header.paragraphs] == [""]  # page 1: none
    [number] = section.header.paragraphs
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    fields = number._p.findall(qn("w:fldSimple"))
    assert [f.get(qn("w:instr")).strip() for f in fields] == ["PAGE"]


def test_short_rules_run_under_the_issuer_s_name_and_under_the_motto(profile):
    left, right = open_docx(render(report(profile), "docx")).tables[0].rows[0].cells
    [(after_name, name_rule)] = rules(left, LEFT)
    assert [p.text for p in left.paragraphs][after_name - 1] == "HUYỆN BÙ GIA MẬP"
    # 1/3 to 1/2 of the name's line ("HUYỆN BÙ GIA MẬP", 13 pt bold: about 50 mm).
    assert 15 <= name_rule <= 28
    [(after_motto, motto_rule)] = rules(right, RIGHT)
    assert [p.text for p in right.paragraphs][after_motto - 1] == "Độc lập - Tự do - Hạnh phúc"
    assert 55 <= motto_rule <= 70  # as long as the motto's line


def test_the_report_cites_the_plan_it_implements_when_the_profile_names_one(profile):
    cited = body(open_docx(render(report(profile, unit_id="xa-dak-o"), "docx")))
    assert "Thực hiện Kế hoạch số 80/KH-UBND ngày 26/4/2023 của UBND huyện Bù Gia Mập, Ủy " \
           "ban nhân dân xã Đắk Ơ báo cáo kết quả" in cited
    commune = load_profile(COMMUNE_PROFILE)
    assert commune.jurisdiction.plan is None
    uncited = body(open_docx(render(_commune_report(commune), "docx")))
    assert "Thực hiện" not in uncited
    assert "Ủy ban nhân dân xã Bù Gia Mập báo cáo kết quả" in uncited


def _commune_report(profile: Profile):
    units = {"van-phong-xa": (3, 0, 2, 1, 0, 1), "tram-y-te": (2, 0, 1, 0, 0, 0)}
    return report(profile, units=units, on=date(2025, 12, 20))


def test_a_commune_s_profile_speaks_of_the_commune_and_its_province_s_department():
    profile = load_profile(COMMUNE_PROFILE)
    document = open_docx(render(_commune_report(profile), "docx"))
    text = body(document)
    assert document.tables[0].rows[0].cells[0].text.splitlines()[:2] == [
        "ỦY BAN NHÂN DÂN", "XÃ BÙ GIA MẬP"]
    assert "các cơ quan, đơn vị, địa phương trên địa bàn xã Bù Gia Mập" in text
    assert "Tính đến ngày 20/12/2025, toàn xã có" in text
    assert "Giới thiệu 01 điển hình lên Sở Nội vụ tỉnh Đồng Nai (công tác thi đua, khen " \
           "thưởng):" in text
    assert "huyện" not in text.replace("Giấy khen của Chủ tịch UBND huyện", "")


def test_an_escalation_short_of_its_quota_is_owed_to_the_province_s_board_by_name(profile):
    full = report(profile)
    short = replace(full, quotas=tuple(
        replace(line, achieved=0, status="at_risk") if line.quota == "escalated" else line
        for line in full.quotas))
    text = body(open_docx(render(short, "docx")))
    assert "- Mới giới thiệu 00/01 điển hình lên Ban Thi đua – Khen thưởng tỉnh Bình Phước." \
        in text
    assert "- Lựa chọn, giới thiệu đủ 01 điển hình tiêu biểu lên Ban Thi đua – Khen thưởng " \
           "tỉnh Bình Phước." in text
