"""Criteria sets: a unit writes its criteria for exemplars per field in versions; publishing
announces a version once and freezes it; nominations claim against a published version."""

from __future__ import annotations

from contextlib import AsyncExitStack

import pytest

from exemplar.testing import auth, eventually

from ..helpers import NOMINATION, stream_events

OFFICER, HEAD, OTHER = "dak-o.officer", "dak-o.head", "phu-nghia.officer"
STANDING, VIEWER = "noi-vu.officer", "tinh.viewer"
PUBLISHED = "exemplar.nomination.criteria_published.v1"

CRITERIA_SET = {
    "field": "nong_nghiep",
    "title": "Tiêu chí điển hình tiên tiến lĩnh vực nông nghiệp, xã Đắk Ơ",
    "criteria": [
        {"code": "TC1", "text": "Có mô hình sản xuất cho thu nhập trên 200 triệu đồng/năm."},
        {"code": "TC2", "text": "Giúp ít nhất 5 hộ nghèo trong ấp cùng làm theo."},
    ],
}


@pytest.fixture
async def nomination(start_service):
    async with AsyncExitStack() as stack:
        yield await start_service(stack, "nomination")




async def settled_events(service, url: str, subject: str) -> list[dict]:
    """The events on `subject` once the service's outbox has nothing left to publish."""
    async def drained():
        return await service.runtime.relay.pending() == 0

    await eventually(drained, what="outbox drained")
    return await stream_events(url, subject)


async def create_set(client, bearer: str, **changes) -> dict:
    response = await client.post("/criteria-sets", json={**CRITERIA_SET, **changes},
                                 headers=auth(bearer))
    assert response.status_code == 201, response.text
    return response.json()


async def edit(client, bearer: str, set_id: str, version: int, criteria: list, etag: str):
    return await client.patch(f"/criteria-sets/{set_id}/versions/{version}",
                              json={"criteria": criteria},
                              headers={**auth(bearer), "If-Match": etag})


async def publish(client, bearer: str, set_id: str, version: int, **headers):
    return await client.post(f"/criteria-sets/{set_id}/versions/{version}/publish",
                             headers={**auth(bearer), **headers})


async def published_set(client, token) -> dict:
    created = await create_set(client, token(OFFICER))
    response = await publish(client, token(HEAD), created["id"], 1)
    assert response.status_code == 200, response.text
    return created


async def test_publishing_announces_the_version_once_and_freezes_it(nomination, token,
                                                                    nats_server):
    client = nomination.client
    created = await create_set(client, token(OFFICER))
    set_id = created["id"]
    assert created["unit_id"] == "xa-dak-o" and created["latest_published"] is None
    assert [(v["version"], v["status"]) for v in created["versions"]] == [(1, "draft")]

    read = await client.get(f"/criteria-sets/{set_id}/versions/1", headers=auth(token(OFFICER)))
    criteria = [*CRITERIA_SET["criteria"], {"code": "TC3", "text": "Không vi phạm pháp luật."}]
    edited = await edit(client, token(OFFICER), set_id, 1, criteria, read.headers["etag"])
    assert edited.status_code == 200, edited.text
    assert edited.headers["etag"] != read.headers["etag"]

    assert (await publish(client, token(OFFICER), set_id, 1)).status_code == 403
    response = await publish(client, token(HEAD), set_id, 1, **{"If-Match": edited.headers["etag"]})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "published"
    assert response.json()["published_by"] == HEAD

    events = await eventually(lambda: stream_events(nats_server.url, PUBLISHED),
                              what="criteria_published on the stream")
    data = events[0]["data"]
    assert events[0]["subject"] == set_id
    assert (data["unit_id"], data["field"], data["version"]) == ("xa-dak-o", "nong_nghiep", 1)
    assert [c["code"] for c in data["criteria"]] == ["TC1", "TC2", "TC3"]

    frozen = await edit(client, token(OFFICER), set_id, 1, CRITERIA_SET["criteria"],
                        response.headers["etag"])
    assert frozen.status_code == 409 and frozen.json()["error"] == "invalid_transition"
    assert (await publish(client, token(HEAD), set_id, 1)).status_code == 409
    assert len(await settled_events(nomination, nats_server.url, PUBLISHED)) == 1
    again = await client.get(f"/criteria-sets/{set_id}/versions/1", headers=auth(token(OFFICER)))
    assert [c["code"] for c in again.json()["criteria"]] == ["TC1", "TC2", "TC3"]


