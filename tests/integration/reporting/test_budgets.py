"""Budget estimates: a unit's lines by task, the bonus line computed from the commendations
decided (live while a draft, frozen when submitted), the finance office's allocation, the
district totals, and who may see and do what."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import date
from typing import Any

from exemplar.cli import account_token
from exemplar.profile import DEFAULT_PROFILE_PATH
from exemplar.testing import auth
from reporting.budgets import service
from reporting.summaries import BudgetSummary

from .steps import (
    ALL_EVENTS,
    CHAIR,
    FINANCE,
    OFFICE,
    decided,
    decision,
    nominee,
    revoked,
    send,
    settled,
    submitted,
)

DAK_O, PHU_NGHIA, GDDT, VIEWER = "dak-o.officer", "phu-nghia.officer", "gddt.officer", \
    "tinh.viewer"
OFFICE_ONLY = "noi-vu.officer2"  # the standing office, no unit role of its own
LINES = [{"task": "tuyen_truyen", "amount": 5_000_000, "note": "Chuyên mục trên trạm truyền thanh"},
         {"task": "hoi_nghi", "amount": 3_000_000}]
GIAY_KHEN_XA = ("giay_khen_chu_tich_xa", "Giấy khen của Chủ tịch UBND xã")


def commended(award: str, award_name: str, *, kind: str = "individual", name: str = "Hoa",
              signed_on: date = date(2024, 11, 20), unit_id: str = "xa-dak-o", **changes):
    nomination = submitted(unit_id=unit_id, proposed_award=award,
                           nominee=nominee(kind=kind, name=name))
    return nomination, decided(nomination, award_name=award_name,
                               decision=decision(signed_on=signed_on), **changes)


def year_2024() -> list:
    """2024's commendations. UBND huyện grants the titles and its chairman's Giấy khen, and
    pays for them, whichever unit nominated them; a commune pays for its chairman's Giấy
    khen to its own people (its radio station's too). Some must not count at all."""
    events: list = []
    for name in ("An", "Bình", "Chi"):  # 3 × 0.3 × 2,340,000 → 3 × 710,000
        events += commended("lao_dong_tien_tien", "Lao động tiên tiến", name=name)
    # signed before the July 2024 base pay: 1.0 × 1,800,000
    events += commended("chien_si_thi_dua_co_so", "Chiến sĩ thi đua cơ sở", name="Dũng",
                        signed_on=date(2024, 6, 30))
    # collective: 1.5 × 2,340,000
    events += commended("tap_the_lao_dong_xuat_sac", "Tập thể lao động xuất sắc",
                        kind="collective", name="Tổ hòa giải thôn 3")
    events += commended("chien_si_thi_dua_co_so", "Chiến sĩ thi đua cơ sở", name="Hà",
                        unit_id="xa-phu-nghia")
    # the district chairman's Giấy khen to a school: 2.0 × 2,340,000
    events += commended("giay_khen_chu_tich_huyen", "Giấy khen của Chủ tịch UBND huyện",
                        kind="collective", name="Trường Tiểu học Đắk Ơ", unit_id="phong-gddt")
    # the communes' Giấy khen: 1.0 × 2,340,000 each, paid by Đắk Ơ (two) and Phú Nghĩa
    events += commended(*GIAY_KHEN_XA, name="Lan")
    events += commended(*GIAY_KHEN_XA, name="Minh", unit_id="tth-dak-o")
    events += commended(*GIAY_KHEN_XA, name="Nga", unit_id="xa-phu-nghia")
    # a household's Giấy khen: no multiplier, listed apart in Đắk Ơ's line
    events += commended(*GIAY_KHEN_XA, kind="household", name="Hộ ông Điểu Lâm")
    # a commune's Giấy khen nominated by a district office: no commune grants it
    events += commended(*GIAY_KHEN_XA, name="Oanh", unit_id="phong-gddt")
    # revoked, rejected: neither counts
    nomination, wrong = commended("lao_dong_tien_tien", "Lao động tiên tiến", name="Em")
    events += [nomination, wrong, revoked(wrong)]
    nomination, rejected = commended("lao_dong_tien_tien", "Lao động tiên tiến", name="Giang",
                                     outcome="rejected")
    events += [nomination, rejected]
    return events


DISTRICT_BONUS = 3 * 710_000 + 1_800_000 + 3_510_000 + 2_340_000 + 4_680_000  # 14,460,000
PHU_NGHIA_BONUS = 2_340_000  # one Giấy khen
DAK_O_BONUS = 2 * 2_340_000  # two


async def call(reporting, token, method: str, path: str, who: str, body: Any = None,
               etag: str | None = None, key: str | None = None):
    headers = auth(token(who)) | ({"If-Match": etag} if etag else {}) | (
        {"Idempotency-Key": key} if key else {})
    return await reporting.client.request(method, path, json=body, headers=headers)


async def create(reporting, token, who: str = DAK_O, key: str | None = None, **changes):
    return await call(reporting, token, "POST", "/budgets", who,
                      {"year": 2024, "lines": LINES, **changes}, key=key)


async def test_the_standing_office_budgets_the_district_s_bonus_until_it_submits(reporting,
                                                                                 token):
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, *year_2024())
    await settled(nats_url, *ALL_EVENTS)

    # The standing office's own staff make the estimate of UBND huyện, unit named or not.
    made = await create(reporting, token, OFFICE_ONLY)
    assert made.status_code == 201, made.text
    estimate = made.json()
    assert (estimate["status"], estimate["unit_id"], estimate["unit_name"],
            estimate["bonus"]["frozen"]) == ("draft", "ubnd-huyen", "UBND huyện Bù Gia Mập",
                                             False)
    bonus = estimate["bonus"]
    assert bonus["amount"] == DISTRICT_BONUS
    assert estimate["estimated"] == 8_000_000 + DISTRICT_BONUS
    items = {(i["award"], i["signed_on"]): i for i in bonus["items"]}
    assert {k: (i["count"], i["multiplier"], i["base_pay"], i["each"], i["amount"])
            for k, i in items.items()} == {
        ("lao_dong_tien_tien", "2024-11-20"): (3, "0.3", 2_340_000, 710_000, 2_130_000),
        ("chien_si_thi_dua_co_so", "2024-06-30"): (1, "1.0", 1_800_000, 1_800_000, 1_800_000),
        ("chien_si_thi_dua_co_so", "2024-11-20"): (1, "1.0", 2_340_000, 2_340_000, 2_340_000),
        ("tap_the_lao_dong_xuat_sac", "2024-11-20"): (1, "1.5", 2_340_000, 3_510_000,
                                                      3_510_000),
        ("giay_khen_chu_tich_huyen", "2024-11-20"): (1, "2.0", 2_340_000, 4_680_000,
                                                     4_680_000)}
    assert items[("lao_dong_tien_tien", "2024-11-20")]["source"] == "Nghị định 98/2023/NĐ-CP"
    assert items[("tap_the_lao_dong_xuat_sac", "2024-11-20")]["nominee_kind_name"] == "tập thể"
    assert bonus["unpriced"] == [] and bonus["unpriced_count"] == 0
    assert bonus["task_name"] == "Tiền thưởng kèm theo danh hiệu, hình thức khen thưởng"

    path = f"/budgets/{estimate['id']}"
    sent = await call(reporting, token, "POST", f"{path}/submit", OFFICE,
                      etag=made.headers["ETag"])
    assert sent.status_code == 200, sent.text
    assert (sent.json()["status"], sent.json()["bonus"]["frozen"]) == ("submitted", True)

    # A decision made after the submission changes nothing in what finance allocates against.
    await send(nats_url, *commended("chien_si_thi_dua_co_so", "Chiến sĩ thi đua cơ sở",
                                    name="Khánh"))
    await settled(nats_url, *ALL_EVENTS)
    read = await call(reporting, token, "GET", path, FINANCE)
    assert read.json()["bonus"]["amount"] == DISTRICT_BONUS and read.json()["bonus"]["frozen"]

    allocation = {"lines": [{"task": "tuyen_truyen", "amount": 4_000_000},
                            {"task": "hoi_nghi", "amount": 3_000_000},
                            {"task": "khen_thuong", "amount": DISTRICT_BONUS}],
                  "total": 7_000_000 + DISTRICT_BONUS, "note": "Cắt giảm tuyên truyền 1 triệu."}
    allocated = await call(reporting, token, "POST", f"{path}/allocate", FINANCE, allocation,
                           read.headers["ETag"])
    assert allocated.status_code == 200, allocated.text
    body = allocated.json()
    assert body["status"] == "allocated" and body["status_name"] == "đã phân bổ"
    assert (body["allocation"]["total"], body["allocation"]["allocated_by"]) == (
        7_000_000 + DISTRICT_BONUS, FINANCE)
    assert body["allocation"]["lines"][2]["task_name"].startswith("Tiền thưởng")


