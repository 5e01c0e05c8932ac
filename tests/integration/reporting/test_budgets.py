"""Budget estimates: a unit's lines by task, the bonus line computed from the commendations
decided (live while a draft, frozen when submitted), the finance office's allocation, the
district totals, and who may see and do what."""

from __future__ import annotations

from datetime import date
from typing import Any

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

DAK_O, PHU_NGHIA, VIEWER = "dak-o.officer", "phu-nghia.officer", "tinh.viewer"
LINES = [{"task": "tuyen_truyen", "amount": 5_000_000, "note": "Chuyên mục trên trạm truyền thanh"},
         {"task": "hoi_nghi", "amount": 3_000_000}]


def commended(award: str, award_name: str, *, kind: str = "individual", name: str = "Hoa",
              signed_on: date = date(2024, 11, 20), unit_id: str = "xa-dak-o", **changes):
    nomination = submitted(unit_id=unit_id, proposed_award=award,
                           nominee=nominee(kind=kind, name=name))
    return nomination, decided(nomination, award_name=award_name,
                               decision=decision(signed_on=signed_on), **changes)


def year_2024_of_dak_o() -> list:
    """Đắk Ơ's commendations of 2024, and some that must not count for its bonus."""
    events: list = []
    for name in ("An", "Bình", "Chi"):  # 3 × 0.3 × 2,340,000 → 3 × 710,000
        events += commended("lao_dong_tien_tien", "Lao động tiên tiến", name=name)
    # signed before the July 2024 base pay: 1.0 × 1,800,000
    events += commended("chien_si_thi_dua_co_so", "Chiến sĩ thi đua cơ sở", name="Dũng",
                        signed_on=date(2024, 6, 30))
    # collective: 1.5 × 2,340,000
    events += commended("tap_the_lao_dong_xuat_sac", "Tập thể lao động xuất sắc",
                        kind="collective", name="Tổ hòa giải thôn 3")
    # a household's Giấy khen: no multiplier, listed apart
    events += commended("giay_khen_chu_tich_xa", "Giấy khen của Chủ tịch UBND xã",
                        kind="household", name="Hộ ông Điểu Lâm")
    # revoked, rejected, another commune's: none of them counts
    nomination, wrong = commended("lao_dong_tien_tien", "Lao động tiên tiến", name="Em")
    events += [nomination, wrong, revoked(wrong)]
    nomination, rejected = commended("lao_dong_tien_tien", "Lao động tiên tiến", name="Giang",
                                     outcome="rejected")
    events += [nomination, rejected]
    events += commended("chien_si_thi_dua_co_so", "Chiến sĩ thi đua cơ sở", name="Hà",
                        unit_id="xa-phu-nghia")
    return events


BONUS = 3 * 710_000 + 1_800_000 + 3_510_000  # 7,440,000


async def call(reporting, token, method: str, path: str, who: str, body: Any = None,
               etag: str | None = None):
    headers = auth(token(who)) | ({"If-Match": etag} if etag else {})
    return await reporting.client.request(method, path, json=body, headers=headers)


async def create(reporting, token, who: str = DAK_O, **changes):
    return await call(reporting, token, "POST", "/budgets", who,
                      {"year": 2024, "lines": LINES, **changes})


