"""The retraction of a withdrawn story: what the page is told, and when it may be told.

It names the story by its id (the page has it from the story's own delivery, whose payload
carries it too), since a story off the portal has no URL to name it by."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..stories.store import Story
from . import store
from .domain import Action, Ds, Step, retraction_step

CANCELLED = "Tin bài đã gỡ trước khi gửi."
CANCELLED_RETRY = "Tin bài đã gỡ trước khi gửi lại."
NOT_NEEDED = "Trang chưa từng được gửi tin bài này, không cần gỡ."


def payload_of(story: Story) -> dict[str, Any]:
    withdrawn_at = story.withdrawn_at.isoformat() if story.withdrawn_at else None
    return {"action": Action.withdrawn.value, "story_id": story.id, "url": story.url,
            "channel": story.channel_id, "reason": story.withdrawn_reason,
            "withdrawn_at": withdrawn_at}


def ready(delivery: store.Delivery, publication: store.Publication | None, *, at: datetime,
          wait: timedelta) -> bool:
    """Whether the retraction goes out now; else it is ended here (never needed) or put off
    by `wait`. The story's delivery, if it was only waiting for a retry, is cancelled here:
    that retry must not post what is being taken down."""
    story_delivery = publication.delivery if publication else None
    step, cancel = retraction_step(
        status=story_delivery.status if story_delivery else None,
        attempts=story_delivery.attempts if story_delivery else 0,
        logged=publication.logged if publication else 0,
        busy=publication.busy if publication else False)
    if cancel and story_delivery is not None:
        story_delivery.status = Ds.cancelled
        story_delivery.reason = CANCELLED_RETRY if story_delivery.attempts else CANCELLED
        story_delivery.updated_at = at
    if step == Step.wait:
        delivery.next_attempt_at = at + wait
        return False
    if step == Step.not_needed:
        delivery.status, delivery.reason = Ds.not_needed, NOT_NEEDED
        return False
    return True