async def test_stale_if_match_is_refused_with_412(nomination, token):
    client = nomination.client
    set_id = (await create_set(client, token(OFFICER)))["id"]
    url = f"/criteria-sets/{set_id}/versions/1"
    etag = (await client.get(url, headers=auth(token(OFFICER)))).headers["etag"]
    first = [{"code": "A", "text": "Tiêu chí của người sửa trước."}]
    second = [{"code": "B", "text": "Tiêu chí của người sửa sau."}]

    ok = await edit(client, token(OFFICER), set_id, 1, first, etag)
    assert ok.status_code == 200, ok.text
    stale = await edit(client, token(HEAD), set_id, 1, second, etag)
    assert stale.status_code == 412 and stale.json()["error"] == "precondition_failed"
    missing = await client.patch(url, json={"criteria": second}, headers=auth(token(HEAD)))
    assert missing.status_code == 428
    assert (await publish(client, token(HEAD), set_id, 1, **{"If-Match": etag})).status_code == 412
    current = await client.get(url, headers=auth(token(OFFICER)))
    assert current.json()["criteria"] == first and current.json()["status"] == "draft"


async def test_new_draft_starts_from_the_latest_published_version(nomination, token,
                                                                  nats_server):
    client = nomination.client
    set_id = (await published_set(client, token))["id"]
    response = await client.post(f"/criteria-sets/{set_id}/versions", headers=auth(token(OFFICER)))
    assert response.status_code == 201, response.text
    draft = response.json()
    assert (draft["version"], draft["status"]) == (2, "draft")
    assert draft["criteria"] == CRITERIA_SET["criteria"]
    one_draft = await client.post(f"/criteria-sets/{set_id}/versions", headers=auth(token(OFFICER)))
    assert one_draft.status_code == 409

    changed = [*draft["criteria"][:1], {"code": "TC4", "text": "Ứng dụng công nghệ số."}]
    edited = await edit(client, token(OFFICER), set_id, 2, changed, response.headers["etag"])
    assert edited.status_code == 200, edited.text
    assert (await publish(client, token(HEAD), set_id, 2)).status_code == 200

    whole = (await client.get(f"/criteria-sets/{set_id}", headers=auth(token(OFFICER)))).json()
    assert whole["latest_published"] == 2
    assert [v["criteria"] for v in whole["versions"]] == [CRITERIA_SET["criteria"], changed]
    events = await settled_events(nomination, nats_server.url, PUBLISHED)
    assert [e["data"]["version"] for e in events] == [1, 2]


async def test_other_units_get_404_and_wide_readers_never_see_drafts(nomination, token):
    client = nomination.client
    set_id = (await create_set(client, token(OFFICER)))["id"]
    for account in (OTHER, STANDING, VIEWER):
        assert (await client.get(f"/criteria-sets/{set_id}",
                                 headers=auth(token(account)))).status_code == 404
        assert (await client.get("/criteria-sets", headers=auth(token(account)))).json() == []
    assert (await edit(client, token(OTHER), set_id, 1, [], '"1"')).status_code == 404
    assert (await publish(client, token("phu-nghia.head"), set_id, 1)).status_code == 404

    assert (await publish(client, token(HEAD), set_id, 1)).status_code == 200
    await client.post(f"/criteria-sets/{set_id}/versions", headers=auth(token(OFFICER)))
    for account in (STANDING, VIEWER):
        seen = await client.get(f"/criteria-sets/{set_id}", headers=auth(token(account)))
        assert [v["version"] for v in seen.json()["versions"]] == [1]
        draft = await client.get(f"/criteria-sets/{set_id}/versions/2",
                                 headers=auth(token(account)))
        assert draft.status_code == 404
    assert (await client.get(f"/criteria-sets/{set_id}",
                             headers=auth(token(OTHER)))).status_code == 404
    own = await client.get(f"/criteria-sets/{set_id}", headers=auth(token(OFFICER)))
    assert [v["version"] for v in own.json()["versions"]] == [1, 2]

    viewer = auth(token(VIEWER))
    assert (await client.post("/criteria-sets", json=CRITERIA_SET,
                              headers=viewer)).status_code == 403
    assert (await client.post(f"/criteria-sets/{set_id}/versions",
                              headers=viewer)).status_code == 403


