"""Stories drafted from decisions on exactly the subscribed channels, once; the editorial
workflow; a revocation withdraws them all; editors act only on their own channels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from exemplar.events import CaseDecidedV1
from exemplar.testing import auth, eventually

from ..helpers import stream_count, stream_events
from .steps import (
    DAK_O_RADIO,
    PORTAL_EDITOR,
    RADIO_EDITOR,
    VERIFIED,
    consumed,
    decided,
    drained,
    publish,
    revoked,
    revoked_meanwhile,
    stories_of,
    to_published,
)

PUBLISHED, WITHDRAWN = "exemplar.publication.published.v1", "exemplar.publication.withdrawn.v1"
EDIT_CLAIM = "Nội dung biên tập không khẳng định điều gì ngoài các nhận định đã kiểm chứng"

# Đắk Ơ, economy, decided: every channel of the default profile whose rule matches.
MATCHING = {"portal-guong-dien-hinh", "radio-huyen", "radio-dak-o", "zalo-huyen",
            "facebook-huyen", "giao-luu-huyen"}


async def test_recognition_drafts_on_exactly_the_matching_channels_once(publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    await publish(url, event, subject=event.nomination_id)  # delivered again, new envelope
    stories = await stories_of(publication, token, event.nomination_id, expect=len(MATCHING))
    assert {s["channel_id"] for s in stories} == MATCHING
    story = stories[0]
    assert story["status"] == "draft" and "215/QĐ-UBND" in story["body"]
    assert [c["text"] for c in story["claims"]][1:] == VERIFIED
    assert all("215/QĐ-UBND" in c["basis"] for c in story["claims"])

    await consumed(url, CaseDecidedV1)  # both deliveries handled
    again = await stories_of(publication, token, event.nomination_id)
    assert len(again) == len(MATCHING)  # still one set


async def test_rejection_drafts_nothing(publication, token):
    url = publication.runtime.settings.nats_url
    rejected = decided(outcome="rejected", award=None, award_name=None,
                       reasons=["Không đủ tiêu chuẩn"], verified_claims=[])
    await publish(url, rejected, subject=rejected.nomination_id)
    await consumed(url, CaseDecidedV1)
    response = await publication.client.get("/stories", params={
        "nomination_id": rejected.nomination_id}, headers=auth(token("noi-vu.head")))
    assert response.json()["total"] == 0


async def test_publishing_emits_published_once_and_revocation_withdraws_every_story(
        publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    stories = await stories_of(publication, token, event.nomination_id, expect=len(MATCHING))
    portal = next(s for s in stories if s["channel_id"] == "portal-guong-dien-hinh")
    published = await to_published(publication, token, portal, PORTAL_EDITOR)
    assert published["status"] == "published"
    assert published["url"].endswith(f"/portal/portal-guong-dien-hinh/stories/{portal['id']}")

    await drained(publication)
    [envelope] = await stream_events(url, PUBLISHED)
    assert (envelope["data"]["channel_id"], envelope["data"]["nomination_id"]) == (
        "portal-guong-dien-hinh", event.nomination_id)

    await publish(url, revoked(event), subject=event.nomination_id)

    async def all_withdrawn() -> bool:
        now = await stories_of(publication, token, event.nomination_id)
        return {s["status"] for s in now} == {"withdrawn"}

    await eventually(all_withdrawn, what="every story withdrawn")
    await drained(publication)
    # Only the story the public saw has a withdrawal to announce.
    assert await stream_count(url, WITHDRAWN) == 1
    assert await stream_count(url, PUBLISHED) == 1


async def test_revocation_arriving_before_the_decision_leaves_nothing_to_publish(
        publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, revoked(event), subject=event.nomination_id)

    async def revocation_consumed() -> bool:
        from publication.stories.store import is_revoked

        async with publication.runtime.uow() as uow:
            return await is_revoked(uow.session, event.nomination_id)

    await eventually(revocation_consumed, what="the revocation")
    await publish(url, event, subject=event.nomination_id)
    await consumed(url, CaseDecidedV1)
    late = await publication.client.get("/stories", params={
        "nomination_id": event.nomination_id}, headers=auth(token("noi-vu.head")))
    assert late.json()["total"] == 0


async def test_editor_acts_only_on_their_own_channels_stories(publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    stories = await stories_of(publication, token, event.nomination_id, expect=len(MATCHING))
    radio = next(s for s in stories if s["channel_id"] == "radio-huyen")
    path = f"/stories/{radio['id']}"
    at = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    actions = [("patch", "", {"body": "Sửa bài của kênh khác."}),
               ("post", "/fact-check", {"confirmed": list(range(len(radio["claims"])))}),
               ("post", "/approve", None), ("post", "/schedule", {"at": at}),
               ("post", "/publish", None), ("post", "/withdraw", {"reason": "Gỡ thử."})]
    for who in (PORTAL_EDITOR, DAK_O_RADIO, "admin"):
        for method, action, body in actions:
            response = await publication.client.request(
                method.upper(), path + action, json=body,
                headers={**auth(token(who)), "If-Match": radio["etag"]})
            assert response.status_code == 404, (who, action, response.text)
    untouched = await publication.client.get(path, headers=auth(token(RADIO_EDITOR)))
    assert (untouched.json()["status"], untouched.json()["etag"]) == ("draft", radio["etag"])
    mine = await publication.client.get("/stories", params={
        "nomination_id": event.nomination_id}, headers=auth(token(RADIO_EDITOR)))
    assert [s["channel_id"] for s in mine.json()["items"]] == ["radio-huyen"]
    hidden = await publication.client.get(f"/stories/{radio['id']}",
                                          headers=auth(token(PORTAL_EDITOR)))
    assert hidden.status_code == 404


async def test_story_needs_every_claim_confirmed_and_an_edit_asks_again(publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    stories = await stories_of(publication, token, event.nomination_id, expect=len(MATCHING))
    story = next(s for s in stories if s["channel_id"] == "radio-huyen")
    headers = auth(token(RADIO_EDITOR))
    path = f"/stories/{story['id']}"
    partial = await publication.client.post(f"{path}/fact-check", headers=headers,
                                            json={"confirmed": [0]})
    assert partial.status_code == 422 and "confirmed" in partial.json()["detail"]["fields"]
    early = await publication.client.post(f"{path}/approve", headers=headers)
    assert early.status_code == 409
    checked = await publication.client.post(f"{path}/fact-check", headers=headers, json={
        "confirmed": list(range(len(story["claims"])))})
    assert checked.status_code == 200, checked.text
    edited = await publication.client.patch(path, headers={**headers, "If-Match":
                                                           checked.headers["ETag"]},
                                            json={"body": "Bản tin đã biên tập lại."})
    assert edited.status_code == 200, edited.text
    assert edited.json()["status"] == "draft"
    claims = edited.json()["claims"]
    assert not any(c["confirmed"] for c in claims)
    # The edited text is attested too: it says nothing beyond the checked claims.
    assert [c["text"] for c in claims] == [c["text"] for c in story["claims"]] + [EDIT_CLAIM]
    assert claims[-1]["basis"] == story["claims"][0]["basis"]
    old = await publication.client.post(f"{path}/fact-check", headers=headers, json={
        "confirmed": list(range(len(story["claims"])))})
    assert old.status_code == 422, old.text
    again = await publication.client.patch(path, headers={**headers, "If-Match":
                                                          edited.headers["ETag"]},
                                           json={"body": "Bản tin biên tập lần hai."})
    assert [c["text"] for c in again.json()["claims"]].count(EDIT_CLAIM) == 1
    rechecked = await publication.client.post(f"{path}/fact-check", headers=headers, json={
        "confirmed": list(range(len(claims)))})
    assert rechecked.status_code == 200, rechecked.text


async def test_channels_show_their_rule_editors_and_story_counts(publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    await stories_of(publication, token, event.nomination_id, expect=len(MATCHING))
    everything = await publication.client.get("/channels", headers=auth(token("noi-vu.head")))
    by_id = {c["id"]: c for c in everything.json()}
    assert set(by_id) >= MATCHING | {"site-gddt", "lop-chinh-tri", "portal-nguoi-tot"}
    radio = by_id["radio-dak-o"]
    assert (radio["units"], radio["events"], radio["slots"]) == (
        ["xa-dak-o"], ["decided", "good_deed"], ["05:30", "17:30"])
    assert radio["editors"] == [{"id": "dak-o.radio", "name": "Vũ Văn Hùng"}]
    assert radio["stories"] == {"draft": 1} and by_id["site-gddt"]["stories"] == {}
    mine = await publication.client.get("/channels", headers=auth(token(DAK_O_RADIO)))
    assert [c["id"] for c in mine.json()] == ["radio-dak-o"]
    hidden = await publication.client.get("/channels/radio-huyen",
                                          headers=auth(token(DAK_O_RADIO)))
    assert hidden.status_code == 404


async def test_story_over_its_pages_limits_goes_back_to_the_editor_at_approval(
        publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    stories = await stories_of(publication, token, event.nomination_id, expect=len(MATCHING))
    zalo = next(s for s in stories if s["channel_id"] == "zalo-huyen")
    headers = auth(token("vhtt.social"))
    long = await publication.client.patch(
        f"/stories/{zalo['id']}", headers={**headers, "If-Match": zalo["etag"]},
        json={"title": "Gương sáng " + "ệ" * 140})
    assert long.status_code == 200, long.text
    checked = await publication.client.post(
        f"/stories/{zalo['id']}/fact-check", headers=headers,
        json={"confirmed": list(range(len(long.json()["claims"])))})
    assert checked.status_code == 200, checked.text
    refused = await publication.client.post(f"/stories/{zalo['id']}/approve", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["detail"]["fields"] == {"title": "tiêu đề dài 151 ký tự, tối đa 100"}
    after = await publication.client.get(f"/stories/{zalo['id']}", headers=headers)
    assert after.json()["status"] == "fact_checked"


async def test_revocation_that_missed_the_drafts_stops_approval_and_publishing(
        publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    stories = {s["channel_id"]: s for s in await stories_of(
        publication, token, event.nomination_id, expect=len(MATCHING))}
    radio, portal = stories["radio-huyen"], stories["portal-guong-dien-hinh"]
    radio_headers, portal_headers = auth(token(RADIO_EDITOR)), auth(token(PORTAL_EDITOR))
    checked = await publication.client.post(f"/stories/{radio['id']}/fact-check",
                                            headers=radio_headers,
                                            json={"confirmed": list(range(len(radio["claims"])))})
    assert checked.status_code == 200, checked.text
    for step in ("fact-check", "approve"):
        ready = await publication.client.post(
            f"/stories/{portal['id']}/{step}", headers=portal_headers,
            json={"confirmed": list(range(len(portal["claims"])))} if step == "fact-check"
            else None)
        assert ready.status_code == 200, ready.text
    reason = "Thu hồi theo 230/QĐ-UBND: Kê khai sai thành tích"
    await revoked_meanwhile(publication, event.nomination_id, reason)

    for story, headers, step in ((radio, radio_headers, "approve"),
                                 (portal, portal_headers, "publish")):
        refused = await publication.client.post(f"/stories/{story['id']}/{step}",
                                                headers=headers)
        assert refused.status_code == 409, refused.text
        assert "thu hồi" in refused.json()["detail"]["message"]
        after = (await publication.client.get(f"/stories/{story['id']}",
                                              headers=headers)).json()
        assert (after["status"], after["withdrawn_reason"]) == ("withdrawn", reason)
    await drained(publication)
    assert await stream_count(url, PUBLISHED) == 0
    assert await stream_count(url, WITHDRAWN) == 0  # the public never saw them


async def test_only_a_portal_story_has_a_public_url(publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    stories = {s["channel_id"]: s for s in await stories_of(
        publication, token, event.nomination_id, expect=len(MATCHING))}
    radio = await to_published(publication, token, stories["radio-huyen"], RADIO_EDITOR)
    portal = await to_published(publication, token, stories["portal-guong-dien-hinh"],
                                PORTAL_EDITOR)
    assert radio["url"] is None
    assert portal["url"].endswith(f"/portal/portal-guong-dien-hinh/stories/{portal['id']}")
    await drained(publication)
    urls = {e["data"]["channel_id"]: e["data"]["url"]
            for e in await stream_events(url, PUBLISHED)}
    assert urls == {"radio-huyen": None, "portal-guong-dien-hinh": portal["url"]}


async def test_drafts_say_only_what_the_decision_says_on_its_basis(publication, token):
    url = publication.runtime.settings.nats_url
    unnamed = decided(outcome="commended", award=None, award_name=None, decision=None)
    commune = decided(award="giay_khen_chu_tich_xa", award_name="Giấy khen của Chủ tịch UBND xã")
    for event in (unnamed, commune):
        await publish(url, event, subject=event.nomination_id)
    [first] = [s for s in await stories_of(publication, token, unnamed.nomination_id,
                                           expect=len(MATCHING))
               if s["channel_id"] == "radio-huyen"]
    assert "None" not in first["title"] + first["body"]
    assert "được tặng" not in first["body"]
    assert [c["text"] for c in first["claims"]] == VERIFIED
    assert {c["basis"] for c in first["claims"]} == {"Quyết định khen thưởng (chưa có số)"}
    [second] = [s for s in await stories_of(publication, token, commune.nomination_id,
                                            expect=len(MATCHING))
                if s["channel_id"] == "radio-huyen"]
    # Signed by the head of the unit granting the award, not by the council's chair.
    assert "215/QĐ-UBND ngày 20/12/2024 của Chủ tịch UBND xã Đắk Ơ" in second["body"]
    assert "huyện" not in second["claims"][0]["basis"]


@pytest.mark.parametrize("at", [
    (datetime.now(UTC) + timedelta(days=2 * 366)).isoformat(),
    "9999-12-31T23:00:00-05:00", "9999-12-31T23:59:59+07:00"])
async def test_a_story_is_scheduled_within_two_years(publication, token, at):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    stories = await stories_of(publication, token, event.nomination_id, expect=len(MATCHING))
    radio = next(s for s in stories if s["channel_id"] == "radio-huyen")
    headers, path = auth(token(RADIO_EDITOR)), f"/stories/{radio['id']}"
    for step, body in (("fact-check", {"confirmed": list(range(len(radio["claims"])))}),
                       ("approve", None)):
        done = await publication.client.post(f"{path}/{step}", headers=headers, json=body)
        assert done.status_code == 200, done.text
    refused = await publication.client.post(f"{path}/schedule", headers=headers,
                                            json={"at": at})
    assert refused.status_code == 422, refused.text
    assert "at" in refused.json()["detail"]["fields"]


@pytest.mark.parametrize("path", [
    "/stories/%00", "/stories/a%00b/approve", "/stories/" + "x" * 101,
    "/stories?nomination_id=%00", "/stories?channel_id=a%00", "/channels/%00",
    "/channels/k%C3%AAnh", "/pending?year=99999", "/pending?offset=100000000"])
async def test_garbage_ids_and_bounds_are_refused_as_input(publication, token, path):
    method = "POST" if path.endswith("/approve") else "GET"
    response = await publication.client.request(method, path, headers=auth(token(
        "noi-vu.head" if method == "GET" else RADIO_EDITOR)))
    assert response.status_code == 422, response.text


async def test_a_revocation_committed_while_drafting_leaves_no_draft(publication, token,
                                                                     monkeypatch):
    from publication.stories import drafting, store

    event, checks = decided(), []
    real = store.is_revoked

    async def racing(session, nomination_id: str) -> bool:
        checks.append(nomination_id)
        if len(checks) == 1:  # the revocation commits just after the first look
            await revoked_meanwhile(publication, nomination_id, "Kê khai sai thành tích")
            return False
        return await real(session, nomination_id)

    monkeypatch.setattr(store, "is_revoked", racing)
    async with publication.runtime.uow() as uow:
        made = await drafting.draft_decided(uow, event, profile=publication.runtime.profile)
        await uow.commit()
    assert made == [] and len(checks) == 2
    response = await publication.client.get("/stories", params={
        "nomination_id": event.nomination_id}, headers=auth(token("noi-vu.head")))
    assert response.json()["total"] == 0
