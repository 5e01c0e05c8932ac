"""Quota lines: who owes what in a year, and met / at risk / missed with the rule that said so."""

from __future__ import annotations

from datetime import date

import pytest

from exemplar.profile import DEFAULT_PROFILE_PATH, Profile, load_profile
from reporting.quotas.rules import assess, judge, owing_units

DEFAULT = load_profile()
DONG_NAI = load_profile(DEFAULT_PROFILE_PATH.parent / "dong-nai-xa-2025.yaml")
OCT, NOV, DUE, AFTER = date(2024, 10, 1), date(2024, 11, 1), date(2024, 12, 15), \
    date(2024, 12, 16)


def changed(profile: Profile, *, units: dict[str, dict] | None = None, **quotas) -> Profile:
    """The profile with some units' dates or the quota numbers changed, checked again."""
    data = profile.model_dump()
    for unit in data["units"]:
        unit.update((units or {}).get(unit["id"], {}))
    data["quotas"].update(quotas)
    return Profile.model_validate(data)


def lines_of(profile: Profile = DEFAULT, *, on: date = NOV, year: int = 2024,
             publicised: dict[str, int] | None = None, escalated: int = 0,
             unit_id: str | None = None) -> dict[tuple[str, str], object]:
    lines = assess(profile, year=year, publicised=publicised or {}, escalated=escalated,
                   on=on, unit_id=unit_id)
    return {(line.unit_id, line.quota): line for line in lines}


def test_a_unit_with_its_exemplar_publicised_has_met_its_quota():
    line = lines_of(publicised={"xa-dak-o": 1})[("xa-dak-o", "publicised")]
    assert (line.status, line.required, line.achieved, line.due_on) == ("met", 1, 1, DUE)
    assert line.rule == ("Đạt: 1/1 điển hình được công nhận và tuyên truyền trên ít nhất "
                         "một kênh.")
    assert (line.unit_name, line.unit_kind) == ("UBND xã Đắk Ơ", "commune")


def test_more_than_required_is_met():
    line = lines_of(publicised={"phong-vhtt": 3})[("phong-vhtt", "publicised")]
    assert (line.status, line.achieved) == ("met", 3)


def test_a_met_quota_stays_met_after_the_due_date():
    assert lines_of(on=AFTER, publicised={"xa-dak-o": 1})[("xa-dak-o", "publicised")] \
        .status == "met"


def test_short_before_the_due_date_is_at_risk_with_the_days_left():
    line = lines_of()[("ttyt-huyen", "publicised")]
    assert (line.status, line.achieved) == ("at_risk", 0)
    assert line.rule == ("Có nguy cơ không đạt: mới 0/1 điển hình được công nhận và tuyên "
                         "truyền trên ít nhất một kênh; còn 44 ngày đến hạn 15/12/2024.")


def test_on_the_due_date_itself_it_is_still_at_risk():
    line = lines_of(on=DUE)[("ttyt-huyen", "publicised")]
    assert line.status == "at_risk" and "còn 0 ngày đến hạn 15/12/2024" in line.rule


def test_short_after_the_due_date_is_missed():
    line = lines_of(on=AFTER)[("ttyt-huyen", "publicised")]
    assert line.status == "missed"
    assert line.rule == ("Không đạt: 0/1 điển hình được công nhận và tuyên truyền trên ít "
                         "nhất một kênh khi hết hạn 15/12/2024.")


def test_a_unit_dissolved_before_the_due_date_is_judged_at_its_last_day():
    profile = changed(DEFAULT, units={"xa-phu-van": {"effective_to": date(2024, 8, 31)},
                                      "tth-phu-van": {"effective_to": date(2024, 8, 31)}})
    before = lines_of(profile, on=date(2024, 8, 31))[("xa-phu-van", "publicised")]
    assert (before.status, before.due_on) == ("at_risk", date(2024, 8, 31))
    assert "còn 0 ngày đến hạn 31/08/2024" in before.rule
    after = lines_of(profile, on=date(2024, 9, 1))[("xa-phu-van", "publicised")]
    assert after.status == "missed" and "khi hết hạn 31/08/2024" in after.rule
    # the units still there have until the report
    assert lines_of(profile, on=date(2024, 9, 1))[("xa-dak-o", "publicised")].status == \
        "at_risk"


def test_a_unit_dissolved_after_the_due_date_has_until_the_report():
    profile = changed(DEFAULT, units={"xa-phu-van": {"effective_to": date(2024, 12, 31)},
                                      "tth-phu-van": {"effective_to": date(2024, 12, 31)}})
    assert lines_of(profile, on=NOV)[("xa-phu-van", "publicised")].due_on == DUE


