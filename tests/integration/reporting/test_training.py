"""Training sessions for emulation staff: the standing office records them; the office, the
chair and the viewer read every one; a unit sees the sessions it attended, its line only."""

from __future__ import annotations

from typing import Any

from exemplar.testing import auth
from reporting.summaries import TrainingSummary
from reporting.training import service

from .steps import CHAIR, FINANCE, OFFICE

DAK_O, GDDT, VIEWER = "dak-o.officer", "gddt.officer", "tinh.viewer"


def session(**changes: Any) -> dict:
    return {"held_on": "2024-05-10",
            "topic": "Nghiệp vụ phát hiện, bồi dưỡng, tuyên truyền điển hình tiên tiến",
            "organiser_unit_id": "phong-noi-vu", "place": "Hội trường UBND huyện",
            "trainers": ["Nguyễn Văn Toàn", "Chuyên viên Ban Thi đua – Khen thưởng tỉnh"],
            "participants": [
                {"unit_id": "xa-dak-o", "count": 3, "names": ["Nguyễn Thị Nhàn", "Điểu Văn Lâm"]},
                {"unit_id": "xa-phu-nghia", "count": 2},
                {"unit_id": "hoi-phu-nu", "count": 1, "names": ["Phạm Thị Lệ"]}],
            **changes}


async def call(reporting, token, method: str, path: str, who: str, body: Any = None,
               etag: str | None = None, key: str | None = None):
    headers = auth(token(who)) | ({"If-Match": etag} if etag else {}) | (
        {"Idempotency-Key": key} if key else {})
    return await reporting.client.request(method, path, json=body, headers=headers)


async def record(reporting, token, **changes):
    made = await call(reporting, token, "POST", "/trainings", OFFICE, session(**changes))
    assert made.status_code == 201, made.text
    return made


async def test_a_unit_sees_the_sessions_it_attended_with_its_own_line(reporting, token):
    first = (await record(reporting, token)).json()
    assert (first["year"], first["participants_total"], first["organiser_unit_name"]) == (
        2024, 6, "Phòng Nội vụ – Lao động – Thương binh và Xã hội")
    second = (await record(reporting, token, held_on="2024-09-20", topic="Khen thưởng đột xuất",
                           participants=[{"unit_id": "phong-gddt", "count": 4}])).json()
    await record(reporting, token, held_on="2023-10-05",
                 participants=[{"unit_id": "xa-dak-o", "count": 1}])

    for who in (OFFICE, CHAIR, VIEWER):
        listed = await call(reporting, token, "GET", "/trainings?year=2024", who)
        assert listed.status_code == 200, (who, listed.text)
        assert [t["id"] for t in listed.json()["items"]] == [second["id"], first["id"]]
        assert len(listed.json()["items"][1]["participants"]) == 3
    attended = await call(reporting, token, "GET", "/trainings?unit_id=xa-dak-o", OFFICE)
    assert attended.json()["total"] == 2

    mine = await call(reporting, token, "GET", "/trainings?year=2024", DAK_O)
    [only] = mine.json()["items"]
    assert only["id"] == first["id"]
    assert only["participants"] == [{"unit_id": "xa-dak-o", "unit_name": "UBND xã Đắk Ơ",
                                     "count": 3, "names": ["Nguyễn Thị Nhàn", "Điểu Văn Lâm"]}]
    assert only["participants_total"] == 3
    read = await call(reporting, token, "GET", f"/trainings/{first['id']}", DAK_O)
    assert [p["unit_id"] for p in read.json()["participants"]] == ["xa-dak-o"]
    assert (await call(reporting, token, "GET", f"/trainings/{second['id']}",
                       DAK_O)).status_code == 404
    assert (await call(reporting, token, "GET", "/trainings?unit_id=phong-gddt",
                       DAK_O)).status_code == 404
    for who in (FINANCE, "vhtt.editor"):
        assert (await call(reporting, token, "GET", "/trainings", who)).status_code == 403
    made = await call(reporting, token, "POST", "/trainings", DAK_O, session())
    assert made.status_code == 403, made.text

    async with reporting.runtime.uow() as uow:
        whole = await service.year_summary(uow.session, year=2024, unit_id=None)
        dak_o = await service.year_summary(uow.session, year=2024, unit_id="xa-dak-o")
        earlier = await service.year_summary(uow.session, year=2023, unit_id=None)
        none = await service.year_summary(uow.session, year=2025, unit_id=None)
    assert whole == TrainingSummary(sessions=2, participants=10, units=4)
    assert dak_o == TrainingSummary(sessions=1, participants=3, units=1)
    assert earlier == TrainingSummary(sessions=1, participants=1, units=1)
    assert none == TrainingSummary(sessions=0, participants=0, units=0)


