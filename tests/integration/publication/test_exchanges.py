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

    early = await publication.client.post(f"{path}/record", json=result, headers=headers)
    assert early.status_code in (409, 422), early.text
    assert "held_on" in early.json()["detail"]["fields"]

    stale = await publication.client.patch(path, json={"held_on": today().isoformat()},
                                           headers={**headers, "If-Match": '"99"'})
    assert stale.status_code == 412, stale.text
    moved = await publication.client.patch(path, json={"held_on": today().isoformat()},
                                           headers={**headers, "If-Match": made["etag"]})
    assert moved.status_code == 200, moved.text
    unoccasioned = await publication.client.patch(path, json={"occasion": None},
                                                  headers=headers)
    assert unoccasioned.status_code == 422, unoccasioned.text

    recorded = await publication.client.post(f"{path}/record", json=result, headers=headers)
    assert recorded.status_code == 200, recorded.text
    assert (recorded.json()["status"], recorded.json()["attendance"]) == ("held", 120)
    assert recorded.json()["recorded_by"] == EXCHANGE_EDITOR

    twice = await publication.client.post(f"{path}/record", json=result, headers=headers)
    assert twice.status_code == 409, twice.text
    edit = await publication.client.patch(path, json={"title": "Đổi tên"}, headers=headers)
    assert edit.status_code == 409, edit.text


async def test_a_meeting_not_held_has_no_attendance(publication, token):
    nomination = await exemplar(publication, token)
    body = meeting([nomination], held_on=(today() - timedelta(days=1)).isoformat())
    made = (await schedule(publication, token, body, who=OFFICE)).json()
    assert made["channel_id"] is None  # a district-wide ceremony of the standing office
    path, headers = f"/exchanges/{made['id']}/record", auth(token(OFFICE))
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
            "held": True, "attendance": 1}, headers=auth(token(who)))
        assert response.status_code == status, (who, response.text)
    hidden = await publication.client.get(path, headers=auth(token(PORTAL_EDITOR)))
    assert hidden.status_code == 404
    own = await publication.client.get("/exchanges", headers=auth(token(CLASS_EDITOR)))
    assert own.json()["total"] == 0
    office = await publication.client.patch(path, json={"place": "Nhà văn hóa xã Đắk Ơ"},
                                            headers=auth(token(OFFICE)))
    assert office.status_code == 200 and office.json()["place"] == "Nhà văn hóa xã Đắk Ơ"
