"""Periodic work of social: the delivery worker, and the scheduler that publishes scheduled
stories (kept here because main.py collects periodic work from the feature packages)."""

from exemplar.runtime import Background, periodic

from ..stories import scheduler
from . import worker

BACKGROUND: list[Background] = [
    # Its own loop rather than `periodic`: sends outlive one poll, and it keeps them in hand.
    worker.deliver,
    periodic(scheduler.publish_due, every=lambda runtime: runtime.settings.scheduler_poll_seconds),
]
