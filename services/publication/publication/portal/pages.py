"""The portal's HTML pages, from templates escaped by default (Jinja2 autoescape): a title or
body with markup in it shows as text, never runs. Every page has lang="vi", a skip link and
header / main / footer landmarks, and reads in order without CSS."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from exemplar.clock import VIETNAM
from exemplar.profile import Channel

from ..stories.domain import decision_line
from ..stories.store import Story


def nfc(value: Any) -> Any:
    """Vietnamese is shown composed (NFC), whatever form it was typed in."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def vn_date(at: datetime | None) -> str:
    """dd/mm/yyyy in Vietnam time: a story published at 23:30 UTC is dated the next day."""
    return at.astimezone(VIETNAM).strftime("%d/%m/%Y") if at else ""


def vn_iso(at: datetime) -> str:
    """The same moment for a <time datetime=…>, in the zone the date is printed in."""
    return at.astimezone(VIETNAM).isoformat(timespec="seconds")


ENV = Environment(loader=PackageLoader("publication.portal", "templates"),
                  autoescape=select_autoescape(default=True), undefined=StrictUndefined,
                  finalize=nfc, trim_blocks=True, lstrip_blocks=True)
ENV.filters.update(vn_date=vn_date, vn_iso=vn_iso)


@dataclass(frozen=True)
class Block:
    """A paragraph, or a list made of the body's "- " lines."""

    kind: str  # "p" or "ul"
    lines: tuple[str, ...]


def blocks(body: str) -> list[Block]:
    out: list[Block] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- "):
            item = line[2:].strip()
            if out and out[-1].kind == "ul":
                out[-1] = Block("ul", (*out[-1].lines, item))
            else:
                out.append(Block("ul", (item,)))
        else:
            out.append(Block("p", (line,)))
    return out


def rests_on(story: Story) -> str | None:
    """The decision the story rests on, as its claims were checked against it."""
    bases = [c.get("basis") for c in story.claims if c.get("basis")]
    return bases[0] if bases else decision_line(story.decision)


@dataclass(frozen=True)
class Site:
    """The portal's name and its absolute addresses under the public base, the same as the
    published stories' URLs (stories.api.story_url)."""

    name: str
    base: str

    def home(self) -> str:
        return f"{self.base}/portal"

    def column(self, channel_id: str, page: int = 1) -> str:
        return f"{self.base}/portal/{channel_id}" + (f"?page={page}" if page > 1 else "")

    def feed(self, channel_id: str) -> str:
        return f"{self.base}/portal/{channel_id}/feed.atom"

    def story(self, story: Story) -> str:
        return f"{self.base}/portal/{story.channel_id}/stories/{story.id}"


def render_home(*, site: Site, columns: list[Channel]) -> str:
    return ENV.get_template("home.html").render(site=site, columns=columns)


def render_column(*, site: Site, column: Channel, stories: list[Story], page: int,
                  pages: int, total: int) -> str:
    return ENV.get_template("column.html").render(
        site=site, column=column, stories=stories, page=page, pages=pages,
        total=total)


def render_story(*, site: Site, column: Channel, story: Story) -> str:
    return ENV.get_template("story.html").render(
        site=site, column=column, story=story, blocks=blocks(story.body),
        rests_on=rests_on(story))


def render_notice(*, site: Site, title: str, message: str,
                  column: Channel | None = None) -> str:
    """A 404 or 410 page, in Vietnamese, with a way back."""
    return ENV.get_template("notice.html").render(site=site, title=title,
                                                  message=message, column=column)
