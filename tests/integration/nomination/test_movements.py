"""Movements and campaigns: a unit launches one (announced once), the units below it register
with their targets, the launching unit's head approves or returns each registration; a
nomination may cite only a launched movement of its own unit or one it was approved for."""

from __future__ import annotations

from contextlib import AsyncExitStack

import pytest

from exemplar.testing import auth

from ..helpers import NOMINATION
from .test_criteria import settled_events, stream_events

LAUNCHED = "exemplar.nomination.movement_launched.v1"
# The standing office launches for the whole district; a commune for the units below it.
DISTRICT_OFFICER, DISTRICT_HEAD = "noi-vu.officer", "noi-vu.head"
OFFICER, HEAD = "dak-o.officer", "dak-o.head"
OTHER, OTHER_HEAD, VIEWER = "phu-nghia.officer", "phu-nghia.head", "tinh.viewer"

MOVEMENT = {
    "title": "Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”",
    "field": "nong_nghiep",
    "kind": "campaign",
    "starts_on": "2024-01-01",
    "ends_on": "2025-06-30",
    "targets": "Mỗi xã có ít nhất một mô hình điển hình được nhân rộng.",
    "interim_review_on": "2024-07-15",
    "final_review_on": "2025-06-20",
    "directive": "Kế hoạch số 80/KH-UBND ngày 26/4/2023 của UBND huyện",
}
TARGETS = ["Xây dựng 2 mô hình kinh tế hộ điển hình.", "Nhân rộng cho 20 hộ đồng bào."]


@pytest.fixture
async def nomination(start_service):
    async with AsyncExitStack() as stack:
        yield await start_service(stack, "nomination")


async def draft_movement(client, bearer: str, **changes) -> dict:
    response = await client.post("/movements", json={**MOVEMENT, **changes}, headers=auth(bearer))
    assert response.status_code == 201, response.text
    return response.json()


async def launched_movement(client, token, officer=DISTRICT_OFFICER, head=DISTRICT_HEAD,
                            **changes) -> dict:
    movement = await draft_movement(client, token(officer), **changes)
    response = await client.post(f"/movements/{movement['id']}/launch", headers=auth(token(head)))
    assert response.status_code == 200, response.text
    return response.json()


async def act(client, bearer: str, path: str, *, json=None, etag: str | None = None):
    headers = {**auth(bearer), **({"If-Match": etag} if etag else {})}
    if path.endswith(("/send", "/approve", "/return")):
        return await client.post(path, json=json, headers=headers)
    return await client.patch(path, json=json, headers=headers)


async def test_launch_announces_the_movement_once(nomination, token, nats_server):
    client = nomination.client
    movement = await draft_movement(client, token(DISTRICT_OFFICER))
    assert (movement["status"], movement["unit_id"]) == ("draft", "phong-noi-vu")
    assert movement["targets"] == [MOVEMENT["targets"]]
    one, officer = f"/movements/{movement['id']}", auth(token(DISTRICT_OFFICER))
    edited = await client.patch(one, json={"targets": TARGETS},
                                headers={**officer, "If-Match": movement["etag"]})
    assert edited.status_code == 200 and edited.json()["targets"] == TARGETS
    stale = await client.patch(one, json={"title": "Tên cũ"},
                               headers={**officer, "If-Match": movement["etag"]})
    assert stale.status_code == 412
    bad = await client.patch(one, json={"ends_on": "2023-01-01"},
                             headers={**officer, "If-Match": edited.headers["etag"]})
    assert bad.json()["detail"]["fields"] == {
        "ends_on": "phải sau ngày bắt đầu",
        "interim_review_on": "sơ kết phải nằm trong thời gian phong trào"}
    launch = f"/movements/{movement['id']}/launch"
    assert (await client.post(launch, headers=auth(token(DISTRICT_OFFICER)))).status_code == 403

    response = await client.post(launch, headers=auth(token(DISTRICT_HEAD)))
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "launched"
    assert (await client.post(launch, headers=auth(token(DISTRICT_HEAD)))).status_code == 409
    edit = await client.patch(f"/movements/{movement['id']}", json={"title": "Tên khác"},
                              headers={**auth(token(DISTRICT_OFFICER)),
                                       "If-Match": response.headers["etag"]})
    assert edit.status_code == 409

    events = await settled_events(nomination, nats_server.url, LAUNCHED)
    assert len(events) == 1 and events[0]["subject"] == movement["id"]
    data = events[0]["data"]
    assert (data["unit_id"], data["kind"], data["field"]) == ("phong-noi-vu", "campaign",
                                                              "nong_nghiep")
    assert (data["starts_on"], data["ends_on"]) == ("2024-01-01", "2025-06-30")
    assert (data["interim_review_on"], data["final_review_on"]) == ("2024-07-15", "2025-06-20")
    assert data["launched_by"] == DISTRICT_HEAD


