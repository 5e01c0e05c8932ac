"""Exchange meetings and honouring ceremonies: exemplars whose stories are approved, before
an audience; a ceremony only with an occasion; recorded once, after the day."""

from __future__ import annotations

import uuid
from datetime import timedelta

from exemplar.clock import today
from exemplar.testing import auth, eventually

from .steps import PORTAL_EDITOR, decided, publish, to_published

EXCHANGE_EDITOR, CLASS_EDITOR, OFFICE = "vhtt.editor", "ttct.editor", "noi-vu.head"
EXCHANGE_CHANNEL = "giao-luu-huyen"
OCCASION = {"kind": "holiday", "name": "Kỷ niệm 78 năm Ngày Thương binh – Liệt sĩ"}


async def story_on(publication, token, nomination_id: str, channel_id: str) -> dict:
    async def found() -> dict | None:
        response = await publication.client.get("/stories", params={
            "nomination_id": nomination_id, "channel_id": channel_id},
            headers=auth(token(OFFICE)))
        return next(iter(response.json()["items"]), None)

    return await eventually(found, what=f"the draft on {channel_id}")


async def exemplar(publication, token, *, stage: str = "published") -> str:
    """A recognised nomination whose story has reached `stage` (draft, approved, published)."""
    event = decided()
    await publish(publication.runtime.settings.nats_url, event, subject=event.nomination_id)
    if stage == "published":
        story = await story_on(publication, token, event.nomination_id, "portal-guong-dien-hinh")
        await to_published(publication, token, story, PORTAL_EDITOR)
    elif stage == "approved":
        story = await story_on(publication, token, event.nomination_id, EXCHANGE_CHANNEL)
        headers, path = auth(token(EXCHANGE_EDITOR)), f"/stories/{story['id']}"
        checked = await publication.client.post(f"{path}/fact-check", headers=headers, json={
            "confirmed": list(range(len(story["claims"])))})
        assert checked.status_code == 200, checked.text
        approved = await publication.client.post(f"{path}/approve", headers=headers)
        assert approved.status_code == 200, approved.text
    else:
        await story_on(publication, token, event.nomination_id, EXCHANGE_CHANNEL)
    return event.nomination_id


def meeting(exemplars: list[str], **changes) -> dict:
    return {"kind": "ceremony", "title": "Tôn vinh điển hình tiên tiến huyện Bù Gia Mập",
            "held_on": (today() + timedelta(days=10)).isoformat(),
            "place": "Hội trường UBND huyện", "audience": "Hội nghị tổng kết phong trào thi đua",
            "exemplars": exemplars, "occasion": OCCASION, **changes}


async def schedule(publication, token, body: dict, who: str = EXCHANGE_EDITOR):
    return await publication.client.post("/exchanges", json=body, headers=auth(token(who)))


async def test_a_ceremony_is_held_with_an_occasion_and_an_exchange_needs_none(
        publication, token):
    published = await exemplar(publication, token)
    approved = await exemplar(publication, token, stage="approved")

    alone = await schedule(publication, token, meeting([published], occasion=None))
    assert alone.status_code == 422, alone.text
    detail = alone.json()["detail"]
    assert "occasion" in detail["fields"] and "dịp nào" in detail["message"]

    ceremony = await schedule(publication, token, meeting([published, approved]))
    assert ceremony.status_code == 201, ceremony.text
    made = ceremony.json()
    assert (made["channel_id"], made["status"], made["kind_name"]) == (
        EXCHANGE_CHANNEL, "scheduled", "lễ tôn vinh")
    assert made["occasion"] == {**OCCASION, "kind_name": "ngày lễ"}
    assert [e["nomination_id"] for e in made["exemplars"]] == [published, approved]
    assert made["exemplars"][0]["nominee_name"] == "Nguyễn Thị Hoa"
    assert ceremony.headers["ETag"] == made["etag"]

    school = meeting([approved], kind="exchange", occasion=None,
                     audience="Trường THCS Đắk Ơ", title="Giao lưu với học sinh")
    exchange = await schedule(publication, token, school)
    assert exchange.status_code == 201, exchange.text
    assert exchange.json()["occasion"] is None

    read = await publication.client.get(f"/exchanges/{made['id']}",
                                        headers=auth(token("tinh.viewer")))
    assert read.status_code == 200 and read.json()["title"] == made["title"]
    listed = await publication.client.get("/exchanges", params={"kind": "ceremony"},
                                          headers=auth(token(OFFICE)))
    assert [e["id"] for e in listed.json()["items"]] == [made["id"]]