async def test_a_commune_s_estimate_carries_the_giay_khen_it_grants(reporting, token):
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, *year_2024())
    await settled(nats_url, *ALL_EVENTS)

    made = await create(reporting, token, lines=[])
    assert made.status_code == 201, made.text
    bonus = made.json()["bonus"]
    assert [(i["award"], i["nominee_kind"], i["count"], i["each"], i["amount"])
            for i in bonus["items"]] == [
        ("giay_khen_chu_tich_xa", "individual", 2, 2_340_000, DAK_O_BONUS)]
    assert bonus["amount"] == made.json()["estimated"] == DAK_O_BONUS
    [household] = bonus["unpriced"]
    assert (household["nominee_kind"], household["count"]) == ("household", 1)
    assert "không quy định hệ số mức thưởng" in household["reason"]

    # A district office's nominee for a commune's Giấy khen: no commune pays; it stays with
    # the office, listed apart with the reason.
    gddt = await create(reporting, token, GDDT, lines=[])
    assert gddt.status_code == 201, gddt.text
    [nobody] = gddt.json()["bonus"]["unpriced"]
    assert (nobody["award"], nobody["count"]) == ("giay_khen_chu_tich_xa", 1)
    assert "Không xác định được cấp khen thưởng" in nobody["reason"]
    assert gddt.json()["bonus"]["amount"] == 0