async def test_drafts_stay_with_their_unit_and_launched_movements_reach_units_below(
        nomination, token):
    client = nomination.client
    draft = await draft_movement(client, token(DISTRICT_OFFICER))
    for account in (OFFICER, VIEWER):
        assert (await client.get(f"/movements/{draft['id']}",
                                 headers=auth(token(account)))).status_code == 404
        assert (await client.get("/movements", headers=auth(token(account)))).json() == []

    district = await launched_movement(client, token)
    commune = await launched_movement(client, token, OFFICER, HEAD, title="Phong trào của xã")
    for account in (OFFICER, OTHER, VIEWER):  # every unit sees the district's movement
        seen = await client.get(f"/movements/{district['id']}", headers=auth(token(account)))
        assert seen.status_code == 200
    assert (await client.get(f"/movements/{commune['id']}",
                             headers=auth(token(OTHER)))).status_code == 404
    assert (await client.get(f"/movements/{commune['id']}",
                             headers=auth(token(VIEWER)))).status_code == 200
    listed = await client.get("/movements", headers=auth(token(OTHER)))
    assert [m["id"] for m in listed.json()] == [district["id"]]
    own = await client.get("/movements", params={"status": "launched"},
                           headers=auth(token(DISTRICT_OFFICER)))
    assert {m["id"] for m in own.json()} == {district["id"], commune["id"]}

    assert (await client.post("/movements", json=MOVEMENT,
                              headers=auth(token(VIEWER)))).status_code == 403
    refused = await client.post(f"/movements/{commune['id']}/registrations",
                                json={"targets": TARGETS}, headers=auth(token(OTHER)))
    assert refused.status_code == 404


