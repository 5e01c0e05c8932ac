"""Publishing or withdrawing a story continues the trace of the decision it was drafted from
(which review sent in the nomination's trace), whichever request or event does it."""

from __future__ import annotations

from ..traces import publish_traced, sent_in
from .steps import PORTAL_EDITOR, decided, revoked, stories_of, to_published
from .test_stories import MATCHING, PUBLISHED, WITHDRAWN


async def test_a_storys_published_and_withdrawn_events_carry_the_decisions_trace(
        publication, token):
    url = publication.runtime.settings.nats_url
    event = decided()
    trace, span = await publish_traced(url, event, subject=event.nomination_id,
                                       source="review")
    stories = await stories_of(publication, token, event.nomination_id, expect=len(MATCHING))
    portal = next(s for s in stories if s["channel_id"] == "portal-guong-dien-hinh")
    await to_published(publication, token, portal, PORTAL_EDITOR)
    [(story, published_in)] = await sent_in(url, PUBLISHED)
    assert story["data"]["story_id"] == portal["id"]
    assert published_in[0] == trace and published_in[1] != span

    # The revocation comes in a trace of its own; the withdrawal stays in the story's.
    revocation_trace, _ = await publish_traced(url, revoked(event),
                                               subject=event.nomination_id, source="review")
    [(withdrawal, withdrawn_in)] = await sent_in(url, WITHDRAWN)
    assert withdrawal["data"]["story_id"] == portal["id"]
    assert withdrawn_in[0] == trace != revocation_trace
    assert withdrawn_in[1] not in (span, published_in[1])