async def test_bad_criteria_are_422_naming_fields_and_write_nothing(nomination, token,
                                                                  nats_server):
    client = nomination.client
    officer = auth(token(OFFICER))
    missing = {"field": "nong_nghiep", "criteria": [{"code": "", "text": "x"}]}
    response = await client.post("/criteria-sets", json=missing, headers=officer)
    assert response.status_code == 422
    fields = response.json()["detail"]["fields"]
    assert fields == {"title": "bắt buộc phải có", "criteria.0.code": "quá ngắn"}

    unknown = await client.post("/criteria-sets", json={**CRITERIA_SET, "field": "thien_van"},
                                headers=officer)
    assert unknown.status_code == 422
    assert "không có trong danh mục" in unknown.json()["detail"]["fields"]["field"]
    twice = [{"code": "TC1", "text": "Một."}, {"code": "TC1", "text": "Hai."}]
    duplicate = await client.post("/criteria-sets", json={**CRITERIA_SET, "criteria": twice},
                                  headers=officer)
    assert duplicate.status_code == 422
    assert duplicate.json()["detail"]["fields"] == {"criteria.1.code": "mã tiêu chí 'TC1' bị trùng"}
    assert (await client.get("/criteria-sets", headers=officer)).json() == []

    empty = await create_set(client, token(OFFICER), criteria=[])
    response = await publish(client, token(HEAD), empty["id"], 1)
    assert response.status_code == 422
    assert response.json()["detail"]["fields"] == {"criteria": "phải có ít nhất một tiêu chí"}
    again = await client.post("/criteria-sets", json=CRITERIA_SET, headers=officer)
    assert again.status_code == 409 and "field" in again.json()["detail"]["fields"]
    assert await nomination.runtime.relay.pending() == 0
    assert await stream_events(nats_server.url, PUBLISHED) == []


def claim(code: str) -> dict:
    return {"criterion": code, "claim": "Đã đạt, có xác nhận của ấp.", "evidence_ids": []}


async def test_nomination_claims_only_criteria_of_a_published_version(nomination, token):
    from nomination.criteria.service import criteria_problems

    client = nomination.client
    officer = auth(token(OFFICER))
    created = await create_set(client, token(OFFICER))
    set_id = created["id"]

    async def problems(**changes) -> dict:
        response = await client.post("/nominations", json={**NOMINATION, **changes},
                                     headers=officer)
        assert response.status_code == 422, response.text
        return response.json()["detail"]["fields"]

    unpublished = await problems(criteria_set_id=set_id, claims=[claim("TC1")])
    assert "chưa có phiên bản nào được công bố" in unpublished["criteria_set_id"]
    assert (await publish(client, token(HEAD), set_id, 1)).status_code == 200
    await client.post(f"/criteria-sets/{set_id}/versions", headers=officer)

    draft = await problems(criteria_set_id=set_id, criteria_version=2, claims=[claim("TC1")])
    assert draft == {"criteria_version": "phiên bản 2 chưa được công bố"}
    unknown = await problems(criteria_set_id=set_id, claims=[claim("TC1"), claim("TC9")])
    assert set(unknown) == {"claims"} and "TC9" in unknown["claims"]
    theirs = await create_set(client, token(OTHER))
    assert await problems(criteria_set_id=theirs["id"]) == {"criteria_set_id": "không tồn tại"}
    assert await problems(criteria_set_id="khong-co") == {"criteria_set_id": "không tồn tại"}

    response = await client.post("/nominations", headers=officer, json={
        **NOMINATION, "criteria_set_id": set_id, "criteria_version": 1,
        "claims": [claim("TC1"), claim("TC2")]})
    assert response.status_code == 201, response.text
    assert (response.json()["criteria_set_id"], response.json()["criteria_version"]) == (set_id, 1)
    pinned = await client.post("/nominations", headers=officer, json={
        **NOMINATION, "criteria_set_id": set_id, "claims": [claim("TC1")]})
    assert pinned.status_code == 201, pinned.text
    assert pinned.json()["criteria_version"] == 1, "the latest published version is recorded"

    async with nomination.runtime.uow() as uow:
        latest = await criteria_problems(uow.session, unit_id="xa-dak-o", criteria_set_id=set_id,
                                         criteria_version=None, claims=["TC1", "TC2"])
        other_unit = await criteria_problems(uow.session, unit_id="xa-phu-nghia",
                                             criteria_set_id=set_id, criteria_version=1,
                                             claims=[])
    assert latest == {} and other_unit == {"criteria_set_id": "không tồn tại"}