def test_communes_and_other_units_owe_their_own_numbers():
    profile = changed(DEFAULT, publicised_per_commune=2, publicised_per_unit=1)
    lines = lines_of(profile, publicised={"xa-dak-o": 1, "phong-vhtt": 1})
    commune, agency = lines[("xa-dak-o", "publicised")], lines[("phong-vhtt", "publicised")]
    assert (commune.required, commune.achieved, commune.status) == (2, 1, "at_risk")
    assert "mới 1/2" in commune.rule
    assert (agency.required, agency.achieved, agency.status) == (1, 1, "met")
    assert lines[("cty-cao-su-phu-nghia", "publicised")].required == 1
    assert lines[("hoi-phu-nu", "publicised")].required == 1


def test_a_commune_counts_the_exemplars_of_its_radio_station():
    lines = lines_of(publicised={"tth-binh-thang": 1, "xa-dak-o": 1, "tth-dak-o": 1})
    assert lines[("xa-binh-thang", "publicised")].achieved == 1
    assert lines[("xa-binh-thang", "publicised")].status == "met"
    assert lines[("xa-dak-o", "publicised")].achieved == 2
    # a station owes nothing of its own
    assert not any(unit.startswith("tth-") for unit, _ in lines)


def test_only_the_kinds_that_owe_have_a_line():
    owing = {u.id for u in owing_units(DEFAULT, 2024)}
    assert "phong-noi-vu" in owing and "cty-cao-su-phu-nghia" in owing
    assert not owing & {"ubnd-huyen", "hdtdkt-huyen", "dai-truyen-thanh", "cong-ttdt",
                        "huyen-uy", "mttq-huyen", "tth-dak-o", "ubnd-tinh"}
    assert len(owing) == 20


def test_the_home_unit_owes_the_province_escalations_last():
    lines = assess(DEFAULT, year=2024, publicised={}, escalated=1, on=NOV)
    last = lines[-1]
    assert (last.unit_id, last.quota, last.required, last.achieved, last.status) == \
        ("ubnd-huyen", "escalated", 1, 1, "met")
    # the board's name is the profile's
    assert last.rule == ("Đạt: 1/1 điển hình được giới thiệu lên Ban Thi đua – Khen thưởng "
                         "tỉnh Bình Phước.")
    assert [line.quota for line in lines].count("escalated") == 1


@pytest.mark.parametrize(("on", "status"), [(NOV, "at_risk"), (AFTER, "missed")])
def test_no_escalation_puts_the_home_unit_at_risk_then_missed(on, status):
    assert lines_of(on=on)[("ubnd-huyen", "escalated")].status == status


def test_units_outside_the_year_owe_nothing():
    assert lines_of(year=2022, on=date(2022, 11, 1)) == {}
    # the district's units ended on 30/6/2025: none owes for 2026, the district neither
    assert lines_of(year=2026, on=date(2026, 11, 1)) == {}


def test_a_unit_created_during_the_year_owes_for_it():
    lines = lines_of(DONG_NAI, year=2025, on=date(2025, 11, 1))
    assert ("xa-bu-gia-map", "publicised") in lines  # from 1/7/2025
    assert ("xa-bu-gia-map-cu", "publicised") in lines  # until 30/6/2025
    assert lines[("xa-bu-gia-map-cu", "publicised")].due_on == date(2025, 6, 30)
    assert lines[("xa-bu-gia-map", "publicised")].due_on == date(2025, 12, 10)
    assert lines[("xa-bu-gia-map", "escalated")].due_on == date(2025, 12, 10)


def test_the_commune_government_owes_escalations_only_from_its_first_year():
    assert ("xa-bu-gia-map", "escalated") not in lines_of(DONG_NAI, year=2024)


def test_a_unit_query_sees_only_its_own_line():
    lines = lines_of(publicised={"xa-dak-o": 1, "phong-vhtt": 1}, escalated=1,
                     unit_id="xa-dak-o")
    assert list(lines) == [("xa-dak-o", "publicised")]


def test_the_home_units_query_sees_its_escalation_line():
    assert list(lines_of(escalated=1, unit_id="ubnd-huyen")) == [("ubnd-huyen", "escalated")]


def test_a_unit_that_owes_nothing_sees_no_line():
    assert lines_of(publicised={"tth-dak-o": 1}, unit_id="tth-dak-o") == {}


def test_judge_is_met_at_exactly_the_required_number():
    unit = DEFAULT.unit("xa-dak-o")
    line = judge(quota="publicised", unit=unit, required=2, achieved=2, due_on=DUE, on=AFTER)
    assert line.status == "met"
    line = judge(quota="publicised", unit=unit, required=2, achieved=1, due_on=DUE, on=OCT)
    assert line.status == "at_risk" and "còn 75 ngày" in line.rule


def test_a_zero_quota_is_always_met():
    lines = lines_of(changed(DEFAULT, publicised_per_unit=0), on=AFTER)
    assert lines[("phong-vhtt", "publicised")].status == "met"
    assert lines[("xa-dak-o", "publicised")].status == "missed"