async def test_the_bonus_line_follows_the_decisions_until_the_unit_submits_it(reporting,
                                                                              token):
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, *year_2024_of_dak_o())
    await settled(nats_url, *ALL_EVENTS)

    made = await create(reporting, token)
    assert made.status_code == 201, made.text
    estimate = made.json()
    assert (estimate["status"], estimate["unit_id"], estimate["bonus"]["frozen"]) == (
        "draft", "xa-dak-o", False)
    bonus = estimate["bonus"]
    assert bonus["amount"] == BONUS and estimate["estimated"] == 8_000_000 + BONUS
    items = {(i["award"], i["signed_on"]): i for i in bonus["items"]}
    assert {k: (i["count"], i["multiplier"], i["base_pay"], i["each"], i["amount"])
            for k, i in items.items()} == {
        ("lao_dong_tien_tien", "2024-11-20"): (3, "0.3", 2_340_000, 710_000, 2_130_000),
        ("chien_si_thi_dua_co_so", "2024-06-30"): (1, "1.0", 1_800_000, 1_800_000, 1_800_000),
        ("tap_the_lao_dong_xuat_sac", "2024-11-20"): (1, "1.5", 2_340_000, 3_510_000,
                                                      3_510_000)}
    assert items[("lao_dong_tien_tien", "2024-11-20")]["source"] == "Nghị định 98/2023/NĐ-CP"
    assert items[("tap_the_lao_dong_xuat_sac", "2024-11-20")]["nominee_kind_name"] == "tập thể"
    [household] = bonus["unpriced"]
    assert (household["nominee_kind"], household["count"]) == ("household", 1)
    assert "không quy định hệ số mức thưởng" in household["reason"]
    assert bonus["task_name"] == "Tiền thưởng kèm theo danh hiệu, hình thức khen thưởng"

    path = f"/budgets/{estimate['id']}"
    sent = await call(reporting, token, "POST", f"{path}/submit", DAK_O, etag=made.headers["ETag"])
    assert sent.status_code == 200, sent.text
    assert (sent.json()["status"], sent.json()["bonus"]["frozen"]) == ("submitted", True)

    # A decision made after the submission changes nothing in what finance allocates against.
    await send(nats_url, *commended("chien_si_thi_dua_co_so", "Chiến sĩ thi đua cơ sở",
                                    name="Khánh"))
    await settled(nats_url, *ALL_EVENTS)
    read = await call(reporting, token, "GET", path, FINANCE)
    assert read.json()["bonus"]["amount"] == BONUS and read.json()["bonus"]["frozen"]

    allocation = {"lines": [{"task": "tuyen_truyen", "amount": 4_000_000},
                            {"task": "hoi_nghi", "amount": 3_000_000},
                            {"task": "khen_thuong", "amount": BONUS}],
                  "total": 7_000_000 + BONUS, "note": "Cắt giảm tuyên truyền 1 triệu đồng."}
    allocated = await call(reporting, token, "POST", f"{path}/allocate", FINANCE, allocation,
                           read.headers["ETag"])
    assert allocated.status_code == 200, allocated.text
    body = allocated.json()
    assert body["status"] == "allocated" and body["status_name"] == "đã phân bổ"
    assert (body["allocation"]["total"], body["allocation"]["allocated_by"]) == (
        7_000_000 + BONUS, FINANCE)
    assert body["allocation"]["lines"][2]["task_name"].startswith("Tiền thưởng")

    # Another commune's draft: its bonus line is computed as it is read.
    other = await create(reporting, token, PHU_NGHIA, lines=[])
    assert other.json()["bonus"]["amount"] == 2_340_000 and other.json()["estimated"] == 2_340_000

    totals = await call(reporting, token, "GET", "/budgets/totals?year=2024", FINANCE)
    assert totals.status_code == 200, totals.text
    units = {u["unit_id"]: u for u in totals.json()["units"]}
    assert {k: (u["estimated"], u["bonus"], u["allocated"], u["unpriced"])
            for k, u in units.items()} == {
        "xa-dak-o": (8_000_000 + BONUS, BONUS, 7_000_000 + BONUS, 1),
        "xa-phu-nghia": (2_340_000, 2_340_000, 0, 0)}
    assert (totals.json()["estimated"], totals.json()["allocated"], totals.json()["bonus"]) == (
        10_340_000 + BONUS, 7_000_000 + BONUS, 2_340_000 + BONUS)

    async with reporting.runtime.uow() as uow:
        profile = reporting.runtime.profile
        whole = await service.year_summary(uow.session, profile, year=2024, unit_id=None)
        dak_o = await service.year_summary(uow.session, profile, year=2024, unit_id="xa-dak-o")
        district = await service.year_summary(uow.session, profile, year=2024,
                                              unit_id="ubnd-huyen")
        before = await service.year_summary(uow.session, profile, year=2023, unit_id=None)
    assert whole == district == BudgetSummary(estimated=10_340_000 + BONUS,
                                              allocated=7_000_000 + BONUS,
                                              bonus=2_340_000 + BONUS, unpriced=1)
    assert dak_o == BudgetSummary(estimated=8_000_000 + BONUS, allocated=7_000_000 + BONUS,
                                  bonus=BONUS, unpriced=1)
    assert before == BudgetSummary(estimated=0, allocated=0, bonus=0, unpriced=0)


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
    allocation = {"lines": [{"task": "hoi_nghi", "amount": 1}]}
    early = await call(reporting, token, "POST", f"{path}/allocate", DAK_O, allocation, etag)
    assert early.status_code == 403, early.text
    read = await call(reporting, token, "GET", path, DAK_O)
    assert (read.json()["status"], read.headers["ETag"]) == ("draft", etag)


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