async def test_registration_is_sent_returned_resent_and_approved(nomination, token):
    client = nomination.client
    movement = await launched_movement(client, token)
    base = f"/movements/{movement['id']}/registrations"
    response = await client.post(base, json={"targets": TARGETS}, headers=auth(token(OFFICER)))
    assert response.status_code == 201, response.text
    registration = response.json()
    assert (registration["status"], registration["unit_id"]) == ("draft", "xa-dak-o")
    one = f"{base}/{registration['id']}"
    assert (await client.post(base, json={"targets": TARGETS},
                              headers=auth(token(OFFICER)))).status_code == 409

    # A draft stays with its unit: the launching unit does not see it yet.
    assert (await client.get(one, headers=auth(token(DISTRICT_HEAD)))).status_code == 404
    assert (await client.get(base, headers=auth(token(DISTRICT_HEAD)))).json() == []
    assert (await act(client, token(DISTRICT_HEAD), f"{one}/approve")).status_code == 404
    assert (await act(client, token(OFFICER), f"{one}/send")).status_code == 403
    sent = await act(client, token(HEAD), f"{one}/send")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"

    assert (await act(client, token(HEAD), f"{one}/approve")).status_code == 404
    assert (await act(client, token(DISTRICT_OFFICER), f"{one}/approve")).status_code == 403
    no_reason = await act(client, token(DISTRICT_HEAD), f"{one}/return", json={})
    assert no_reason.json()["detail"]["fields"] == {"reason": "bắt buộc phải có"}
    reason = "Chỉ tiêu chưa lượng hóa được; đề nghị ghi rõ số mô hình."
    returned = await act(client, token(DISTRICT_HEAD), f"{one}/return", json={"reason": reason})
    assert returned.status_code == 200, returned.text
    assert (returned.json()["status"], returned.json()["return_reason"]) == ("returned", reason)

    targets = [*TARGETS, "Có 1 tập thể được đề nghị khen thưởng."]
    edited = await act(client, token(OFFICER), one, json={"targets": targets},
                       etag=returned.headers["etag"])
    assert edited.status_code == 200, edited.text
    stale = await act(client, token(OFFICER), one, json={"targets": TARGETS},
                      etag=returned.headers["etag"])
    assert stale.status_code == 412
    assert (await act(client, token(HEAD), f"{one}/send")).status_code == 200
    approved = await act(client, token(DISTRICT_HEAD), f"{one}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["targets"] == targets
    assert (await act(client, token(DISTRICT_HEAD), f"{one}/approve")).status_code == 409
    assert (await act(client, token(OFFICER), one, json={"targets": TARGETS},
                      etag=approved.headers["etag"])).status_code == 409

    assert (await client.get(one, headers=auth(token(OTHER)))).status_code == 404
    assert (await client.get(base, headers=auth(token(OTHER)))).json() == []
    listed = await client.get(base, headers=auth(token(VIEWER)))
    assert [(r["unit_id"], r["status"]) for r in listed.json()] == [("xa-dak-o", "approved")]


async def test_bad_movement_is_422_naming_fields_and_writes_nothing(nomination, token,
                                                                  nats_server):
    client = nomination.client
    officer = auth(token(OFFICER))
    shape = {**MOVEMENT, "kind": "le_hoi", "starts_on": "đầu năm"}
    del shape["title"]
    response = await client.post("/movements", json=shape, headers=officer)
    assert response.status_code == 422
    assert set(response.json()["detail"]["fields"]) == {"title", "kind", "starts_on"}
    assert response.json()["detail"]["fields"]["title"] == "bắt buộc phải có"

    wrong = {**MOVEMENT, "field": "thien_van", "ends_on": "2023-12-31",
             "interim_review_on": "2023-06-01", "final_review_on": "2023-01-01"}
    response = await client.post("/movements", json=wrong, headers=officer)
    assert response.status_code == 422
    fields = response.json()["detail"]["fields"]
    assert set(fields) == {"field", "ends_on", "interim_review_on", "final_review_on"}
    assert fields["ends_on"] == "phải sau ngày bắt đầu"
    gone = await client.post("/movements", json={**MOVEMENT, "starts_on": "2026-01-01",
                                                 "ends_on": None}, headers=officer)
    assert "không hoạt động" in gone.json()["detail"]["fields"]["starts_on"]

    bare = await draft_movement(client, token(OFFICER), targets=[], directive=None)
    launch = await client.post(f"/movements/{bare['id']}/launch", headers=auth(token(HEAD)))
    assert launch.status_code == 422
    assert launch.json()["detail"]["fields"] == {"targets": "bắt buộc khi phát động",
                                                 "directive": "bắt buộc khi phát động"}
    assert [m["id"] for m in (await client.get("/movements", headers=officer)).json()] == [
        bare["id"]]
    assert await nomination.runtime.relay.pending() == 0
    assert await stream_events(nats_server.url, LAUNCHED) == []


async def test_nomination_cites_only_its_own_or_an_approved_movement_of_that_year(
        nomination, token):
    from nomination.movements.service import movement_problems

    client = nomination.client
    officer = auth(token(OFFICER))

    async def problems(movement_id: str, year: int = 2024) -> dict:
        response = await client.post("/nominations", headers=officer, json={
            **NOMINATION, "movement_id": movement_id, "year": year})
        assert response.status_code == 422, response.text
        return response.json()["detail"]["fields"]

    draft = await draft_movement(client, token(OFFICER))
    assert await problems(draft["id"]) == {"movement_id": "không tồn tại"}
    assert await problems("khong-co") == {"movement_id": "không tồn tại"}
    own = await launched_movement(client, token, OFFICER, HEAD)
    assert await problems(own["id"], 2023) == {
        "movement_id": "phong trào không diễn ra trong năm 2023"}
    cited = await client.post("/nominations", headers=officer,
                              json={**NOMINATION, "movement_id": own["id"], "year": 2024})
    assert cited.status_code == 201 and cited.json()["movement_id"] == own["id"]

    district = await launched_movement(client, token)
    assert await problems(district["id"]) == {"movement_id": "không tồn tại"}
    base = f"/movements/{district['id']}/registrations"
    registration = (await client.post(base, json={"targets": TARGETS}, headers=officer)).json()
    assert (await act(client, token(HEAD), f"{base}/{registration['id']}/send")).status_code == 200
    assert await problems(district["id"]) == {"movement_id": "không tồn tại"}
    approve = await act(client, token(DISTRICT_HEAD), f"{base}/{registration['id']}/approve")
    assert approve.status_code == 200
    response = await client.post("/nominations", headers=officer,
                                 json={**NOMINATION, "movement_id": district["id"], "year": 2025})
    assert response.status_code == 201, response.text

    async with nomination.runtime.uow() as uow:
        assert await movement_problems(uow.session, unit_id="xa-dak-o",
                                       movement_id=district["id"], year=2024) == {}
        assert await movement_problems(uow.session, unit_id="xa-phu-nghia",
                                       movement_id=district["id"], year=2024) == {
            "movement_id": "không tồn tại"}
        assert await movement_problems(uow.session, unit_id="xa-dak-o",
                                       movement_id=district["id"], year=2026) == {
            "movement_id": "phong trào không diễn ra trong năm 2026"}
