"""When a retraction goes out, and how many sends one page may hold."""

from __future__ import annotations

from publication.social.domain import Ds, Step, retraction_step
from publication.social.worker import channel_cap


def step(status: str | None, attempts: int = 0, logged: int = 0, busy: bool = False):
    return retraction_step(status=status, attempts=attempts, logged=logged, busy=busy)


def test_a_story_the_page_may_have_is_retracted():
    assert step(Ds.delivered, attempts=1, logged=1) == (Step.send, False)
    # A failed or timed-out attempt proves nothing about what the page did with it.
    assert step(Ds.failed, attempts=3, logged=3) == (Step.send, False)


def test_a_story_never_sent_needs_no_retraction():
    assert step(None) == (Step.not_needed, False)
    for ended in (Ds.skipped, Ds.refused, Ds.cancelled):
        assert step(ended) == (Step.not_needed, False)
    assert step(Ds.pending) == (Step.not_needed, True)  # and it is never sent


def test_a_retraction_waits_for_the_attempt_in_flight_and_stops_a_retry():
    assert step(Ds.pending, attempts=2, logged=1) == (Step.wait, False)
    assert step(Ds.pending, attempts=1, logged=1) == (Step.send, True)
    assert step(Ds.delivered, attempts=1, logged=1, busy=True) == (Step.wait, False)


def test_one_page_never_holds_every_slot():
    assert [channel_cap(n) for n in (1, 2, 3, 8, 256)] == [1, 1, 2, 2, 2]
