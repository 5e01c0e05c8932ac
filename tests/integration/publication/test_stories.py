"""Stories drafted from decisions on exactly the subscribed channels, once; the editorial
workflow; a revocation withdraws them all; editors act only on their own channels."""

from __future__ import annotations

from exemplar.testing import auth, eventually

from ..helpers import stream_count, stream_events
from .steps import (
    DAK_O_RADIO,
    PORTAL_EDITOR,
    RADIO_EDITOR,
    VERIFIED,
    decided,
    publish,
    revoked,
    stories_of,
    to_published,
)

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

    other = decided()
    await publish(url, other, subject=other.nomination_id)
    await stories_of(publication, token, other.nomination_id, expect=len(MATCHING))
    again = await stories_of(publication, token, event.nomination_id)
    assert len(again) == len(MATCHING)  # still one set for the first decision


async def test_rejection_drafts_nothing(publication, token):
    url = publication.runtime.settings.nats_url
    rejected = decided(outcome="rejected", award=None, award_name=None,
                       reasons=["Không đủ tiêu chuẩn"], verified_claims=[])
    await publish(url, rejected, subject=rejected.nomination_id)
    marker = decided()
    await publish(url, marker, subject=marker.nomination_id)
    await stories_of(publication, token, marker.nomination_id, expect=len(MATCHING))
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

    async def once(subject: str) -> bool:
        return await stream_count(url, subject) == 1

    await eventually(lambda: once("exemplar.publication.published.v1"), what="published")
    [envelope] = await stream_events(url, "exemplar.publication.published.v1")
    assert (envelope["data"]["channel_id"], envelope["data"]["nomination_id"]) == (
        "portal-guong-dien-hinh", event.nomination_id)

    await publish(url, revoked(event), subject=event.nomination_id)

    async def all_withdrawn() -> bool:
        now = await stories_of(publication, token, event.nomination_id)
        return {s["status"] for s in now} == {"withdrawn"}

    await eventually(all_withdrawn, what="every story withdrawn")
    await eventually(lambda: once("exemplar.publication.withdrawn.v1"), what="withdrawn")
    # Only the story the public saw has a withdrawal to announce.
    assert await stream_count(url, "exemplar.publication.withdrawn.v1") == 1


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
    marker = decided()
    await publish(url, marker, subject=marker.nomination_id)
    await stories_of(publication, token, marker.nomination_id, expect=len(MATCHING))
    late = await publication.client.get("/stories", params={
        "nomination_id": event.nomination_id}, headers=auth(token("noi-vu.head")))
    assert late.json()["total"] == 0


async def test_editor_acts_only_on_their_own_channels_stories(publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    await publish(url, event, subject=event.nomination_id)
    stories = await stories_of(publication, token, event.nomination_id, expect=len(MATCHING))
    radio = next(s for s in stories if s["channel_id"] == "radio-huyen")
    for who in (PORTAL_EDITOR, DAK_O_RADIO, "admin"):
        response = await publication.client.post(f"/stories/{radio['id']}/approve",
                                                 headers=auth(token(who)))
        assert response.status_code in (403, 404), (who, response.text)
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
    assert not any(c["confirmed"] for c in edited.json()["claims"])


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
    checked = await publication.client.post(f"/stories/{zalo['id']}/fact-check",
                                            headers=headers,
                                            json={"confirmed": list(range(len(zalo["claims"])))})
    assert checked.status_code == 200, checked.text
    refused = await publication.client.post(f"/stories/{zalo['id']}/approve", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["detail"]["fields"] == {"title": "tiêu đề dài 151 ký tự, tối đa 100"}
    after = await publication.client.get(f"/stories/{zalo['id']}", headers=headers)
    assert after.json()["status"] == "fact_checked"