async def test_the_district_totals_count_every_unit_that_pays_estimated_or_not(reporting,
                                                                               token):
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, *year_2024())
    await settled(nats_url, *ALL_EVENTS)
    district = await create(reporting, token, OFFICE, unit_id="ubnd-huyen")
    assert district.status_code == 201, district.text
    sent = await call(reporting, token, "POST", f"/budgets/{district.json()['id']}/submit",
                      OFFICE, etag=district.headers["ETag"])
    allocated = await call(reporting, token, "POST", f"/budgets/{district.json()['id']}/allocate",
                           FINANCE, {"lines": [{"task": "hoi_nghi", "amount": 3_000_000}]},
                           sent.headers["ETag"])
    assert allocated.status_code == 200, allocated.text
    dak_o = await create(reporting, token, lines=[])
    assert dak_o.status_code == 201, dak_o.text

    totals = await call(reporting, token, "GET", "/budgets/totals?year=2024", FINANCE)
    assert totals.status_code == 200, totals.text
    units = {u["unit_id"]: u for u in totals.json()["units"]}
    assert {k: (u["status"], u["estimated"], u["bonus"], u["allocated"], u["unpriced"])
            for k, u in units.items()} == {
        "ubnd-huyen": ("allocated", 8_000_000 + DISTRICT_BONUS, DISTRICT_BONUS, 3_000_000, 0),
        "xa-dak-o": ("draft", DAK_O_BONUS, DAK_O_BONUS, 0, 1),
        # Phú Nghĩa pays a Giấy khen and has not estimated; nor has Education, which holds
        # one no commune pays for: both count, so the district's fund is not under-stated.
        "xa-phu-nghia": ("not_estimated", PHU_NGHIA_BONUS, PHU_NGHIA_BONUS, 0, 0),
        "phong-gddt": ("not_estimated", 0, 0, 0, 1)}
    assert units["xa-phu-nghia"]["status_name"] == "chưa lập dự toán"
    assert units["xa-phu-nghia"]["estimate_id"] is None
    assert units["xa-dak-o"]["estimate_id"] == dak_o.json()["id"]
    everything = 8_000_000 + DISTRICT_BONUS + DAK_O_BONUS + PHU_NGHIA_BONUS
    bonuses = DISTRICT_BONUS + DAK_O_BONUS + PHU_NGHIA_BONUS
    body = totals.json()
    assert (body["estimated"], body["bonus"], body["allocated"], body["unpriced"]) == (
        everything, bonuses, 3_000_000, 2)

    async with reporting.runtime.uow() as uow:
        profile = reporting.runtime.profile

        async def summary(year: int = 2024, unit_id: str | None = None) -> BudgetSummary:
            return await service.year_summary(uow.session, profile, year=year, unit_id=unit_id)

        whole, huyen = await summary(), await summary(unit_id="ubnd-huyen")
        own = {u: await summary(unit_id=u) for u in ("xa-dak-o", "xa-phu-nghia", "hoi-phu-nu")}
        before = await summary(2023)
    assert whole == huyen == BudgetSummary(estimated=everything, allocated=3_000_000,
                                           bonus=bonuses, unpriced=2)
    assert own == {
        "xa-dak-o": BudgetSummary(estimated=DAK_O_BONUS, allocated=0, bonus=DAK_O_BONUS,
                                  unpriced=1),
        "xa-phu-nghia": BudgetSummary(estimated=PHU_NGHIA_BONUS, allocated=0,
                                      bonus=PHU_NGHIA_BONUS, unpriced=0),
        "hoi-phu-nu": BudgetSummary(estimated=0, allocated=0, bonus=0, unpriced=0)}
    assert before == BudgetSummary(estimated=0, allocated=0, bonus=0, unpriced=0)


