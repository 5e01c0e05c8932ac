"""Radio: a slot's rundown with each item's reading time and the running time, the script the
announcer reads, and its Vietnamese audio for the commune loudspeakers — or, on a server
without a speech synthesiser, a clear answer pointing at the script."""

from __future__ import annotations

import io
import shutil
import wave
from datetime import date, datetime, time, timedelta

from exemplar.clock import VIETNAM, today
from exemplar.testing import auth, eventually

from .steps import DAK_O_RADIO, PORTAL_EDITOR, RADIO_EDITOR, decided, publish, to_published

CHANNEL = "radio-dak-o"  # Trạm truyền thanh xã Đắk Ơ, slots 05:30 and 17:30
SENTENCE = "Chị Hoa vận động bà con chuyển đổi cây trồng. "  # ten words
# Ten-word titles: 10 + 150 words read at 160 a minute take 60 s; 10 + 70 words, 30 s.
LONG = ("Nguyễn Thị Hoa, gương sáng lao động ở Đắk Ơ", SENTENCE * 15)
SHORT = ("Ông Điểu Văn Lâm giúp bà con xã làm đường", SENTENCE * 7)


def tomorrow() -> date:
    return today() + timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), VIETNAM).isoformat()


async def radio_story(publication, token, text: tuple[str, str] | None = None) -> dict:
    """A decision for Đắk Ơ drafted on the commune station, its text set by its editor."""
    event = decided()
    await publish(publication.runtime.settings.nats_url, event, subject=event.nomination_id)
    found: list[dict] = []

    async def drafted() -> bool:
        response = await publication.client.get("/stories", params={
            "nomination_id": event.nomination_id, "channel_id": CHANNEL},
            headers=auth(token(DAK_O_RADIO)))
        found[:] = response.json()["items"]
        return bool(found)

    await eventually(drafted, what="the station's draft")
    story = found[0]
    if text:
        response = await publication.client.patch(
            f"/stories/{story['id']}", json={"title": text[0], "body": text[1]},
            headers={**auth(token(DAK_O_RADIO)), "If-Match": story["etag"]})
        assert response.status_code == 200, response.text
        story = response.json()
    return story


async def scheduled(publication, token, story: dict, when: str) -> dict:
    headers = auth(token(DAK_O_RADIO))
    path = f"/stories/{story['id']}"
    checked = await publication.client.post(f"{path}/fact-check", headers=headers, json={
        "confirmed": list(range(len(story["claims"])))})
    assert checked.status_code == 200, checked.text
    approved = await publication.client.post(f"{path}/approve", headers=headers)
    assert approved.status_code == 200, approved.text
    response = await publication.client.post(f"{path}/schedule", headers=headers,
                                             json={"at": when})
    assert response.status_code == 200, response.text
    return response.json()


async def get(publication, token, path: str, *, who: str = DAK_O_RADIO, day: date | None = None,
              slot: str = "17:30"):
    return await publication.client.get(
        f"/radio/{CHANNEL}/{path}", params={"date": (day or tomorrow()).isoformat(),
                                            "slot": slot},
        headers=auth(token(who)))


async def test_slot_rundown_gives_each_items_reading_time_and_the_running_time(
        publication, token):
    long = await scheduled(publication, token, await radio_story(publication, token, LONG),
                           at(tomorrow(), 17, 30))
    short = await scheduled(publication, token, await radio_story(publication, token, SHORT),
                            at(tomorrow(), 12))
    morning = await scheduled(publication, token, await radio_story(publication, token),
                              at(tomorrow(), 5, 30))

    response = await get(publication, token, "rundown")
    assert response.status_code == 200, response.text
    rundown = response.json()
    assert rundown["selection"] == "scheduled" and rundown["words_per_minute"] == 160
    assert [(i["story_id"], i["words"], i["reading_seconds"]) for i in rundown["items"]] == [
        (short["id"], 80, 30), (long["id"], 160, 60)]  # in the order they were scheduled
    assert rundown["running_seconds"] == 90
    assert rundown["starts_at"] == at(tomorrow(), 17, 30)
    assert rundown["window_start"] == at(tomorrow(), 5, 30)

    early = (await get(publication, token, "rundown", slot="05:30")).json()
    assert [i["story_id"] for i in early["items"]] == [morning["id"]]


async def test_a_slot_with_nothing_scheduled_reruns_the_latest_published_stories(
        publication, token):
    first = await to_published(publication, token,
                               await radio_story(publication, token, LONG), DAK_O_RADIO)
    second = await to_published(publication, token,
                                await radio_story(publication, token, SHORT), DAK_O_RADIO)
    rundown = (await get(publication, token, "rundown", slot="05:30")).json()
    assert rundown["selection"] == "rerun"
    assert [i["story_id"] for i in rundown["items"]] == [second["id"], first["id"]]
    assert rundown["running_seconds"] == 90 <= rundown["budget_seconds"]
    # Yesterday's broadcast could not carry what was published today.
    before = (await get(publication, token, "rundown", day=today() - timedelta(days=1))).json()
    assert before["items"] == [] and before["running_seconds"] == 0


