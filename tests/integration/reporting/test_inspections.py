"""Inspections: the standing office's yearly plan, findings and recommendations per unit, the
unit's follow-up; each unit sees only its own part."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from exemplar.clock import today
from exemplar.testing import auth
from reporting.inspections import service
from reporting.summaries import InspectionSummary

from .steps import CHAIR, FINANCE, OFFICE

DAK_O, PHU_NGHIA, GDDT, VIEWER = "dak-o.officer", "phu-nghia.officer", "gddt.officer", \
    "tinh.viewer"
# A year the district's communes existed in (they merged on 1 July 2025), and a day in it.
YEAR, INSPECTED = 2024, date(2024, 10, 15)
TEAM = [{"name": "Nguyễn Văn Toàn", "position": "Trưởng phòng", "unit": "Phòng Nội vụ",
         "leader": True},
        {"name": "Phạm Thị Thanh Hà", "position": "Chuyên viên", "unit": "Phòng Nội vụ"},
        {"name": "Hồ Thị Xuân", "position": "Ủy viên", "unit": "Ủy ban MTTQ huyện"}]


def plan(**changes: Any) -> dict:
    return {"year": YEAR, "title": f"Kiểm tra công tác thi đua, khen thưởng năm {YEAR}",
            "content": "Việc phát hiện, bồi dưỡng, tuyên truyền điển hình tiên tiến.",
            "period_from": f"{YEAR}-01-01", "period_to": f"{YEAR}-12-31", "team": TEAM,
            "units": ["xa-dak-o", "xa-phu-nghia"], **changes}


def findings(*texts: str, recommendations: int = 1, on: date = INSPECTED) -> dict:
    due = (on + timedelta(days=30)).isoformat()
    return {"inspected_on": on.isoformat(), "findings": list(texts),
            "recommendations": [{"text": f"Kiến nghị {i + 1}", "due_on": due}
                                for i in range(recommendations)]}


async def call(reporting, token, method: str, path: str, who: str, body: Any = None,
               etag: str | None = None, key: str | None = None):
    headers = auth(token(who)) | ({"If-Match": etag} if etag else {}) | (
        {"Idempotency-Key": key} if key else {})
    return await reporting.client.request(method, path, json=body, headers=headers)


async def planned(reporting, token, **changes) -> tuple[str, str]:
    made = await call(reporting, token, "POST", "/inspections", OFFICE, plan(**changes))
    assert made.status_code == 201, made.text
    return f"/inspections/{made.json()['id']}", made.headers["ETag"]


async def started(reporting, token, **changes) -> str:
    path, etag = await planned(reporting, token, **changes)
    moved = await call(reporting, token, "PATCH", path, OFFICE, {"status": "in_progress"}, etag)
    assert moved.status_code == 200, moved.text
    return path


def unit_etag(read: dict, unit_id: str) -> str:
    return next(u["etag"] for u in read["units"] if u["unit_id"] == unit_id)


async def test_a_plan_goes_from_planned_to_done_and_the_unit_follows_up(reporting, token):
    path, etag = await planned(reporting, token)
    made = (await call(reporting, token, "GET", path, OFFICE)).json()
    assert (made["status"], made["status_name"], made["leader"]) == (
        "planned", "đã lập kế hoạch", "Nguyễn Văn Toàn")
    assert [u["unit_name"] for u in made["units"]] == ["UBND xã Đắk Ơ", "UBND xã Phú Nghĩa"]

    early = await call(reporting, token, "PUT", f"{path}/units/xa-dak-o", OFFICE,
                       findings("Chưa có chuyên mục"), unit_etag(made, "xa-dak-o"))
    assert early.status_code == 409 and "đang diễn ra" in early.json()["detail"]["message"]
    skip = await call(reporting, token, "PATCH", path, OFFICE, {"status": "done"}, etag)
    assert skip.status_code == 409, skip.text
    assert "Không chuyển được" in skip.json()["detail"]["message"]

    moved = await call(reporting, token, "PATCH", path, OFFICE, {"status": "in_progress"}, etag)
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    etag = moved.headers["ETag"]
    dak_o = await call(reporting, token, "PUT", f"{path}/units/xa-dak-o", OFFICE,
                       findings("Chưa có chuyên mục điển hình", "Hồ sơ khen thưởng đầy đủ",
                                recommendations=2), unit_etag(made, "xa-dak-o"))
    assert dak_o.status_code == 200, dak_o.text
    assert [r["status"] for r in dak_o.json()["recommendations"]] == ["open", "open"]

    unfinished = await call(reporting, token, "PATCH", path, OFFICE, {"status": "done"}, etag)
    assert unfinished.status_code == 409, unfinished.text
    assert "UBND xã Phú Nghĩa" in unfinished.json()["detail"]["message"]
    phu_nghia = await call(reporting, token, "PUT", f"{path}/units/xa-phu-nghia", OFFICE,
                           findings("Chưa tuyên truyền trên loa"), unit_etag(made, "xa-phu-nghia"))
    assert phu_nghia.status_code == 200, phu_nghia.text
    done = await call(reporting, token, "PATCH", path, OFFICE, {"status": "done"}, etag)
    assert done.status_code == 200 and done.json()["status_name"] == "đã kết thúc"
    edit = await call(reporting, token, "PATCH", path, OFFICE, {"title": "Khác"},
                      done.headers["ETag"])
    assert edit.status_code == 409, edit.text

    # Đắk Ơ reports on its first recommendation, after the inspection is over.
    own = f"{path}/units/xa-dak-o"
    record = await call(reporting, token, "GET", own, DAK_O)
    first = await call(reporting, token, "PATCH", f"{own}/recommendations/1", DAK_O,
                       {"status": "in_progress", "note": "Đã giao trạm truyền thanh xây dựng"},
                       record.headers["ETag"])
    assert first.status_code == 200, first.text
    recommendation = first.json()["recommendations"][0]
    assert (recommendation["status_name"], recommendation["note"],
            recommendation["updated_by"]) == ("đang thực hiện",
                                              "Đã giao trạm truyền thanh xây dựng", DAK_O)
    stale = await call(reporting, token, "PATCH", f"{own}/recommendations/1", DAK_O,
                       {"status": "done"}, record.headers["ETag"])
    assert stale.status_code == 412, stale.text
    finished = await call(reporting, token, "PATCH", f"{own}/recommendations/1", DAK_O,
                          {"status": "done", "note": "Chuyên mục phát sóng hằng tháng"},
                          first.headers["ETag"])
    assert finished.status_code == 200, finished.text
    back = await call(reporting, token, "PATCH", f"{own}/recommendations/1", DAK_O,
                      {"status": "open"}, finished.headers["ETag"])
    assert back.status_code == 409 and "Kiến nghị số 1" in back.json()["detail"]["message"]
    missing = await call(reporting, token, "PATCH", f"{own}/recommendations/3", DAK_O,
                         {"status": "done"}, finished.headers["ETag"])
    assert missing.status_code == 404, missing.text

    async with reporting.runtime.uow() as uow:
        whole = await service.year_summary(uow.session, year=YEAR, unit_id=None)
        one = await service.year_summary(uow.session, year=YEAR, unit_id="xa-dak-o")
        none = await service.year_summary(uow.session, year=YEAR, unit_id="phong-gddt")
    assert whole == InspectionSummary(plans=1, units_inspected=2, findings=3, recommendations=3,
                                      recommendations_done=1, recommendations_open=2)
    assert one == InspectionSummary(plans=1, units_inspected=1, findings=2, recommendations=2,
                                    recommendations_done=1, recommendations_open=1)
    assert none == InspectionSummary(0, 0, 0, 0, 0, 0)


async def test_a_unit_sees_only_its_own_part_and_finance_nothing(reporting, token):
    path = await started(reporting, token)
    read = (await call(reporting, token, "GET", path, OFFICE)).json()
    for unit_id in ("xa-dak-o", "xa-phu-nghia"):
        recorded = await call(reporting, token, "PUT", f"{path}/units/{unit_id}", OFFICE,
                              findings("Một phát hiện"), unit_etag(read, unit_id))
        assert recorded.status_code == 200, recorded.text

    mine = await call(reporting, token, "GET", path, DAK_O)
    assert mine.status_code == 200, mine.text
    assert [u["unit_id"] for u in mine.json()["units"]] == ["xa-dak-o"]
    listed = await call(reporting, token, "GET", "/inspections", DAK_O)
    assert [[u["unit_id"] for u in p["units"]] for p in listed.json()["items"]] == [["xa-dak-o"]]
    for who in (CHAIR, VIEWER, OFFICE):
        read = await call(reporting, token, "GET", path, who)
        assert read.status_code == 200 and len(read.json()["units"]) == 2, who

    # A unit the plan does not inspect, or another unit's part: as if it did not exist.
    assert (await call(reporting, token, "GET", path, GDDT)).status_code == 404
    assert (await call(reporting, token, "GET", "/inspections", GDDT)).json()["total"] == 0
    other = f"{path}/units/xa-phu-nghia"
    assert (await call(reporting, token, "GET", other, DAK_O)).status_code == 404
    etag = (await call(reporting, token, "GET", other, PHU_NGHIA)).headers["ETag"]
    follow = await call(reporting, token, "PATCH", f"{other}/recommendations/1", DAK_O,
                        {"status": "done"}, etag)
    assert follow.status_code == 404, follow.text
    wrong_unit = await call(reporting, token, "GET", "/inspections?unit_id=xa-phu-nghia", DAK_O)
    assert wrong_unit.status_code == 404, wrong_unit.text

    # The unit records follow-up only; finance and editors are refused altogether.
    own = f"{path}/units/xa-dak-o"
    etag = (await call(reporting, token, "GET", own, DAK_O)).headers["ETag"]
    for method, target, body in (("PUT", own, findings("Tự ghi")),
                                 ("PATCH", path, {"title": "Khác"}),
                                 ("POST", "/inspections", plan())):
        response = await call(reporting, token, method, target, DAK_O, body, etag)
        assert response.status_code == 403, (method, target, response.text)
    for who in (FINANCE, "vhtt.editor"):
        for target in (path, "/inspections"):
            response = await call(reporting, token, "GET", target, who)
            assert response.status_code == 403, (who, target, response.text)
    follow = await call(reporting, token, "PATCH", f"{own}/recommendations/1", CHAIR,
                        {"status": "done"}, etag)
    assert follow.status_code == 403, follow.text
    # The office may record it for the unit (a follow-up reported on paper, say).
    follow = await call(reporting, token, "PATCH", f"{own}/recommendations/1", OFFICE,
                        {"status": "done", "note": "Báo cáo số 12/BC-UBND"}, etag)
    assert follow.status_code == 200, follow.text
    assert follow.json()["recommendations"][0]["updated_by"] == OFFICE


async def test_a_wrong_plan_is_refused_in_vietnamese_and_nothing_is_written(reporting, token):
    for body, field, words in (
            (plan(units=["xa-dak-o", "xa-khong-co"]), "units[1]", "xa-khong-co"),
            (plan(units=["xa-dak-o", "xa-dak-o"]), "units[1]", "xa-dak-o"),
            (plan(team=[{**m, "leader": True} for m in TEAM]), "team", "đúng một trưởng đoàn"),
            (plan(team=[{**m, "leader": False} for m in TEAM]), "team", "đúng một trưởng đoàn"),
            (plan(period_from=f"{YEAR}-06-01", period_to=f"{YEAR}-05-01"), "period_to",
             "trước ngày bắt đầu"),
            (plan(period_to=f"{YEAR + 1}-01-15"), "period_to", f"năm {YEAR}")):
        response = await call(reporting, token, "POST", "/inspections", OFFICE, body)
        assert response.status_code == 422, response.text
        detail = response.json()["detail"]
        assert field in detail["fields"] and words in detail["message"], detail
    for body, field in ((plan(title=""), "title"), (plan(team=[]), "team"),
                        (plan(units=["../x"]), "units.0"), (plan(year=1990), "year")):
        response = await call(reporting, token, "POST", "/inspections", OFFICE, body)
        assert response.status_code == 422 and field in response.json()["detail"]["fields"]
    assert (await call(reporting, token, "GET", "/inspections", OFFICE)).json()["total"] == 0

    path, etag = await planned(reporting, token)
    blind = await call(reporting, token, "PATCH", path, OFFICE, {"title": "Khác"})
    assert blind.status_code == 428 and "If-Match" in blind.json()["detail"]["fields"]
    stale = await call(reporting, token, "PATCH", path, OFFICE, {"title": "Khác"}, '"9"')
    assert stale.status_code == 412, stale.text
    unknown = await call(reporting, token, "PATCH", path, OFFICE,
                         {"units": ["xa-dak-o", "xa-khong-co"], "title": "Khác"}, etag)
    assert unknown.status_code == 422 and "units[1]" in unknown.json()["detail"]["fields"]
    read = await call(reporting, token, "GET", path, OFFICE)
    assert read.json()["title"] != "Khác" and read.headers["ETag"] == etag

    moved = await call(reporting, token, "PATCH", path, OFFICE,
                       {"status": "in_progress", "units": ["xa-dak-o", "phong-gddt"]}, etag)
    assert moved.status_code == 200, moved.text
    assert [u["unit_id"] for u in moved.json()["units"]] == ["xa-dak-o", "phong-gddt"]
    unit_path = f"{path}/units/xa-dak-o"
    unit = moved.json()["units"][0]["etag"]
    late_due = findings("Thiếu hồ sơ")
    late_due["recommendations"][0]["due_on"] = (INSPECTED - timedelta(days=1)).isoformat()
    future = {**findings("Thiếu hồ sơ"), "inspected_on": (today() + timedelta(days=1))
              .isoformat()}
    outside = {**findings("Thiếu hồ sơ"), "inspected_on": date(YEAR - 1, 12, 31).isoformat()}
    for body, field in ((late_due, "recommendations[0].due_on"), (future, "inspected_on"),
                        (outside, "inspected_on")):
        response = await call(reporting, token, "PUT", unit_path, OFFICE, body, unit)
        assert response.status_code == 422, response.text
        assert field in response.json()["detail"]["fields"]
    assert (await call(reporting, token, "GET", unit_path, OFFICE)).json()["findings"] == []
    recorded = await call(reporting, token, "PUT", unit_path, OFFICE, findings("Thiếu hồ sơ"),
                          unit)
    assert recorded.status_code == 200, recorded.text
    dropped = await call(reporting, token, "PATCH", path, OFFICE, {"units": ["phong-gddt"]},
                         moved.headers["ETag"])
    assert dropped.status_code == 409 and "UBND xã Đắk Ơ" in dropped.json()["detail"]["message"]


async def test_a_unit_inspected_must_exist_during_the_inspection(reporting, token):
    # The communes of the district ended on 30 June 2025, merged into the new communes.
    for body in (plan(year=2025, period_from="2025-07-01", period_to="2025-12-31"),
                 plan(year=2026, period_from="2026-01-01", period_to="2026-12-31")):
        response = await call(reporting, token, "POST", "/inspections", OFFICE, body)
        assert response.status_code == 422, response.text
        detail = response.json()["detail"]
        assert "UBND xã Đắk Ơ" in detail["message"] and "UBND xã Phú Nghĩa" in detail["message"]
        assert "30/06/2025" in detail["fields"]["units[0]"]
        assert set(detail["fields"]) == {"units[0]", "units[1]"}
    assert (await call(reporting, token, "GET", "/inspections", OFFICE)).json()["total"] == 0

    # Inspected in their last months, they may be; moved after their end, the plan may not.
    path, etag = await planned(reporting, token, year=2025, period_from="2025-03-01",
                               period_to="2025-06-30")
    moved = await call(reporting, token, "PATCH", path, OFFICE,
                       {"period_from": "2025-07-01", "period_to": "2025-08-31"}, etag)
    assert moved.status_code == 422, moved.text
    assert "UBND xã Đắk Ơ" in moved.json()["detail"]["message"]
    read = await call(reporting, token, "GET", path, OFFICE)
    assert (read.json()["period_to"], read.headers["ETag"]) == ("2025-06-30", etag)


async def test_a_new_period_keeps_the_days_units_were_inspected_on(reporting, token):
    path = await started(reporting, token)
    read = (await call(reporting, token, "GET", path, OFFICE)).json()
    recorded = await call(reporting, token, "PUT", f"{path}/units/xa-dak-o", OFFICE,
                          findings("Thiếu hồ sơ"), unit_etag(read, "xa-dak-o"))
    assert recorded.status_code == 200, recorded.text

    for change, field in (({"period_to": "2024-09-30"}, "period_to"),
                          ({"period_from": "2024-11-01"}, "period_from")):
        refused = await call(reporting, token, "PATCH", path, OFFICE, change, read["etag"])
        assert refused.status_code == 422, refused.text
        detail = refused.json()["detail"]
        assert set(detail["fields"]) == {field}, detail
        assert "UBND xã Đắk Ơ (15/10/2024)" in detail["message"]
    kept = await call(reporting, token, "PATCH", path, OFFICE,
                      {"period_from": "2024-10-15", "period_to": "2024-10-31"}, read["etag"])
    assert kept.status_code == 200, kept.text
    assert (kept.json()["period_from"], kept.json()["period_to"]) == ("2024-10-15", "2024-10-31")


async def test_a_retried_plan_answers_with_the_first_and_writes_nothing(reporting, token):
    first = await call(reporting, token, "POST", "/inspections", OFFICE, plan(), key="kh-2024")
    assert first.status_code == 201, first.text
    again = await call(reporting, token, "POST", "/inspections", OFFICE, plan(), key="kh-2024")
    assert again.status_code == 201, again.text
    assert (again.json()["id"], again.headers["Location"]) == (
        first.json()["id"], f"/inspections/{first.json()['id']}")
    other = await call(reporting, token, "POST", "/inspections", OFFICE, plan(title="Khác"),
                       key="kh-2024")
    assert other.status_code == 422, other.text
    assert "Idempotency-Key" in other.json()["detail"]["fields"]
    listed = await call(reporting, token, "GET", "/inspections", OFFICE)
    assert [p["id"] for p in listed.json()["items"]] == [first.json()["id"]]


async def test_the_year_s_figures_count_a_unit_once_and_the_units_below_one(reporting, token):
    # Two plans inspect Đắk Ơ in the year; its radio station is inspected too.
    first = await started(reporting, token)
    second = await started(reporting, token, title="Kiểm tra chuyên đề khen thưởng đột xuất",
                           units=["xa-dak-o", "tth-dak-o"])
    for path, units in ((first, ("xa-dak-o", "xa-phu-nghia")), (second, ("xa-dak-o",
                                                                          "tth-dak-o"))):
        read = (await call(reporting, token, "GET", path, OFFICE)).json()
        for unit_id in units:
            recorded = await call(reporting, token, "PUT", f"{path}/units/{unit_id}", OFFICE,
                                  findings("Một phát hiện"), unit_etag(read, unit_id))
            assert recorded.status_code == 200, recorded.text

    profile = reporting.runtime.profile
    below_dak_o = [u.id for u in profile.descendants("xa-dak-o")]
    below_huyen = [u.id for u in profile.descendants("ubnd-huyen")]
    async with reporting.runtime.uow() as uow:
        whole = await service.year_summary(uow.session, year=YEAR, unit_id=None)
        huyen = await service.year_summary(uow.session, year=YEAR, unit_id="ubnd-huyen",
                                           unit_ids=below_huyen)
        dak_o = await service.year_summary(uow.session, year=YEAR, unit_id="xa-dak-o",
                                           unit_ids=below_dak_o)
        alone = await service.year_summary(uow.session, year=YEAR, unit_id="xa-dak-o")
    assert whole == huyen == InspectionSummary(plans=2, units_inspected=3, findings=4,
                                               recommendations=4, recommendations_done=0,
                                               recommendations_open=4)
    assert dak_o == InspectionSummary(plans=2, units_inspected=2, findings=3,
                                      recommendations=3, recommendations_done=0,
                                      recommendations_open=3)
    assert alone == InspectionSummary(plans=2, units_inspected=1, findings=2,
                                      recommendations=2, recommendations_done=0,
                                      recommendations_open=2)