async def test_after_the_reorganisation_the_commune_s_estimate_is_the_standing_office_s(
        start_service, key_dir):
    """In the 2025 commune the commune grants every title: its estimate, prepared by its
    standing office (Phòng Văn hóa – Xã hội), carries all of them."""
    profile = DEFAULT_PROFILE_PATH.parent / "dong-nai-xa-2025.yaml"
    async with AsyncExitStack() as stack:
        reporting = await start_service(stack, "reporting", profile_path=profile)
        nats_url = reporting.runtime.settings.nats_url
        signed = date(2025, 9, 15)
        commune = {"unit_id": "xa-bu-gia-map", "signed_on": signed}
        events = [*commended("lao_dong_tien_tien", "Lao động tiên tiến", **commune),
                  *commended("chien_si_thi_dua_co_so", "Chiến sĩ thi đua cơ sở", name="Sơn",
                             unit_id="tram-y-te", signed_on=signed),
                  *commended(*GIAY_KHEN_XA, name="Tâm", unit_id="hoi-nong-dan-xa",
                             signed_on=signed)]
        await send(nats_url, *[e.model_copy(update={"year": 2025}) for e in events])
        await settled(nats_url, *ALL_EVENTS)

        def bearer(account: str) -> dict[str, str]:
            return auth(account_token(account, key_dir=key_dir, profile=profile))

        body = {"year": 2025, "unit_id": "xa-bu-gia-map", "lines": [
            {"task": "hoi_nghi", "amount": 2_000_000}]}
        refused = await reporting.client.post("/budgets", json=body,
                                              headers=bearer("xa.officer"))
        assert refused.status_code == 403, refused.text
        assert "cơ quan thường trực" in refused.json()["detail"]["message"]
        assert "unit_id" in refused.json()["detail"]["fields"]
        made = await reporting.client.post("/budgets", json=body, headers=bearer("vhxh.officer"))
        assert made.status_code == 201, made.text
        bonus = made.json()["bonus"]
        # 0.3 × 2,340,000 → 710,000; 1.0 and 1.0 × 2,340,000
        assert {i["award"]: i["amount"] for i in bonus["items"]} == {
            "lao_dong_tien_tien": 710_000, "chien_si_thi_dua_co_so": 2_340_000,
            "giay_khen_chu_tich_xa": 2_340_000}
        assert made.json()["estimated"] == 2_000_000 + 710_000 + 2 * 2_340_000
        sent = await reporting.client.post(f"/budgets/{made.json()['id']}/submit",
                                           headers=bearer("vhxh.head")
                                           | {"If-Match": made.headers["ETag"]})
        assert sent.status_code == 200, sent.text


