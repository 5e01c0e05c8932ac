"""Who issues a yearly report, to whom and who signs, read from the profile."""

from __future__ import annotations

from datetime import date

from exemplar.profile import DEFAULT_PROFILE_PATH, load_profile
from reporting.annual.area import board_name, tier
from reporting.annual.heading import Signer, heading
from reporting.annual.service import file_names, scope_name

COMMUNE_PROFILE = DEFAULT_PROFILE_PATH.with_name("dong-nai-xa-2025.yaml")
ON = date(2024, 12, 20)


def test_the_district_report_is_the_home_government_s_signed_by_its_chair():
    h = heading(load_profile(), unit_id=None, on=ON, number="125")
    # Nghị định 30/2020: a district People's Committee heads its documents with its own name
    # (no governing body above it), on two lines the layout breaks.
    assert (h.letterhead.parent, h.letterhead.unit) == (
        None, "Ủy ban nhân dân huyện Bù Gia Mập")
    assert h.number == "125/BC-UBND"
    assert h.letterhead.place == "Bù Gia Mập"
    assert (h.letterhead.signer_roles, h.letterhead.signer_name) == (
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Trần Quốc Hưng")


def test_the_district_report_goes_to_the_province_and_its_board_drafted_by_the_office():
    h = heading(load_profile(), unit_id=None, on=ON)
    assert h.recipients == ("UBND tỉnh Bình Phước;",
                            "Ban Thi đua – Khen thưởng tỉnh Bình Phước;",
                            "Lưu: VT, PNVLĐTBXH.")


def test_a_vice_chair_signs_the_district_report_for_the_chair():
    h = heading(load_profile(), unit_id=None, on=ON,
                signer=Signer(name="Lê Thị Minh Thu", title="Phó Chủ tịch"))
    assert (h.letterhead.signer_roles, h.letterhead.signer_name) == (
        ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Lê Thị Minh Thu")
    unnamed = heading(load_profile(), unit_id=None, on=ON, signer=Signer(title="Phó Chủ tịch"))
    assert unnamed.letterhead.signer_name == ""  # not the chair's name under a deputy's title


def test_a_caller_may_name_the_signer_of_a_unit_s_report():
    h = heading(load_profile(), unit_id="phong-gddt", on=ON,
                signer=Signer(name="Lương Văn Hải", title="Phó Trưởng phòng"))
    assert (h.letterhead.signer_roles, h.letterhead.signer_name) == (
        ("KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"), "Lương Văn Hải")
    assert h.letterhead.parent == "UBND huyện Bù Gia Mập"
    assert h.number == "……/BC-PGDĐT"
    assert h.recipients == ("Phòng Nội vụ – Lao động – Thương binh và Xã hội;",
                            "UBND huyện Bù Gia Mập;", "Lưu: VT.")


def test_a_commune_s_report_is_its_own_signed_by_its_head():
    h = heading(load_profile(), unit_id="xa-dak-o", on=ON)
    assert (h.letterhead.parent, h.letterhead.unit) == (None, "Ủy ban nhân dân xã Đắk Ơ")
    assert h.letterhead.signer_roles == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert h.letterhead.signer_name == "Điểu Văn Lâm"


def test_after_the_merger_the_commune_reports_to_the_province_of_the_day():
    profile, on = load_profile(COMMUNE_PROFILE), date(2025, 12, 20)
    h = heading(profile, unit_id=None, on=on)
    assert (h.letterhead.parent, h.letterhead.unit) == (None, "Ủy ban nhân dân xã Bù Gia Mập")
    assert h.number == "……/BC-UBND"
    assert h.recipients == ("UBND tỉnh Đồng Nai;",
                            "Sở Nội vụ tỉnh Đồng Nai (công tác thi đua, khen thưởng);",
                            "Lưu: VT, PVHXH.")
    assert h.letterhead.signer_name == "Điểu Văn Thuận"  # the council's chair
    assert h.letterhead.place == "Bù Gia Mập"


def test_the_words_of_the_area_come_from_the_profile():
    district, commune = load_profile(), load_profile(COMMUNE_PROFILE)
    assert (tier(district), tier(commune)) == ("huyện", "xã")
    assert board_name(district, year=2024, on=ON) == "Ban Thi đua – Khen thưởng tỉnh Bình Phước"
    assert board_name(commune, year=2025, on=date(2025, 12, 20)) == (
        "Sở Nội vụ tỉnh Đồng Nai (công tác thi đua, khen thưởng)")
    assert scope_name(commune, None) == "xã Bù Gia Mập"
    assert file_names(district, year=2024, unit_id=None) == (
        "bao-cao-nam-2024-toan-huyen", "Báo cáo năm 2024 - huyện Bù Gia Mập")
    assert file_names(commune, year=2025, unit_id=None) == (
        "bao-cao-nam-2025-toan-xa", "Báo cáo năm 2025 - xã Bù Gia Mập")
    assert file_names(district, year=2024, unit_id="xa-dak-o")[0] == "bao-cao-nam-2024-xa-dak-o"
