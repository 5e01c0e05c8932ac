"""The Atom 1.0 feed of a portal column, written by feedgen: ids, dates and escaping as the
format wants them, not by hand."""

from __future__ import annotations

import uuid
from datetime import datetime

from feedgen.feed import FeedGenerator

from exemplar.profile import Channel
from exemplar.uow import now

from ..stories.store import Story
from .pages import Site, blocks, nfc, rests_on

LATEST = 50
# Feed ids stay the same when the portal moves to another address.
FEED_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:exemplar:portal-column")


def feed_id(profile_id: str, channel_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, f'{profile_id}/{channel_id}')}"


def _summary(story: Story) -> str:
    first = next(iter(blocks(story.body)), None)
    return nfc(first.lines[0] if first else story.title)


def _content(story: Story) -> str:
    lines = [line for block in blocks(story.body) for line in
             (block.lines if block.kind == "p" else [f"– {item}" for item in block.lines])]
    basis = rests_on(story)
    return nfc("\n\n".join([*lines, *([f"Căn cứ: {basis}"] if basis else [])]))


def atom(*, profile_id: str, column: Channel, stories: list[Story], site: Site,
         updated: datetime | None) -> bytes:
    """The column's latest published stories, newest first, as UTF-8 Atom."""
    fg = FeedGenerator()
    fg.id(feed_id(profile_id, column.id))
    fg.title(nfc(column.name))
    fg.language("vi")
    fg.author({"name": column.name})
    fg.link(href=site.feed(column.id), rel="self", type="application/atom+xml")
    fg.link(href=site.column(column.id), rel="alternate", type="text/html")
    fg.updated(updated or now())
    for story in stories:
        entry = fg.add_entry(order="append")
        entry.id(f"urn:uuid:{story.id}")
        entry.title(nfc(story.title))
        entry.link(href=site.story(story), rel="alternate", type="text/html")
        entry.published(story.published_at)
        entry.updated(story.published_at)  # a published story is never edited, only withdrawn
        entry.author({"name": column.name})
        entry.summary(_summary(story))
        entry.content(_content(story), type="text")
    return fg.atom_str(pretty=True, encoding="UTF-8")
