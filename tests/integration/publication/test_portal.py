"""The public portal: a column shows only what was published on it, in correct Vietnamese,
without login; its Atom feed parses back; a revocation takes the story down; markup in a
title stays text."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import feedparser
import httpx

from exemplar.clock import VIETNAM
from exemplar.events import Nominee
from exemplar.testing import auth, eventually

from .steps import PORTAL_EDITOR, decided, publish, revoked, stories_of, to_published

COLUMN = "portal-guong-dien-hinh"
COLUMN_NAME = "Chuyên mục Gương điển hình tiên tiến"
ATOM = "application/atom+xml; charset=utf-8"


class Outline(HTMLParser):
    """What a reader without CSS or a screen reader meets: language, title, landmarks,
    headings in order, the skip link, and every link's text."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = self.charset = None
        self.title, self.tags, self.headings, self.ids = "", [], [], set()
        self.links: list[dict] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.ids.add(attrs.get("id"))
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "meta" and "charset" in attrs:
            self.charset = attrs["charset"].lower()
        if tag == "a":
            self.links.append({"href": attrs.get("href"), "text": ""})
        if tag in ("h1", "h2", "h3", "h4"):
            self.headings.append(int(tag[1]))
        self._in.append(tag)

    def handle_endtag(self, tag):
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag):]

    def handle_data(self, data):
        if "title" in self._in:
            self.title += data
        if "a" in self._in:
            self.links[-1]["text"] += data


def outline(html: str) -> Outline:
    page = Outline()
    page.feed(html)
    return page


def assert_accessible(html: str) -> Outline:
    page = outline(html)
    assert page.lang == "vi" and page.charset == "utf-8" and page.title.strip()
    assert {"header", "main", "footer"} <= set(page.tags)
    skip = page.links[0]
    assert skip["href"].startswith("#") and skip["href"][1:] in page.ids and skip["text"]
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert all(link["text"].strip() for link in page.links), page.links
    return page


