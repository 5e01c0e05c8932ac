"""Events produced by the publication service."""

from __future__ import annotations

from datetime import datetime

from .envelope import Event


class StoryPublishedV1(Event):
    type = "exemplar.publication.published.v1"
    story_id: str
    channel_id: str
    channel_kind: str
    unit_id: str
    year: int
    nomination_id: str | None = None
    good_deed_id: str | None = None
    title: str
    url: str | None = None
    published_at: datetime


class StoryWithdrawnV1(Event):
    type = "exemplar.publication.withdrawn.v1"
    story_id: str
    channel_id: str
    unit_id: str
    year: int
    nomination_id: str | None = None
    url: str | None = None
    reason: str
    withdrawn_at: datetime


class ColumnOverdueV1(Event):
    type = "exemplar.publication.column_overdue.v1"
    channel_id: str
    channel_name: str
    max_gap_days: int
    last_published_at: datetime | None = None
    overdue_since: datetime