async def test_finance_and_the_office_see_every_unit_and_a_unit_only_its_own(reporting, token):
    made = await create(reporting, token)
    assert made.status_code == 201, made.text
    path, etag = f"/budgets/{made.json()['id']}", made.headers["ETag"]

    twice = await create(reporting, token, "dak-o.head")
    assert twice.status_code == 409, twice.text
    assert "năm 2024" in twice.json()["detail"]["message"]
    assert "year" in twice.json()["detail"]["fields"]
    for who in (FINANCE, OFFICE, CHAIR, "dak-o.head"):
        read = await call(reporting, token, "GET", path, who)
        assert read.status_code == 200, (who, read.text)
    listed = await call(reporting, token, "GET", "/budgets?year=2024", FINANCE)
    assert [e["unit_id"] for e in listed.json()["items"]] == ["xa-dak-o"]

    # Another commune's officer: as if it did not exist.
    for method, target, body in (("GET", path, None), ("PATCH", path, {"notes": "x"}),
                                 ("POST", f"{path}/submit", None)):
        response = await call(reporting, token, method, target, PHU_NGHIA, body, etag)
        assert response.status_code == 404, (method, target, response.text)
    own = await call(reporting, token, "GET", "/budgets?unit_id=xa-dak-o", PHU_NGHIA)
    assert own.status_code == 200 and own.json() == {"items": [], "total": 0}
    foreign = await create(reporting, token, PHU_NGHIA, unit_id="xa-dak-o")
    assert foreign.status_code == 403, foreign.text
    assert foreign.json()["error"] == "forbidden"
    assert "xa-dak-o" in foreign.json()["detail"]["fields"]["unit_id"]
    # The district's estimate is the standing office's, not a commune's.
    district = await create(reporting, token, DAK_O, unit_id="ubnd-huyen")
    assert district.status_code == 403, district.text
    assert "cơ quan thường trực" in district.json()["detail"]["message"]
    assert "unit_id" in district.json()["detail"]["fields"]

    # The province's viewer has no business with budgets; nor a unit with the totals.
    for who, target in ((VIEWER, path), (VIEWER, "/budgets"), (VIEWER, "/budgets/totals"),
                        (DAK_O, "/budgets/totals")):
        response = await call(reporting, token, "GET", f"{target}?year=2024", who)
        assert response.status_code == 403, (who, target, response.text)
    for who in (FINANCE, OFFICE, CHAIR):
        totals = await call(reporting, token, "GET", "/budgets/totals?year=2024", who)
        assert totals.status_code == 200, (who, totals.text)

    # Only the unit edits and submits; only finance allocates.
    for who in (OFFICE, FINANCE):
        response = await call(reporting, token, "PATCH", path, who, {"notes": "x"}, etag)
        assert response.status_code == 403, (who, response.text)
    refused = await call(reporting, token, "POST", f"{path}/submit", OFFICE, etag=etag)
    assert refused.status_code == 403, refused.text
    assert "unit_id" in refused.json()["detail"]["fields"]
    allocation = {"lines": [{"task": "hoi_nghi", "amount": 1}]}
    early = await call(reporting, token, "POST", f"{path}/allocate", DAK_O, allocation, etag)
    assert early.status_code == 403, early.text
    read = await call(reporting, token, "GET", path, DAK_O)
    assert (read.json()["status"], read.headers["ETag"]) == ("draft", etag)


async def test_a_retried_create_answers_with_the_first_estimate_and_writes_nothing(reporting,
                                                                                  token):
    first = await create(reporting, token, key="du-toan-2024")
    assert first.status_code == 201, first.text
    again = await create(reporting, token, key="du-toan-2024")
    assert again.status_code == 201, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Location"] == f"/budgets/{first.json()['id']}"
    assert again.json()["etag"] == first.json()["etag"]

    other = await create(reporting, token, key="du-toan-2024", notes="Khác")
    assert other.status_code == 422, other.text
    assert "Idempotency-Key" in other.json()["detail"]["fields"]
    # The key is the user's own: another user's same key is a new request (their unit's).
    head = await create(reporting, token, PHU_NGHIA, key="du-toan-2024")
    assert head.status_code == 201 and head.json()["unit_id"] == "xa-phu-nghia", head.text
    # Without a key, the same request is a second estimate, refused as one.
    twice = await create(reporting, token)
    assert twice.status_code == 409, twice.text

    listed = await call(reporting, token, "GET", "/budgets?year=2024", FINANCE)
    assert sorted(e["unit_id"] for e in listed.json()["items"]) == ["xa-dak-o", "xa-phu-nghia"]


async def test_a_wrong_estimate_is_refused_in_vietnamese_and_nothing_is_written(reporting,
                                                                              token):
    wrong_lines = {
        "lines.0.amount": [{"task": "hoi_nghi", "amount": -1}],
        "lines.1.amount": [{"task": "hoi_nghi", "amount": 1}, {"task": "kiem_tra",
                                                               "amount": 1.5}],
        "lines.2.amount": [{"task": "hoi_nghi", "amount": 1}, {"task": "kiem_tra", "amount": 2},
                           {"task": "tap_huan", "amount": 10**12}],
    }
    for field, lines in wrong_lines.items():
        response = await create(reporting, token, lines=lines)
        assert response.status_code == 422, response.text
        assert field in response.json()["detail"]["fields"], response.text
    for lines, field, words in (
            ([{"task": "hoi_nghi", "amount": 1}, {"task": "mua_sam", "amount": 1}],
             "lines[1].task", "không có nhiệm vụ 'mua_sam'"),
            ([{"task": "khen_thuong", "amount": 1}], "lines[0].task", "tính tự động"),
            ([{"task": "hoi_nghi", "amount": 1}, {"task": "hoi_nghi", "amount": 2}],
             "lines[1].task", "đã có ở dòng trước")):
        response = await create(reporting, token, lines=lines)
        assert response.status_code == 422, response.text
        detail = response.json()["detail"]
        assert detail["message"] == "Các dòng dự toán không hợp lệ."
        assert words in detail["fields"][field]
    far = await create(reporting, token, year=1999)
    assert far.status_code == 422 and "year" in far.json()["detail"]["fields"]

    listed = await call(reporting, token, "GET", "/budgets", FINANCE)
    assert listed.json()["total"] == 0