def vn_date(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(VIETNAM).strftime("%d/%m/%Y")


async def portal_story(publication, token, **changes) -> tuple[dict, dict]:
    """A decision drafted on every matching channel; its portal column's story."""
    event = decided(**changes)
    await publish(publication.runtime.settings.nats_url, event, subject=event.nomination_id)
    stories = await stories_of(publication, token, event.nomination_id, expect=6)
    return event, next(s for s in stories if s["channel_id"] == COLUMN)


async def public(publication, path: str, **params):
    """A reader without a token."""
    return await publication.client.get(path, params=params)


async def test_published_decision_shows_on_the_column_the_story_page_and_the_feed(
        publication, token):
    _, story = await portal_story(publication, token)
    published = await to_published(publication, token, story, PORTAL_EDITOR)
    url, title = published["url"], published["title"]
    assert title == "Bà Nguyễn Thị Hoa – Lao động tiên tiến"

    home = await public(publication, "/portal")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    links = assert_accessible(home.text).links
    assert any(link["href"].endswith(f"/portal/{COLUMN}") and link["text"] == COLUMN_NAME
               for link in links)
    assert all("radio" not in (link["href"] or "") for link in links)  # columns only

    column = await public(publication, f"/portal/{COLUMN}")
    assert column.status_code == 200
    page = column.text
    assert unicodedata.is_normalized("NFC", page)
    for words in ("Bà Nguyễn Thị Hoa", "Lao động tiên tiến", "Đắk Ơ", COLUMN_NAME,
                  vn_date(published["published_at"])):
        assert words in page, words
    assert {"href": url, "text": title} in assert_accessible(page).links

    reading = await public(publication, f"/portal/{COLUMN}/stories/{story['id']}")
    assert reading.status_code == 200
    page = reading.text
    assert unicodedata.is_normalized("NFC", page)
    for words in ("Bà Nguyễn Thị Hoa", "Lao động tiên tiến", "UBND xã Đắk Ơ",
                  "Vận động 40 hộ chuyển đổi cây trồng", "Quyết định số 215/QĐ-UBND",
                  vn_date(published["published_at"])):
        assert words in page, words
    assert f"<h1>{title}</h1>" in page and "<li>Vận động 40 hộ" in page
    assert_accessible(page)

    feed = await public(publication, f"/portal/{COLUMN}/feed.atom")
    assert feed.status_code == 200 and feed.headers["content-type"] == ATOM
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and parsed.feed.title == COLUMN_NAME
    rels = {link["rel"]: link["href"] for link in parsed.feed.links}
    assert rels["self"].endswith(f"/portal/{COLUMN}/feed.atom")
    assert rels["alternate"].endswith(f"/portal/{COLUMN}")
    [entry] = parsed.entries
    assert (entry.id, entry.title, entry.link) == (f"urn:uuid:{story['id']}", title, url)
    assert entry.author == COLUMN_NAME and entry.published and entry.updated
    assert "UBND xã Đắk Ơ" in entry.summary
    assert "Quyết định số 215/QĐ-UBND" in entry.content[0].value


async def test_an_unpublished_story_is_never_public(publication, token):
    _, draft = await portal_story(publication, token)
    _, approved = await portal_story(publication, token, nominee=Nominee(
        kind="individual", name="Điểu Thị Lan", gender="female"))
    headers = auth(token(PORTAL_EDITOR))
    path = f"/stories/{approved['id']}"
    checked = await publication.client.post(f"{path}/fact-check", headers=headers, json={
        "confirmed": list(range(len(approved["claims"])))})
    assert checked.status_code == 200, checked.text
    assert (await publication.client.post(f"{path}/approve", headers=headers)).status_code \
        == 200

    for story in (draft, approved):
        page = await public(publication, f"/portal/{COLUMN}/stories/{story['id']}")
        assert page.status_code == 404 and "Không tìm thấy tin bài" in page.text
        assert story["title"] not in page.text
        assert_accessible(page.text)
    column = await public(publication, f"/portal/{COLUMN}")
    assert "Chuyên mục chưa có tin bài nào" in column.text
    assert "Nguyễn Thị Hoa" not in column.text and "Điểu Thị Lan" not in column.text
    feed = feedparser.parse((await public(publication, f"/portal/{COLUMN}/feed.atom")).content)
    assert not feed.bozo and feed.entries == []


async def test_a_revoked_decision_leaves_the_column_and_the_feed(publication, token):
    event, story = await portal_story(publication, token, nominee=Nominee(
        kind="individual", name="Trần Văn Ơn", gender="male"))
    published = await to_published(publication, token, story, PORTAL_EDITOR)
    column = await public(publication, f"/portal/{COLUMN}")
    assert published["title"] in column.text

    await publish(publication.runtime.settings.nats_url, revoked(event),
                  subject=event.nomination_id)

    async def gone() -> bool:
        page = await public(publication, f"/portal/{COLUMN}")
        return "Trần Văn Ơn" not in page.text

    await eventually(gone, what="the story off the column page")
    feed = feedparser.parse((await public(publication, f"/portal/{COLUMN}/feed.atom")).content)
    assert not feed.bozo and feed.entries == []
    page = await public(publication, f"/portal/{COLUMN}/stories/{story['id']}")
    # Its address was announced: it answers Gone, saying it was withdrawn, showing nothing.
    assert page.status_code == 410 and "Tin bài đã được gỡ" in page.text
    assert "Trần Văn Ơn" not in page.text and "Kê khai sai" not in page.text
    assert_accessible(page.text)


async def test_unknown_columns_other_channels_and_pages_are_not_found(publication, token):
    _, story = await portal_story(publication, token)
    await to_published(publication, token, story, PORTAL_EDITOR)
    missing = [f"/portal/{name}" for name in ("khong-co", "radio-huyen", "zalo-huyen")]
    missing += [f"/portal/{name}/feed.atom" for name in ("khong-co", "radio-huyen")]
    missing += [f"/portal/portal-nguoi-tot/stories/{story['id']}",  # another column
                f"/portal/radio-huyen/stories/{story['id']}",
                f"/portal/{COLUMN}/stories/{uuid.uuid4()}",
                f"/portal/{COLUMN}/stories/{story['id']}x"]
    for path in missing:
        response = await public(publication, path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert "Không tìm thấy" in response.text and '<html lang="vi">' in response.text
    for page in ("0", "2", "abc", "-1", "1e3", "٣"):
        response = await public(publication, f"/portal/{COLUMN}", page=page)
        assert response.status_code == 404, page


async def test_markup_in_a_title_is_shown_as_text(publication, token):
    _, story = await portal_story(publication, token)
    headers = auth(token(PORTAL_EDITOR))
    title = "<script>alert('x')</script> Bà Nguyễn Thị Hoa & <b>Đắk Ơ</b>"
    edited = await publication.client.patch(
        f"/stories/{story['id']}", headers={**headers, "If-Match": story["etag"]},
        json={"title": title, "body": "Đoạn một <img src=x onerror=alert(1)>.\n- ý <i>hai</i>"})
    assert edited.status_code == 200, edited.text
    published = await to_published(publication, token, edited.json(), PORTAL_EDITOR)

    for path in (f"/portal/{COLUMN}", f"/portal/{COLUMN}/stories/{story['id']}"):
        page = (await public(publication, path)).text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page, path
        assert "<script" not in page and "<b>Đắk" not in page and "&amp; &lt;b&gt;" in page
        assert "<img" not in page and "<i>" not in page
    feed = await public(publication, f"/portal/{COLUMN}/feed.atom")
    assert b"<script" not in feed.content and b"&lt;script&gt;" in feed.content
    [entry] = feedparser.parse(feed.content).entries
    assert entry.title == title and entry.link == published["url"]


async def test_the_column_pages_newest_first_with_vietnam_dates(publication):
    """Stories written straight to the table: the reading side alone, many at once."""
    from publication.stories.store import Story

    first = datetime(2024, 12, 31, 18, 30, tzinfo=UTC)  # 01/01/2025 in Vietnam
    async with publication.runtime.uow() as uow:
        for n in range(23):
            status = {21: "approved", 22: "withdrawn"}.get(n, "published")
            uow.session.add(Story(
                id=str(uuid.uuid4()), channel_id=COLUMN, channel_kind="portal_column",
                source="decided", source_id=str(uuid.uuid4()), nomination_id=None,
                unit_id="xa-dak-o", unit_name="UBND xã Đắk Ơ", year=2024, nominee={},
                claims=[], title=f"Tin số {n:02d}", body="Nội dung.", status=status,
                published_at=first + timedelta(days=n) if status != "approved" else None,
                withdrawn_at=first + timedelta(days=30) if status == "withdrawn" else None,
                created_at=first))
        await uow.commit()

    one = (await public(publication, f"/portal/{COLUMN}")).text
    two = (await public(publication, f"/portal/{COLUMN}", page="2")).text
    titles = [f"Tin số {n:02d}" for n in range(20, -1, -1)]  # 21 published, newest first
    assert [t for t in titles if t in one] == titles[:20]
    assert [t for t in titles if t in two] == titles[20:] == ["Tin số 00"]
    assert "Tin số 21" not in one + two and "Tin số 22" not in one + two
    assert "01/01/2025" in two and "rel=\"next\"" in one and "rel=\"prev\"" in two
    assert (await public(publication, f"/portal/{COLUMN}", page="3")).status_code == 404
    parsed = feedparser.parse((await public(publication, f"/portal/{COLUMN}/feed.atom")).content)
    assert [e.title for e in parsed.entries] == titles
    # The feed changed last when story 22 was taken down.
    assert parsed.feed.updated.startswith((first + timedelta(days=30)).date().isoformat())


async def test_the_url_a_published_story_gives_is_its_portal_page(publication, token):
    _, story = await portal_story(publication, token)
    await to_published(publication, token, story, PORTAL_EDITOR)
    read = await publication.client.get(f"/stories/{story['id']}",
                                        headers=auth(token("noi-vu.head")))
    assert read.status_code == 200, read.text
    url = read.json()["url"]
    assert url.startswith(publication.runtime.settings.public_base_url)
    page = await public(publication, httpx.URL(url).path)
    assert page.status_code == 200, url
    assert f"<h1>{read.json()['title']}</h1>" in page.text


async def test_addresses_that_are_not_ids_find_no_page(publication, token):
    _, story = await portal_story(publication, token)
    await to_published(publication, token, story, PORTAL_EDITOR)
    for path in (f"/portal/{COLUMN}/stories/a%00b", f"/portal/{COLUMN}/stories/{'a' * 101}",
                 f"/portal/{COLUMN}/stories/{story['id']}%0A", "/portal/a%00b",
                 "/portal/a%00b/feed.atom", f"/portal/a%00b/stories/{story['id']}"):
        response = await public(publication, path)
        assert response.status_code == 404, (path, response.text)
        assert response.headers["content-type"].startswith("text/html"), path
        assert "Không tìm thấy" in response.text
