"""The bonus line of a budget estimate: count × multiplier × base pay on the signing date, each
commendation's bonus rounded up; what cannot be priced is listed apart, never counted as 0."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from exemplar.profile import DEFAULT_PROFILE_PATH, load_profile
from exemplar.profile.budget import BasePay, BonusRates, Budget
from reporting.budgets.bonus import as_dict, price
from reporting.projections.queries import CommendationCount

BUDGET = load_profile().budget
DONG_NAI = load_profile(DEFAULT_PROFILE_PATH.parent / "dong-nai-xa-2025.yaml").budget
NOV_2024, JUN_2024 = date(2024, 11, 20), date(2024, 6, 30)
NAMES = {"lao_dong_tien_tien": "Lao động tiên tiến",
         "chien_si_thi_dua_co_so": "Chiến sĩ thi đua cơ sở",
         "tap_the_lao_dong_tien_tien": "Tập thể lao động tiên tiến",
         "tap_the_lao_dong_xuat_sac": "Tập thể lao động xuất sắc",
         "giay_khen_chu_tich_xa": "Giấy khen của Chủ tịch UBND xã",
         "giay_khen_chu_tich_huyen": "Giấy khen của Chủ tịch UBND huyện"}


def counted(award: str, count: int = 1, *, kind: str = "individual",
            signed_on: date | None = NOV_2024) -> CommendationCount:
    return CommendationCount(unit_id="xa-dak-o", award=award, award_name=NAMES[award],
                             nominee_kind=kind, signed_on=signed_on, count=count)


def test_lao_dong_tien_tien_is_a_third_of_base_pay_rounded_up_to_ten_thousand():
    bonus = price(BUDGET, [counted("lao_dong_tien_tien", 3)])
    [item] = bonus.items
    # 0.3 × 2,340,000 = 702,000 → 710,000 each
    assert (item.multiplier, item.base_pay, item.each, item.amount) == (
        Decimal("0.3"), 2_340_000, 710_000, 2_130_000)
    assert item.source == "Nghị định 98/2023/NĐ-CP"
    assert bonus.amount == 2_130_000 and bonus.unpriced == ()


def test_chien_si_thi_dua_co_so_is_one_base_pay():
    [item] = price(BUDGET, [counted("chien_si_thi_dua_co_so", 2)]).items
    assert (item.each, item.amount) == (2_340_000, 4_680_000)


def test_a_decision_signed_before_july_2024_takes_the_older_base_pay():
    bonus = price(BUDGET, [counted("chien_si_thi_dua_co_so", signed_on=JUN_2024),
                           counted("lao_dong_tien_tien", signed_on=JUN_2024),
                           counted("lao_dong_tien_tien", signed_on=date(2024, 7, 1))])
    by_date = {(i.award, i.signed_on): (i.base_pay, i.each) for i in bonus.items}
    assert by_date == {("chien_si_thi_dua_co_so", JUN_2024): (1_800_000, 1_800_000),
                       ("lao_dong_tien_tien", JUN_2024): (1_800_000, 540_000),
                       ("lao_dong_tien_tien", date(2024, 7, 1)): (2_340_000, 710_000)}
    assert bonus.amount == 1_800_000 + 540_000 + 710_000


def test_collective_titles_take_the_collective_multipliers():
    bonus = price(BUDGET, [counted("tap_the_lao_dong_tien_tien", kind="collective"),
                           counted("tap_the_lao_dong_xuat_sac", 2, kind="collective"),
                           counted("giay_khen_chu_tich_huyen", kind="collective")])
    amounts = {i.award: (str(i.multiplier), i.each, i.amount) for i in bonus.items}
    assert amounts == {
        "tap_the_lao_dong_tien_tien": ("0.8", 1_880_000, 1_880_000),  # 1,872,000 rounded up
        "tap_the_lao_dong_xuat_sac": ("1.5", 3_510_000, 7_020_000),
        "giay_khen_chu_tich_huyen": ("2.0", 4_680_000, 4_680_000)}


def test_a_households_giay_khen_has_no_multiplier_and_is_listed_apart():
    bonus = price(BUDGET, [counted("giay_khen_chu_tich_xa", 4, kind="household"),
                           counted("lao_dong_tien_tien")])
    [unpriced] = bonus.unpriced
    assert (unpriced.award, unpriced.nominee_kind, unpriced.count) == (
        "giay_khen_chu_tich_xa", "household", 4)
    assert "Nghị định 98/2023/NĐ-CP" in unpriced.reason and "hộ gia đình" in unpriced.reason
    assert bonus.amount == 710_000  # the household's four are not counted as 0 but apart
    assert bonus.unpriced_count == 4


def test_a_commendation_no_unit_pays_for_is_listed_apart_with_the_reason():
    reason = "Không xác định được cấp khen thưởng chi tiền thưởng cho đề nghị của đơn vị 'x'."
    nobody = CommendationCount(unit_id="phong-gddt", award="giay_khen_chu_tich_xa",
                               award_name=NAMES["giay_khen_chu_tich_xa"],
                               nominee_kind="individual", signed_on=NOV_2024, count=2,
                               unresolved=reason)
    bonus = price(BUDGET, [nobody, counted("lao_dong_tien_tien")])
    assert [(u.count, u.reason) for u in bonus.unpriced] == [(2, reason)]
    assert (bonus.amount, bonus.unpriced_count) == (710_000, 2)


def test_a_giay_khen_decided_before_the_2023_decree_has_no_multiplier_yet():
    [unpriced] = price(BUDGET, [counted("giay_khen_chu_tich_xa",
                                        signed_on=date(2023, 12, 30))]).unpriced
    assert "Nghị định 91/2017/NĐ-CP" in unpriced.reason


def test_no_base_pay_on_the_signing_date_is_unpriced():
    # The 2025 commune's profile knows the base pay from 1 July 2024 only.
    bonus = price(DONG_NAI, [counted("lao_dong_tien_tien", signed_on=JUN_2024)])
    assert bonus.items == ()
    assert "lương cơ sở" in bonus.unpriced[0].reason and "30/06/2024" in bonus.unpriced[0].reason


def test_no_rates_on_the_signing_date_or_no_date_is_unpriced():
    bonus = price(BUDGET, [counted("lao_dong_tien_tien", signed_on=date(2017, 9, 30)),
                           counted("chien_si_thi_dua_co_so", signed_on=None)])
    reasons = sorted(u.reason for u in bonus.unpriced)
    assert "hệ số mức thưởng hiệu lực ngày 30/09/2017" in reasons[0]
    assert "không ghi ngày ký" in reasons[1]
    assert bonus.amount == 0


def test_the_multiplier_is_the_decrees_decimal_not_the_floats_binary_value():
    # As floats, 1.1 × 1,800,000 is 1,980,000.0000000002: rounded up it would be 1,990,000.
    budget = Budget(base_pay=[BasePay(effective_from=date(2023, 7, 1), amount=1_800_000)],
                    bonuses=[BonusRates(effective_from=date(2023, 1, 1), source="thử",
                                        multipliers={"lao_dong_tien_tien": {"individual": 1.1}})],
                    round_up_to=10_000)
    [item] = price(budget, [counted("lao_dong_tien_tien", signed_on=JUN_2024)]).items
    assert item.each == 1_980_000


def test_the_stored_line_keeps_the_breakdown_with_exact_multipliers():
    stored = as_dict(price(BUDGET, [counted("lao_dong_tien_tien", 2),
                                    counted("giay_khen_chu_tich_xa", kind="household")]))
    assert stored["amount"] == 1_420_000 and stored["unpriced_count"] == 1
    assert stored["items"][0] == {
        "award": "lao_dong_tien_tien", "award_name": "Lao động tiên tiến",
        "nominee_kind": "individual", "signed_on": "2024-11-20", "count": 2,
        "multiplier": "0.3", "base_pay": 2_340_000, "each": 710_000, "amount": 1_420_000,
        "source": "Nghị định 98/2023/NĐ-CP"}
    assert all(isinstance(v, int) for v in (stored["amount"], stored["items"][0]["each"]))