async def test_an_exemplar_without_an_approved_story_cannot_be_presented(publication, token):
    published = await exemplar(publication, token)
    drafted = await exemplar(publication, token, stage="draft")
    unknown = str(uuid.uuid4())
    response = await schedule(publication, token, meeting([published, unknown, drafted]))
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert set(detail["fields"]) == {"exemplars[1]", "exemplars[2]"}
    assert unknown in detail["message"] and drafted in detail["message"]
    listed = await publication.client.get("/exchanges", headers=auth(token(OFFICE)))
    assert listed.json()["total"] == 0  # nothing half-written


async def test_a_meeting_is_recorded_once_and_only_after_its_day(publication, token):
    nomination = await exemplar(publication, token)
    made = (await schedule(publication, token, meeting([nomination]))).json()
    path, headers = f"/exchanges/{made['id']}", auth(token(EXCHANGE_EDITOR))
    result = {"held": True, "attendance": 120, "notes": "Học sinh, giáo viên tham dự đông đủ."}

    current = {**headers, "If-Match": made["etag"]}
    early = await publication.client.post(f"{path}/record", json=result, headers=current)
    assert early.status_code in (409, 422), early.text
    assert "held_on" in early.json()["detail"]["fields"]

    # Every change names the version it was made from: none is 428, an old one 412.
    for method, target, body in (("PATCH", path, {"held_on": today().isoformat()}),
                                 ("POST", f"{path}/record", result)):
        blind = await publication.client.request(method, target, json=body, headers=headers)
        assert blind.status_code == 428, blind.text
        assert "If-Match" in blind.json()["detail"]["fields"]
        stale = await publication.client.request(method, target, json=body,
                                                 headers={**headers, "If-Match": '"99"'})
        assert stale.status_code == 412, stale.text
    moved = await publication.client.patch(path, json={"held_on": today().isoformat()},
                                           headers=current)
    assert moved.status_code == 200, moved.text
    current = {**headers, "If-Match": moved.headers["ETag"]}
    unoccasioned = await publication.client.patch(path, json={"occasion": None},
                                                  headers=current)
    assert unoccasioned.status_code == 422, unoccasioned.text
    old = await publication.client.post(f"{path}/record", json=result,
                                        headers={**headers, "If-Match": made["etag"]})
    assert old.status_code == 412, old.text  # it was moved since that read

    recorded = await publication.client.post(f"{path}/record", json=result, headers=current)
    assert recorded.status_code == 200, recorded.text
    assert (recorded.json()["status"], recorded.json()["attendance"]) == ("held", 120)
    assert recorded.json()["recorded_by"] == EXCHANGE_EDITOR

    current = {**headers, "If-Match": recorded.headers["ETag"]}
    twice = await publication.client.post(f"{path}/record", json=result, headers=current)
    assert twice.status_code == 409, twice.text
    edit = await publication.client.patch(path, json={"title": "Đổi tên"}, headers=current)
    assert edit.status_code == 409, edit.text


async def test_a_meeting_not_held_has_no_attendance(publication, token):
    nomination = await exemplar(publication, token)
    body = meeting([nomination], held_on=(today() - timedelta(days=1)).isoformat())
    made = (await schedule(publication, token, body, who=OFFICE)).json()
    assert made["channel_id"] is None  # a district-wide ceremony of the standing office
    path = f"/exchanges/{made['id']}/record"
    headers = {**auth(token(OFFICE)), "If-Match": made["etag"]}
    crowd = await publication.client.post(path, json={"held": False, "attendance": 5},
                                          headers=headers)
    assert crowd.status_code == 422 and "attendance" in crowd.json()["detail"]["fields"]
    cancelled = await publication.client.post(path, json={
        "held": False, "attendance": 0, "notes": "Hoãn do mưa bão."}, headers=headers)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status_name"] == "không tổ chức"