async def test_a_wrong_session_is_refused_in_vietnamese_and_nothing_is_written(reporting, token):
    line = {"unit_id": "xa-dak-o", "count": 1}
    for participants, field, words in (
            ([line, {"unit_id": "xa-khong-co", "count": 2}], "participants[1].unit_id",
             "xa-khong-co"),
            ([line, line], "participants[1].unit_id", "đã có ở dòng trước"),
            ([{"unit_id": "xa-dak-o", "count": 1, "names": ["A", "B"]}], "participants[0].names",
             "nhiều hơn số người")):
        response = await call(reporting, token, "POST", "/trainings", OFFICE,
                              session(participants=participants))
        assert response.status_code == 422, response.text
        assert words in response.json()["detail"]["fields"][field]
    for body, field in ((session(participants=[{"unit_id": "xa-dak-o", "count": 0}]),
                         "participants.0.count"),
                        (session(participants=[]), "participants"),
                        (session(held_on="10/05/2024"), "held_on"),
                        (session(topic="  "), "topic"),
                        (session(held_on="1999-12-31"), "held_on"),
                        (session(held_on="2101-01-01"), "held_on"),
                        (session(organiser_unit_id="phong-khong-co"), "organiser_unit_id")):
        response = await call(reporting, token, "POST", "/trainings", OFFICE, body)
        assert response.status_code == 422, response.text
        assert field in response.json()["detail"]["fields"], response.text
    assert (await call(reporting, token, "GET", "/trainings", OFFICE)).json()["total"] == 0


async def test_an_edit_names_the_version_read(reporting, token):
    made = await record(reporting, token)
    path, etag = f"/trainings/{made.json()['id']}", made.headers["ETag"]
    change = {"held_on": "2025-01-08", "participants": [{"unit_id": "xa-dak-o", "count": 5}]}
    blind = await call(reporting, token, "PATCH", path, OFFICE, change)
    assert blind.status_code == 428 and "If-Match" in blind.json()["detail"]["fields"]
    assert (await call(reporting, token, "PATCH", path, DAK_O, change, etag)).status_code == 403
    wrong = await call(reporting, token, "PATCH", path, OFFICE,
                       {**change, "participants": [{"unit_id": "xa-khong-co", "count": 5}]}, etag)
    assert wrong.status_code == 422, wrong.text
    far = await call(reporting, token, "PATCH", path, OFFICE, {"held_on": "0024-05-10"}, etag)
    assert far.status_code == 422, far.text
    assert "01/01/2000" in far.json()["detail"]["fields"]["held_on"]
    edited = await call(reporting, token, "PATCH", path, OFFICE, change, etag)
    assert edited.status_code == 200, edited.text
    assert (edited.json()["year"], edited.json()["participants_total"]) == (2025, 5)
    stale = await call(reporting, token, "PATCH", path, OFFICE, {"place": "Xã Đắk Ơ"}, etag)
    assert stale.status_code == 412, stale.text
    listed = await call(reporting, token, "GET", "/trainings?year=2024", OFFICE)
    assert listed.json()["total"] == 0


async def test_a_retried_record_answers_with_the_first_session_and_writes_nothing(reporting,
                                                                                 token):
    first = await call(reporting, token, "POST", "/trainings", OFFICE, session(), key="lop-1")
    assert first.status_code == 201, first.text
    again = await call(reporting, token, "POST", "/trainings", OFFICE, session(), key="lop-1")
    assert again.status_code == 201, again.text
    assert (again.json()["id"], again.headers["Location"]) == (
        first.json()["id"], f"/trainings/{first.json()['id']}")
    other = await call(reporting, token, "POST", "/trainings", OFFICE,
                       session(place="Xã Đắk Ơ"), key="lop-1")
    assert other.status_code == 422, other.text
    assert "Idempotency-Key" in other.json()["detail"]["fields"]
    listed = await call(reporting, token, "GET", "/trainings", OFFICE)
    assert [t["id"] for t in listed.json()["items"]] == [first.json()["id"]]


async def test_a_unit_s_figures_count_the_units_below_it(reporting, token):
    await record(reporting, token, participants=[{"unit_id": "xa-dak-o", "count": 3},
                                                 {"unit_id": "tth-dak-o", "count": 2},
                                                 {"unit_id": "xa-phu-nghia", "count": 1}])
    await record(reporting, token, held_on="2024-09-20",
                 participants=[{"unit_id": "tth-dak-o", "count": 1}])
    await record(reporting, token, held_on="2024-10-02",
                 participants=[{"unit_id": "phong-gddt", "count": 4}])

    profile = reporting.runtime.profile
    async with reporting.runtime.uow() as uow:
        async def summary(unit_id: str) -> TrainingSummary:
            return await service.year_summary(
                uow.session, year=2024, unit_id=unit_id,
                unit_ids=[u.id for u in profile.descendants(unit_id)])

        dak_o, huyen = await summary("xa-dak-o"), await summary("ubnd-huyen")
        alone = await service.year_summary(uow.session, year=2024, unit_id="xa-dak-o")
    assert dak_o == TrainingSummary(sessions=2, participants=6, units=2)
    assert huyen == TrainingSummary(sessions=3, participants=11, units=4)
    assert alone == TrainingSummary(sessions=1, participants=3, units=1)