async def test_the_script_reads_the_stories_vietnamese_text(publication, token):
    story = await scheduled(publication, token, await radio_story(publication, token, SHORT),
                            at(tomorrow(), 17))
    response = await get(publication, token, "script.txt")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    script = response.content.decode("utf-8")
    day = tomorrow()
    assert script.startswith("Kính thưa quý vị và bà con thính giả!\n"
                             "Đây là Trạm truyền thanh xã Đắk Ơ.\n"
                             f"Buổi phát 17 giờ 30 phút ngày {day.day} tháng {day.month} "
                             f"năm {day.year}.")
    assert f"Tin thứ nhất: {story['title']}." in script
    assert story["body"].strip() in script
    assert "Cảm ơn quý vị và bà con đã lắng nghe." in script


async def test_slot_audio_plays_where_espeak_ng_is_installed(publication, token):
    await scheduled(publication, token, await radio_story(publication, token, SHORT),
                    at(tomorrow(), 17))
    response = await get(publication, token, "audio.wav")
    if shutil.which("espeak-ng") is None:
        assert_points_at_the_script(response)
        return
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert seconds > 10  # greeting, 80 words and the closing, spoken
    again = await get(publication, token, "audio.wav")
    assert again.content == response.content  # the same script is served from the cache
    assert len(list((publication.runtime.settings.var_dir / "radio" / CHANNEL).glob(
        "*.wav"))) == 1


async def test_without_a_synthesiser_the_audio_answer_points_at_the_script(
        publication, token, monkeypatch, tmp_path):
    await radio_story(publication, token)
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # a server where espeak-ng is not installed
    assert_points_at_the_script(await get(publication, token, "audio.wav"))


def assert_points_at_the_script(response) -> None:
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["error"] == "speech_unavailable"
    message, script_url = body["detail"]["message"], body["detail"]["script_url"]
    assert "chưa cài bộ tổng hợp tiếng nói" in message and script_url in message
    assert script_url.endswith(f"/radio/{CHANNEL}/script.txt?date={tomorrow().isoformat()}"
                               "&slot=17%3A30")


async def test_readers_see_the_station_and_other_editors_are_told_it_does_not_exist(
        publication, token):
    for who in (DAK_O_RADIO, "noi-vu.head", "tinh.viewer"):
        slots = await publication.client.get(f"/radio/{CHANNEL}/slots",
                                             headers=auth(token(who)))
        assert slots.json()["slots"] == ["05:30", "17:30"], who
        assert (await get(publication, token, "rundown", who=who)).status_code == 200
    for who in (RADIO_EDITOR, PORTAL_EDITOR):
        for path in ("rundown", "script.txt", "audio.wav"):
            response = await get(publication, token, path, who=who)
            assert response.status_code == 404, (who, path)
            assert response.json()["detail"]["message"] == "Không tìm thấy kênh phát thanh."
    portal = await publication.client.get(
        "/radio/portal-guong-dien-hinh/rundown",
        params={"date": tomorrow().isoformat(), "slot": "05:00"},
        headers=auth(token("noi-vu.head")))
    assert portal.status_code == 404  # not a radio channel


async def test_an_unknown_slot_or_a_bad_date_is_refused_in_vietnamese(publication, token):
    unknown = await get(publication, token, "rundown", slot="06:00")
    assert unknown.status_code == 422
    assert unknown.json()["detail"]["fields"]["slot"] == "các buổi phát của kênh: 05:30, 17:30"
    for path in ("script.txt", "audio.wav"):
        assert (await get(publication, token, path, slot="25:99")).status_code == 422
    bad = await publication.client.get(f"/radio/{CHANNEL}/rundown", params={
        "date": "2025-02-30", "slot": "05:30"}, headers=auth(token(DAK_O_RADIO)))
    assert bad.status_code == 422
    assert bad.json()["detail"]["fields"]["date"] == "phải là ngày dạng YYYY-MM-DD"


async def test_a_day_far_from_today_is_refused_before_any_synthesis(publication, token):
    for days in (401, -401):
        for path in ("rundown", "script.txt", "audio.wav"):
            response = await get(publication, token, path,
                                 day=today() + timedelta(days=days))
            assert response.status_code == 422, (days, path, response.text)
            assert response.json()["detail"]["fields"]["date"] == \
                "phải trong vòng 400 ngày kể từ hôm nay"
    assert (await get(publication, token, "rundown",
                      day=today() - timedelta(days=400))).status_code == 200


async def test_a_channel_id_that_is_not_an_id_is_refused(publication, token):
    headers = auth(token("noi-vu.head"))
    params = {"date": tomorrow().isoformat(), "slot": "05:30"}
    for path in ("slots", "rundown", "script.txt", "audio.wav"):
        for channel in ("a%00b", "a" * 101):
            response = await publication.client.get(f"/radio/{channel}/{path}",
                                                    params=params, headers=headers)
            assert response.status_code == 422, (channel, path, response.text)
            assert "channel_id" in response.json()["detail"]["fields"]
