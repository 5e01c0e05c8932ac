"""Who issues a yearly report, to whom and who signs, read from the profile."""

from __future__ import annotations

from datetime import date

from exemplar.profile import DEFAULT_PROFILE_PATH, load_profile
from reporting.annual.heading import Signer, heading

COMMUNE_PROFILE = DEFAULT_PROFILE_PATH.with_name("dong-nai-xa-2025.yaml")


def test_the_district_report_comes_from_the_standing_office_under_the_district():
    h = heading(load_profile(), unit_id=None, on=date(2024, 12, 20), number="125/BC-NV")
    assert (h.letterhead.parent, h.letterhead.unit) == (
        "UBND huyện Bù Gia Mập", "Phòng Nội vụ – Lao động – Thương binh và Xã hội")
    assert h.number == "125/BC-NV"  # a number given in full is printed as given
    assert h.letterhead.place == "Bù Gia Mập"
    assert (h.letterhead.signer_roles, h.letterhead.signer_name) == (("TRƯỞNG PHÒNG",),
                                                                     "Nguyễn Văn Toàn")


def test_a_caller_may_name_the_signer():
    h = heading(load_profile(), unit_id="phong-gddt", on=date(2024, 12, 20),
                signer=Signer(name="Lương Văn Hải", title="Phó Trưởng phòng"))
    assert (h.letterhead.signer_roles, h.letterhead.signer_name) == (("PHÓ TRƯỞNG PHÒNG",),
                                                                     "Lương Văn Hải")
    assert h.number == "……/BC-PGDĐT"
    assert h.recipients == ("Phòng Nội vụ – Lao động – Thương binh và Xã hội;",
                            "UBND huyện Bù Gia Mập;", "Lưu: VT.")


def test_after_the_merger_the_report_goes_to_the_province_of_the_day():
    h = heading(load_profile(COMMUNE_PROFILE), unit_id=None, on=date(2025, 12, 20))
    assert h.letterhead.parent == "UBND xã Bù Gia Mập"
    assert h.recipients[0] == "UBND tỉnh Đồng Nai;"
    assert h.recipients[-2:] == ("Chủ tịch UBND xã Bù Gia Mập;", "Lưu: VT.")
    assert h.letterhead.place == "Bù Gia Mập"
