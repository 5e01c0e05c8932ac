"""The jurisdiction profile: the default loads; a broken profile is refused, every fault named."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from exemplar.profile import (
    DEFAULT_PROFILE_PATH,
    Profile,
    ProfileError,
    Unit,
    load_profile,
)

PLAN_COMMUNES = {
    "Bình Thắng", "Bù Gia Mập", "Đa Kia", "Đắk Ơ", "Đức Hạnh", "Phú Nghĩa", "Phú Văn", "Phước Minh",
}  # fmt: skip
DONG_NAI_PATH = DEFAULT_PROFILE_PATH.with_name("dong-nai-xa-2025.yaml")
REFORM_DAY = date(2025, 7, 1)


def default_data() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PROFILE_PATH.read_text(encoding="utf-8"))


def item(items: list[dict[str, Any]], item_id: str) -> dict[str, Any]:
    return next(entry for entry in items if entry["id"] == item_id)


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def refused(tmp_path: Path, change: Callable[[dict[str, Any]], object]) -> ProfileError:
    data = default_data()
    change(data)
    with pytest.raises(ProfileError) as caught:
        load_profile(write(tmp_path, data))
    return caught.value


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


def test_default_profile_is_bu_gia_map_district_in_binh_phuoc(profile: Profile) -> None:
    assert profile.id == "bu-gia-map-2023"
    assert profile.jurisdiction.code == "691"
    assert profile.jurisdiction.name == "Huyện Bù Gia Mập"
    assert profile.jurisdiction.province == "Tỉnh Bình Phước"
    assert profile.jurisdiction.valid_to == date(2025, 6, 30)


def test_default_path_names_the_packaged_default(profile: Profile) -> None:
    assert load_profile(DEFAULT_PROFILE_PATH) == profile


def test_default_profile_has_exactly_the_eight_communes_of_the_plan(profile: Profile) -> None:
    names = [unit.name.removeprefix("UBND xã ") for unit in profile.communes()]
    assert sorted(names) == sorted(PLAN_COMMUNES)
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
    assert profile.unit("xa-dak-o").name == "UBND xã Đắk Ơ"


def test_every_commune_has_its_own_commune_radio_channel_with_an_editor(profile: Profile) -> None:
    for commune in profile.communes():
        radios = [
            channel for channel in profile.channels
            if channel.kind == "commune_radio" and channel.subscription.units == [commune.id]
        ]  # fmt: skip
        assert len(radios) == 1, commune.id
        assert profile.editors_of(radios[0].id), radios[0].id


def test_every_nominating_unit_has_an_officer_and_a_head(profile: Profile) -> None:
    nominating = {"commune", "agency", "mass_organisation", "enterprise"}
    for unit in (u for u in profile.units if u.kind in nominating):
        roles = {role for a in profile.accounts if a.unit == unit.id for role in a.roles}
        assert {"unit_officer", "unit_head"} <= roles, unit.id


def test_council_is_chaired_by_the_district_chairman_and_includes_a_commune(
    profile: Profile,
) -> None:
    council = profile.council
    chair = profile.account(council.chair)
    assert chair.unit == "ubnd-huyen"
    assert {"chair", "council_member"} <= set(chair.roles)
    assert 5 <= len(council.members) <= 9
    member_units = {profile.account(member).unit for member in council.members}
    assert any(profile.unit(unit).kind == "commune" for unit in member_units)


def test_lookups_of_unknown_ids_raise_key_error_naming_the_id(profile: Profile) -> None:
    with pytest.raises(KeyError, match="xa-khong-co"):
        profile.unit("xa-khong-co")
    with pytest.raises(KeyError, match=r"khong-co\.officer"):
        profile.account("khong-co.officer")


def test_editors_of_a_commune_radio_are_its_own_editors(profile: Profile) -> None:
    assert [a.id for a in profile.editors_of("radio-dak-o")] == ["dak-o.radio"]


def test_children_of_a_commune_are_its_radio_station(profile: Profile) -> None:
    assert [u.id for u in profile.children("xa-dak-o")] == ["tth-dak-o"]


def test_commune_award_is_granted_by_the_nominees_own_commune(profile: Profile) -> None:
    assert profile.grantor_of("giay_khen_chu_tich_xa", "tth-phu-van").id == "xa-phu-van"
    assert profile.grantor_of("chien_si_thi_dua_co_so", "xa-phu-van").id == "ubnd-huyen"


def test_commune_radio_carries_only_its_own_commune(profile: Profile) -> None:
    dak_o = {c.id for c in profile.subscribers("xa-dak-o", "kinh_te", "decided")}
    phu_van = {c.id for c in profile.subscribers("xa-phu-van", "kinh_te", "decided")}
    assert "radio-dak-o" in dak_o
    assert "radio-dak-o" not in phu_van


def test_units_active_on_respects_effective_dates(profile: Profile) -> None:
    last_day = {u.id for u in profile.units_active_on(date(2025, 6, 30))}
    assert {"ubnd-huyen", "xa-dak-o", "tth-dak-o"} <= last_day
    assert profile.units_active_on(REFORM_DAY) == []
    assert profile.communes(on=REFORM_DAY) == []


def test_unit_without_end_date_stays_active() -> None:
    unit = Unit(id="x", name="Xã X", kind="commune", effective_from=REFORM_DAY)
    assert not unit.active_on(date(2025, 6, 30))
    assert unit.active_on(REFORM_DAY)
    assert unit.active_on(date(2040, 1, 1))


def test_unmodified_copy_of_the_default_loads(tmp_path: Path, profile: Profile) -> None:
    assert load_profile(write(tmp_path, default_data())) == profile


def test_profile_with_dangling_unit_reference_is_refused(tmp_path: Path) -> None:
    error = refused(
        tmp_path, lambda d: item(d["accounts"], "dak-o.officer").update(unit="xa-khong-co")
    )
    assert "tài khoản 'dak-o.officer': đơn vị 'xa-khong-co' không tồn tại" in str(error)


def test_profile_with_duplicate_unit_id_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, lambda d: d["units"].append(dict(item(d["units"], "xa-dak-o"))))
    assert "đơn vị 'xa-dak-o': mã bị trùng" in str(error)


def test_profile_with_unit_ending_before_it_starts_is_refused(tmp_path: Path) -> None:
    error = refused(
        tmp_path, lambda d: item(d["units"], "xa-phu-van").update(effective_to=date(2022, 12, 31))
    )
    assert "đơn vị 'xa-phu-van': effective_to 2022-12-31" in str(error)


def test_profile_with_channel_editor_lacking_editor_role_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, lambda d: item(d["accounts"], "dak-o.radio").update(roles=["viewer"]))
    assert "tài khoản 'dak-o.radio'" in str(error)
    assert "editor" in str(error)


def test_council_member_without_council_role_is_refused(tmp_path: Path) -> None:
    error = refused(
        tmp_path, lambda d: item(d["accounts"], "ldld.head").update(roles=["unit_head"])
    )
    assert "hội đồng: tài khoản 'ldld.head' thiếu vai trò 'council_member'" in str(error)


def test_every_problem_is_reported_in_one_error(tmp_path: Path) -> None:
    def break_twice(data: dict[str, Any]) -> None:
        item(data["accounts"], "dak-o.officer")["unit"] = "xa-khong-co"
        item(data["channels"], "radio-huyen")["slots"] = ["5 giờ"]

    error = refused(tmp_path, break_twice)
    assert len(error.problems) == 2
    assert "'dak-o.officer'" in error.problems[0]
    assert "kênh 'radio-huyen': giờ phát '5 giờ'" in error.problems[1]


def test_schema_errors_name_the_item_by_its_id(tmp_path: Path) -> None:
    error = refused(tmp_path, lambda d: item(d["units"], "xa-dak-o").update(kind="village"))
    assert any(problem.startswith("units[xa-dak-o].kind:") for problem in error.problems)


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, lambda d: d["council"].update(quorum=3))
    assert any(problem.startswith("council.quorum:") for problem in error.problems)


def test_unreadable_or_malformed_file_raises_profile_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="không đọc được"):
        load_profile(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("units: [\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="YAML"):
        load_profile(broken)


def test_thresholds_default_when_absent_and_follow_the_file_when_given(tmp_path: Path) -> None:
    data = default_data()
    del data["thresholds"]
    defaults = load_profile(write(tmp_path, data)).thresholds
    assert (defaults.public_posting_days, defaults.share_caps) == (5, [])
    data["thresholds"] = {"share_caps": [{"award": "chien_si_thi_dua_co_so",
                                          "among": "lao_dong_tien_tien", "max_share": 0.1}]}
    assert load_profile(write(tmp_path, data)).thresholds.share_caps[0].max_share == 0.1
    data["thresholds"]["share_caps"][0]["among"] = "no_such_award"
    with pytest.raises(ProfileError, match="no_such_award"):
        load_profile(write(tmp_path, data))


def test_dong_nai_commune_profile_has_no_old_district_unit_active_after_reform() -> None:
    profile = load_profile(DONG_NAI_PATH)
    assert profile.jurisdiction.province == "Tỉnh Đồng Nai"
    old_district = {
        unit.id for unit in profile.units
        if any(u.kind == "district_people_committee" for u in profile.ancestors(unit.id))
    }  # fmt: skip
    assert old_district, "the historical district should be recorded"
    active = {unit.id for unit in profile.units_active_on(REFORM_DAY)}
    assert not active & old_district
    assert [u.name for u in profile.communes(on=REFORM_DAY)] == ["UBND xã Bù Gia Mập"]
    assert profile.account(profile.council.chair).unit == "xa-bu-gia-map"