async def test_only_the_office_and_exchange_editors_organise(publication, token):
    nomination = await exemplar(publication, token)
    for who in ("dak-o.officer", "tinh.viewer"):
        response = await schedule(publication, token, meeting([nomination]), who=who)
        assert response.status_code == 403, (who, response.text)
    portal = await schedule(publication, token, meeting([nomination]), who=PORTAL_EDITOR)
    assert portal.status_code == 403, portal.text
    wrong = await schedule(publication, token, meeting(
        [nomination], channel_id="portal-guong-dien-hinh"), who=OFFICE)
    assert wrong.status_code == 422 and "channel_id" in wrong.json()["detail"]["fields"]
    listed = await publication.client.get("/exchanges", headers=auth(token("dak-o.officer")))
    assert listed.status_code == 403

    made = (await schedule(publication, token, meeting([nomination]))).json()
    path = f"/exchanges/{made['id']}"
    for who, status in ((PORTAL_EDITOR, 404), (CLASS_EDITOR, 404), ("tinh.viewer", 403)):
        response = await publication.client.post(f"{path}/record", json={
            "held": True, "attendance": 1}, headers={**auth(token(who)),
                                                     "If-Match": made["etag"]})
        assert response.status_code == status, (who, response.text)
    hidden = await publication.client.get(path, headers=auth(token(PORTAL_EDITOR)))
    assert hidden.status_code == 404
    own = await publication.client.get("/exchanges", headers=auth(token(CLASS_EDITOR)))
    assert own.json()["total"] == 0
    office = await publication.client.patch(path, json={"place": "Nhà văn hóa xã Đắk Ơ"},
                                            headers={**auth(token(OFFICE)),
                                                     "If-Match": made["etag"]})
    assert office.status_code == 200 and office.json()["place"] == "Nhà văn hóa xã Đắk Ơ"


async def test_a_revoked_exemplar_leaves_the_meetings_still_to_come(publication, token):
    from publication.exchanges import service

    revoked, kept = await exemplar(publication, token), await exemplar(publication, token)
    coming = (await schedule(publication, token, meeting([revoked, kept]))).json()
    past = (await schedule(publication, token, meeting(
        [revoked], held_on=(today() - timedelta(days=1)).isoformat()))).json()
    recorded = await publication.client.post(
        f"/exchanges/{past['id']}/record", json={"held": True, "attendance": 80},
        headers={**auth(token(EXCHANGE_EDITOR)), "If-Match": past["etag"]})
    assert recorded.status_code == 200, recorded.text
    other = (await schedule(publication, token, meeting([kept]))).json()

    reason = "Thu hồi theo 230/QĐ-UBND: Kê khai sai thành tích"
    async with publication.runtime.uow() as uow:
        changed = await service.drop_revoked(uow, nomination_id=revoked, reason=reason)
        await uow.commit()
    assert changed == 1
    async with publication.runtime.uow() as uow:  # heard again: nothing more changes
        assert await service.drop_revoked(uow, nomination_id=revoked, reason=reason) == 0

    headers = auth(token(OFFICE))
    after = (await publication.client.get(f"/exchanges/{coming['id']}", headers=headers)).json()
    assert [e["nomination_id"] for e in after["exemplars"]] == [kept]
    [note] = after["removed"]
    assert (note["nomination_id"], note["nominee_name"], note["reason"]) == (
        revoked, "Nguyễn Thị Hoa", reason)
    assert after["etag"] != coming["etag"]  # an organiser's stale edit is refused
    held = (await publication.client.get(f"/exchanges/{past['id']}", headers=headers)).json()
    assert [e["nomination_id"] for e in held["exemplars"]] == [revoked]  # as it was held
    assert held["removed"] == [] and held["etag"] == recorded.json()["etag"]
    untouched = (await publication.client.get(f"/exchanges/{other['id']}",
                                              headers=headers)).json()
    assert untouched["etag"] == other["etag"] and untouched["removed"] == []


async def test_ids_that_are_not_ids_are_refused_before_any_query(publication, token):
    headers = {**auth(token(OFFICE)), "If-Match": '"1"'}
    nomination = await exemplar(publication, token)
    for method, path, body in (
            ("GET", "/exchanges/a%00b", None),
            ("PATCH", "/exchanges/a%00b", {"place": "Hội trường"}),
            ("POST", "/exchanges/a%00b/record", {"held": True, "attendance": 1}),
            ("POST", "/exchanges", meeting([nomination, "a\x00b"])),
            ("POST", "/exchanges", meeting([nomination], channel_id="a\x00b")),
            ("PATCH", f"/exchanges/{uuid.uuid4()}", {"exemplars": ["a" * 101]})):
        response = await publication.client.request(method, path, json=body, headers=headers)
        assert response.status_code == 422, (method, path, response.text)
    listed = await publication.client.get("/exchanges", params={"channel_id": "a\x00b"},
                                          headers=headers)
    assert listed.status_code == 422, listed.text
    fields = (await publication.client.post("/exchanges", json=meeting([nomination, "a\x00b"]),
                                            headers=headers)).json()["detail"]["fields"]
    assert list(fields) == ["exemplars.1"]