async def test_changes_name_the_version_read_and_follow_the_states(reporting, token):
    made = await create(reporting, token)
    path, etag = f"/budgets/{made.json()['id']}", made.headers["ETag"]

    blind = await call(reporting, token, "PATCH", path, DAK_O, {"notes": "Bổ sung"})
    assert blind.status_code == 428 and "If-Match" in blind.json()["detail"]["fields"]
    edited = await call(reporting, token, "PATCH", path, DAK_O,
                        {"lines": [{"task": "kiem_tra", "amount": 2_500_000}], "notes": "Bổ sung"},
                        etag)
    assert edited.status_code == 200, edited.text
    assert [(line["task"], line["amount"]) for line in edited.json()["lines"]] == [
        ("kiem_tra", 2_500_000)]
    stale = await call(reporting, token, "POST", f"{path}/submit", DAK_O, etag=etag)
    assert stale.status_code == 412, stale.text
    etag = edited.headers["ETag"]
    wrong = await call(reporting, token, "PATCH", path, DAK_O,
                       {"lines": [{"task": "mua_sam", "amount": 1}]}, etag)
    assert wrong.status_code == 422
    assert (await call(reporting, token, "GET", path, DAK_O)).json()["lines"][0]["task"] == \
        "kiem_tra"  # nothing written

    early = await call(reporting, token, "POST", f"{path}/return", FINANCE,
                       {"reason": "Thiếu thuyết minh"}, etag)
    assert early.status_code == 409, early.text
    assert "dự thảo" in early.json()["detail"]["message"]

    sent = await call(reporting, token, "POST", f"{path}/submit", DAK_O, etag=etag)
    assert sent.status_code == 200, sent.text
    etag = sent.headers["ETag"]
    late = await call(reporting, token, "PATCH", path, DAK_O, {"notes": "Sửa"}, etag)
    assert late.status_code == 409 and "không sửa được" in late.json()["detail"]["message"]

    for allocation, field in (
            ({"lines": [{"task": "kiem_tra", "amount": 2_000_000}], "total": 2_500_000},
             "total"),
            ({"lines": [{"task": "hoi_nghi", "amount": 1}]}, "lines[0].task"),
            ({"lines": [{"task": "khen_thuong", "amount": 1}]}, "lines[0].task")):
        refused = await call(reporting, token, "POST", f"{path}/allocate", FINANCE, allocation,
                             etag)
        assert refused.status_code == 422, refused.text
        assert field in refused.json()["detail"]["fields"]

    returned = await call(reporting, token, "POST", f"{path}/return", FINANCE,
                          {"reason": "Thiếu thuyết minh kinh phí kiểm tra"}, etag)
    assert returned.status_code == 200, returned.text
    body = returned.json()
    assert (body["status"], body["bonus"]["frozen"]) == ("draft", False)
    assert body["returned"]["reason"] == "Thiếu thuyết minh kinh phí kiểm tra"
    etag = returned.headers["ETag"]
    again = await call(reporting, token, "POST", f"{path}/submit", DAK_O, etag=etag)
    etag = again.headers["ETag"]
    allocated = await call(reporting, token, "POST", f"{path}/allocate", FINANCE,
                           {"lines": [{"task": "kiem_tra", "amount": 2_000_000}]}, etag)
    assert allocated.status_code == 200 and allocated.json()["allocation"]["total"] == 2_000_000
    twice = await call(reporting, token, "POST", f"{path}/allocate", FINANCE,
                       {"lines": [{"task": "kiem_tra", "amount": 1}]},
                       allocated.headers["ETag"])
    assert twice.status_code == 409, twice.text
