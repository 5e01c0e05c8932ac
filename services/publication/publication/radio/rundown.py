"""What a radio slot broadcasts, and for how long.

A channel broadcasts at its profile's slots ("05:00", "17:00", Vietnam time). Each slot owns
the instants since the slot before it (the last slot of the previous day for the first one):
a story scheduled at 12:00 airs at 17:00, one scheduled at 17:00 exactly airs then too.

The rundown of a slot is
- the channel's stories scheduled into that window (status scheduled, or published once their
  time came), in the order of their scheduled time; the editor chose them, so all air;
- else, when none is scheduled, a rerun: the latest stories published at or before the slot,
  newest first, each taken while it still fits the slot's running-time budget.

Each item's reading time is its title and body's word count (space-separated syllables, as
Vietnamese is written) read at the configured words per minute, rounded up to the second; the
slot's running time is their sum."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.clock import VIETNAM
from exemplar.errors import RuleViolation
from exemplar.profile.models import Channel

from ..stories.domain import St
from ..stories.store import Story

RADIO_KINDS = ("radio", "commune_radio")
SLOT = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# A broadcast asked for is within this many days of today, before or after: a rundown of any
# day costs a query and its audio a synthesis, and no station plans or replays further.
DAYS_AROUND = 400


def parse_slot(text: str) -> time | None:
    """'05:30' → 05:30; anything not HH:MM on a 24-hour clock → None."""
    match = SLOT.match(text)
    return time(int(match[1]), int(match[2])) if match else None


def slots_of(channel: Channel) -> list[time]:
    return sorted({t for t in map(parse_slot, channel.slots) if t is not None})


def slot_window(slots: list[time], day: date, slot: time) -> tuple[datetime, datetime]:
    """(start, end] in Vietnam time: from the previous slot (exclusive) to this one."""
    end = datetime.combine(day, slot, VIETNAM)
    earlier = [t for t in slots if t < slot]
    if earlier:
        return datetime.combine(day, earlier[-1], VIETNAM), end
    latest = max(slots) if slots else slot
    return datetime.combine(day - timedelta(days=1), latest, VIETNAM), end


def word_count(text: str) -> int:
    """Spoken words: a bullet's dash or a lone dash is not read."""
    return sum(1 for word in text.split() if any(c.isalnum() for c in word))


def reading_seconds(words: int, words_per_minute: int) -> int:
    return math.ceil(words * 60 / words_per_minute)


def within_budget(seconds: list[int], budget: int) -> list[int]:
    """Indexes of the items taken in order while each still fits what is left."""
    taken, used = [], 0
    for index, length in enumerate(seconds):
        if used + length <= budget:
            taken.append(index)
            used += length
    return taken


def check_request(channel: Channel, day: date, slot: str, *, today: date) -> time:
    """The slot asked for, or a 422 naming what is wrong."""
    if abs((day - today).days) > DAYS_AROUND:
        raise RuleViolation(f"Chỉ xem được buổi phát trong vòng {DAYS_AROUND} ngày trước "
                            f"hoặc sau hôm nay.",
                            fields={"date": f"phải trong vòng {DAYS_AROUND} ngày kể từ hôm nay"})
    slots = slots_of(channel)
    wanted = parse_slot(slot)
    if wanted is None or wanted not in slots:
        known = ", ".join(t.strftime("%H:%M") for t in slots) or "chưa có"
        raise RuleViolation(f"Kênh “{channel.name}” không có buổi phát lúc “{slot}”.",
                            fields={"slot": f"các buổi phát của kênh: {known}"})
    return wanted


@dataclass(frozen=True)
class Item:
    story: Story
    words: int
    seconds: int


@dataclass(frozen=True)
class Rundown:
    channel: Channel
    day: date
    slot: time
    window: tuple[datetime, datetime]
    selection: str  # "scheduled" or "rerun"
    items: list[Item]
    words_per_minute: int
    budget_seconds: int

    @property
    def running_seconds(self) -> int:
        return sum(item.seconds for item in self.items)


def _item(story: Story, words_per_minute: int) -> Item:
    words = word_count(story.title) + word_count(story.body)
    return Item(story, words, reading_seconds(words, words_per_minute))


async def rundown_of(session: AsyncSession, *, channel: Channel, day: date, slot: time,
                     words_per_minute: int, budget_seconds: int) -> Rundown:
    start, end = window = slot_window(slots_of(channel), day, slot)
    scheduled = list(await session.scalars(
        select(Story).where(Story.channel_id == channel.id,
                            Story.status.in_([St.scheduled, St.published]),
                            Story.scheduled_for > start, Story.scheduled_for <= end)
        .order_by(Story.scheduled_for, Story.id)))
    if scheduled:
        items = [_item(s, words_per_minute) for s in scheduled]
        return Rundown(channel, day, slot, window, "scheduled", items, words_per_minute,
                       budget_seconds)
    # A rerun never needs more stories than the budget holds at one second each.
    latest = list(await session.scalars(
        select(Story).where(Story.channel_id == channel.id, Story.status == St.published,
                            Story.published_at <= end)
        .order_by(Story.published_at.desc(), Story.id).limit(max(budget_seconds, 1))))
    candidates = [_item(s, words_per_minute) for s in latest]
    taken = within_budget([c.seconds for c in candidates], budget_seconds)
    return Rundown(channel, day, slot, window, "rerun", [candidates[i] for i in taken],
                   words_per_minute, budget_seconds)
