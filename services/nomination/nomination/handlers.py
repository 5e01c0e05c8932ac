"""Events the nomination service consumes (review outcomes arrive with the review issue)."""

from __future__ import annotations

from exemplar.events import Event
from exemplar.inbox import EventHandler

SUBSCRIPTIONS: dict[type[Event], EventHandler] = {}
