"""Social delivery: a story published on a page's channel goes out to the page's receiver
(a webhook, or a relay to the platform's API), retried with backoff, every attempt logged;
when it is withdrawn, its retraction follows the same way.

`enqueue` is called by the publish path and `enqueue_withdrawal` by the withdrawal path; the
worker (worker.py) does the sending, so neither waits for a page."""

from __future__ import annotations

import uuid

from exemplar.uow import UnitOfWork, now

from ..stories.store import Story
from .domain import DELIVERED_KINDS, Action, Ds
from .store import Delivery


def _add(uow: UnitOfWork, story: Story, action: Action) -> None:
    if story.channel_kind not in DELIVERED_KINDS:
        return
    at = now()
    uow.session.add(Delivery(id=str(uuid.uuid4()), story_id=story.id, action=action,
                             channel_id=story.channel_id, status=Ds.pending, attempts=0,
                             next_attempt_at=at, created_at=at, updated_at=at))


def enqueue(uow: UnitOfWork, story: Story) -> None:
    """In the publishing transaction: a delivery for a story on a page's channel. Where it
    goes, and whether it fits the page, is settled by the worker from the deployment's
    settings and the profile, so a corrected address serves the deliveries still waiting."""
    _add(uow, story, Action.published)


def enqueue_withdrawal(uow: UnitOfWork, story: Story) -> None:
    """In the transaction withdrawing a story the public saw: its retraction to the same page.
    Whether the page ever got the story is settled by the worker when the story's own
    delivery is no longer in flight: a story never sent is not retracted."""
    _add(uow, story, Action.withdrawn)
