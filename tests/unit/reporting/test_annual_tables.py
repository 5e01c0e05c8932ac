"""The yearly report's spreadsheets: text that looks like a formula stays text, a unit's
report covers the units below it without counting a quota twice, and the XLSX's list of
names takes every name it is given."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from exemplar.profile import Profile, load_profile
from reporting.annual import figures, tables
from reporting.annual.model import LISTED, Exemplar
from reporting.annual.service import render
from reporting.annual.workbook import NAMES_SHEET, AnnualWorkbook
from reporting.quotas.rules import assess

from .test_annual_files import ON, commended_names, report

HYPERLINK = '=HYPERLINK("http://x","a")'
# What a spreadsheet would evaluate: a formula, +, -, @, a tab or CR first, an error code.
TRICKS = (HYPERLINK, "+1+2", "-3+4", "@SUM(A1:A2)", "\tTab", "#N/A")


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


def named(name: str) -> Exemplar:
    return Exemplar(name=name, nominee_kind="individual", unit_name="UBND xã Đắk Ơ",
                    field_name="Kinh tế", award_name="Lao động tiên tiến",
                    decision_number="1/QĐ-UBND", day=date(2024, 11, 20))


def test_a_nominee_named_like_a_formula_is_text_in_the_workbook(profile):
    content = render(report(profile, unit_id="xa-dak-o",
                            names=tuple(named(t) for t in TRICKS)), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content))[NAMES_SHEET]
    cells = [row[2] for row in sheet.iter_rows(min_row=4) if row[1].value == tables.COMMENDED]
    assert [c.value for c in cells] == list(TRICKS)
    assert {c.data_type for c in cells} == {"s"}
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        xml = b"".join(package.read(n) for n in package.namelist()
                       if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"HYPERLINK" in xml


def test_a_unit_named_like_a_formula_is_quoted_in_the_csv(profile):
    full = report(profile)
    tricked = replace(full, units=tuple(replace(u, unit_name=TRICKS[i])
                                        for i, u in enumerate(full.units)))
    rows = list(csv.reader(io.StringIO(render(tricked, "csv").decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:5]] == ["'" + t for t in TRICKS[:4]]
    assert rows[1][2:8] == ["5", "1", "4", "3", "1", "4"]  # numbers stay numbers


def test_a_unit_s_report_shows_every_owing_unit_below_it_and_counts_each_quota_once(profile):
    # A profile where a commune's radio station owes an exemplar of its own: the commune's
    # line counts the station's exemplar too.
    quotas = profile.quotas.model_copy(update={
        "unit_kinds": [*profile.quotas.unit_kinds, "commune_radio"]})
    stations = profile.model_copy(update={"quotas": quotas})
    lines = [line for line in assess(stations, year=2024, on=ON, escalated=0,
                                     publicised={"xa-dak-o": 2, "tth-dak-o": 1})
             if line.unit_id in {"xa-dak-o", "tth-dak-o"}]
    by = {("xa-dak-o", "submitted"): 3, ("xa-dak-o", "publicised"): 2,
          ("tth-dak-o", "submitted"): 1, ("tth-dak-o", "publicised"): 1}
    rows = figures.rows_by_unit(stations, by, year=2024, unit_id="xa-dak-o", quotas=lines)
    assert [(r.unit_id, r.quota.achieved, r.nested) for r in rows] == [
        ("xa-dak-o", 3, False), ("tth-dak-o", 1, True)]
    commune = replace(report(profile, unit_id="xa-dak-o"), units=tuple(rows),
                      quotas=tuple(lines))
    units = tables.unit_rows(commune)
    # The publicised counts add up (2 + 1); the quota counts only the commune's line, which
    # holds the station's exemplar already: 3 achieved, not 4.
    assert units[-1] == [None, "Tổng cộng", 4, 0, 0, 3, 0, 0, 1, 3, "Đạt: 2/2"]
    csv_rows = list(csv.reader(io.StringIO(render(commune, "csv").decode("utf-8-sig"))))
    assert csv_rows[-1][8:] == ["1", "3", "Đạt: 2/2"]


def test_the_workbook_lists_every_name_it_is_given_beyond_the_document_s_few(profile):
    unit = report(profile, unit_id="xa-dak-o", names=commended_names(LISTED),
                  commended=LISTED + 150)
    book = AnnualWorkbook(unit)
    book.add_names(tables.COMMENDED, commended_names(LISTED + 150))
    book.add_names(tables.ESCALATED, unit.escalated.items)
    sheet = openpyxl.load_workbook(io.BytesIO(book.close()))[NAMES_SHEET]
    rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(rows) == LISTED + 151
    assert rows[-2][:3] == [LISTED + 150, tables.COMMENDED, f"Người thứ {LISTED + 150}"]
    assert rows[-1][:3] == [LISTED + 151, tables.ESCALATED, "Nguyễn Thị Hoa"]
    assert rows[-1][8].date() == date(2024, 11, 20)
    assert sheet.cell(row=4 + LISTED + 150, column=9).number_format == "DD/MM/YYYY"
