"""Social delivery: a story published on a page's channel goes out to the page's receiver
(a webhook, or a relay to the platform's API), retried with backoff, every attempt logged.

`enqueue` is called by the publish path; the worker (worker.py) does the sending, so
publishing never waits for a page."""

from __future__ import annotations

import uuid

from exemplar.uow import UnitOfWork, now

from ..stories.store import Story
from .domain import DELIVERED_KINDS, Ds
from .store import Delivery


def enqueue(uow: UnitOfWork, story: Story) -> None:
    """In the publishing transaction: a delivery for a story on a page's channel. Where it
    goes, and whether it fits the page, is settled by the worker from the deployment's
    settings and the profile, so a corrected address serves the deliveries still waiting."""
    if story.channel_kind not in DELIVERED_KINDS:
        return
    at = now()
    uow.session.add(Delivery(id=str(uuid.uuid4()), story_id=story.id,
                             channel_id=story.channel_id, status=Ds.pending, attempts=0,
                             next_attempt_at=at, created_at=at, updated_at=at))
