"""Good-deed reports (gương người tốt, việc tốt): any officer files one for their unit, it is
announced once; readers see their own unit's, the standing office and viewers every unit's."""

from __future__ import annotations

from datetime import timedelta

from exemplar.clock import today as vietnam_today  # the services' date, not the machine's
from exemplar.testing import auth, eventually

from ..helpers import stream_events

SUBJECT = "exemplar.nomination.good_deed_reported.v1"

DEED = {"person_name": "Nguyễn Văn Lực", "deed": "Nhặt được ví có 12 triệu đồng, trả lại "
        "người đánh rơi.", "happened_on": "2024-08-15", "place": "Chợ xã Đắk Ơ",
        "field": "van_hoa_xa_hoi"}


async def file(client, bearer: str, **changes) -> dict:
    response = await client.post("/good-deeds", json={**DEED, **changes}, headers=auth(bearer))
    assert response.status_code == 201, response.text
    return response.json()




async def announced(url: str) -> list[dict]:
    """The good_deed_reported events the EXEMPLAR stream holds (their data)."""
    return [event["data"] for event in await stream_events(url, SUBJECT)]


async def test_filed_good_deed_is_announced_once(cluster, token, nats_server):
    client = cluster["nomination"].client
    response = await client.post("/good-deeds", json=DEED, headers=auth(token("dak-o.officer")))
    assert response.status_code == 201, response.text
    report = response.json()
    assert response.headers["location"] == f"/good-deeds/{report['id']}"
    assert report["unit_id"] == "xa-dak-o" and report["year"] == 2024

    events = await eventually(lambda: announced(nats_server.url), what="announced")
    assert len(events) == 1
    assert events[0]["report_id"] == report["id"]
    assert events[0]["unit_name"] == "UBND xã Đắk Ơ"
    assert events[0]["year"] == 2024 and events[0]["happened_on"] == "2024-08-15"
    assert events[0]["field"] == "van_hoa_xa_hoi"
    assert await cluster["nomination"].runtime.relay.pending() == 0


async def test_any_officer_files_and_each_reader_sees_their_scope(cluster, token):
    client = cluster["nomination"].client
    mine = await file(client, token("dak-o.head"), field=None)
    standing = await file(client, token("noi-vu.officer2"), person_name="Trần Thị Bé",
                          place="Trụ sở UBND huyện")
    assert mine["field"] is None and standing["unit_id"] == "phong-noi-vu"

    other = auth(token("phu-nghia.officer"))
    assert (await client.get(f"/good-deeds/{mine['id']}", headers=other)).status_code == 404
    assert (await client.get("/good-deeds", headers=other)).json()["total"] == 0
    own = await client.get("/good-deeds", headers=auth(token("dak-o.officer")))
    assert [r["id"] for r in own.json()["items"]] == [mine["id"]]

    viewer = auth(token("tinh.viewer"))
    assert (await client.get("/good-deeds", headers=viewer)).json()["total"] == 2
    found = await client.get("/good-deeds", params={"q": "tran thi be"}, headers=viewer)
    assert [r["id"] for r in found.json()["items"]] == [standing["id"]]
    page = await client.get("/good-deeds", params={"limit": 1, "offset": 1}, headers=viewer)
    assert page.json()["total"] == 2 and len(page.json()["items"]) == 1
    assert (await client.get(f"/good-deeds/{mine['id']}", headers=viewer)).status_code == 200
    assert (await client.post("/good-deeds", json=DEED, headers=viewer)).status_code == 403


async def test_bad_good_deed_gets_field_errors_and_writes_nothing(cluster, token, nats_server):
    client = cluster["nomination"].client
    officer = auth(token("dak-o.officer"))
    future = (vietnam_today() + timedelta(days=2)).isoformat()
    response = await client.post("/good-deeds", headers=officer,
                                 json={**DEED, "happened_on": future, "field": "thien_van"})
    assert response.status_code == 422
    assert response.json()["detail"]["fields"] == {
        "happened_on": "ngày diễn ra không được ở tương lai",
        "field": "lĩnh vực 'thien_van' không có trong danh mục"}
    response = await client.post("/good-deeds", headers=officer,
                                 json={**DEED, "deed": "", "place": None})
    assert response.status_code == 422
    fields = response.json()["detail"]["fields"]
    assert fields["deed"] == "quá ngắn" and "place" in fields
    response = await client.post("/good-deeds", headers=officer,
                                 json={**DEED, "happened_on": "2025-08-01"})
    assert response.status_code == 422  # the commune ended on 2025-06-30
    assert "happened_on" in response.json()["detail"]["fields"]

    assert (await client.get("/good-deeds", headers=officer)).json()["total"] == 0
    assert await cluster["nomination"].runtime.relay.pending() == 0
    assert await announced(nats_server.url) == []
