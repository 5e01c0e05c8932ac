"""A training session: a day within the years reported on; its attendance: known units, each
once, no more names than people."""

from __future__ import annotations

from datetime import date

import pytest

from exemplar.errors import RuleViolation
from exemplar.profile import load_profile
from reporting.training.domain import Attendance, attendance_names, check_held_on, unit_name

PROFILE = load_profile()


def test_attending_units_are_named_from_the_profile_in_order():
    names = attendance_names(PROFILE, [Attendance("xa-phu-nghia", 2),
                                       Attendance("xa-dak-o", 1, ("Nguyễn Thị Nhàn",))])
    assert list(names.items()) == [("xa-phu-nghia", "UBND xã Phú Nghĩa"),
                                   ("xa-dak-o", "UBND xã Đắk Ơ")]


def test_every_wrong_line_is_named():
    with pytest.raises(RuleViolation) as refused:
        attendance_names(PROFILE, [Attendance("xa-dak-o", 1), Attendance("xa-khong-co", 1),
                                   Attendance("xa-dak-o", 1, ("A", "B"))])
    assert refused.value.fields == {
        "participants[1].unit_id": "không có đơn vị 'xa-khong-co'",
        "participants[2].unit_id": "đơn vị 'xa-dak-o' đã có ở dòng trước",
        "participants[2].names": "2 tên, nhiều hơn số người (1)"}


def test_an_unknown_organiser_is_refused_by_its_field():
    assert unit_name(PROFILE, "phong-noi-vu", "organiser_unit_id").startswith("Phòng Nội vụ")
    with pytest.raises(RuleViolation) as refused:
        unit_name(PROFILE, "phong-khong-co", "organiser_unit_id")
    assert set(refused.value.fields) == {"organiser_unit_id"}


def test_the_day_lies_within_the_years_the_service_reports_on():
    for day in (date(2000, 1, 1), date(2024, 5, 10), date(2100, 12, 31)):
        check_held_on(day)
    for day in (date(1999, 12, 31), date(2101, 1, 1), date(1, 1, 1)):
        with pytest.raises(RuleViolation) as refused:
            check_held_on(day)
        assert set(refused.value.fields) == {"held_on"}
        assert "01/01/2000" in refused.value.detail and "31/12/2100" in refused.value.detail
