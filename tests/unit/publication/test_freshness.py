"""The gap arithmetic of a regular column: from the last publication, else from when the
column was first watched, overdue only once more than the maximum gap has elapsed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from publication.freshness.domain import Freshness, gap_of

AT = datetime(2025, 3, 31, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def test_a_column_published_within_its_gap_is_fresh():
    gap = gap_of(max_gap_days=30, last_published_at=AT - 10 * DAY,
                 first_seen_at=AT - 400 * DAY, at=AT)
    assert (gap.overdue, gap.status, gap.days_quiet) == (False, Freshness.fresh, 10)
    assert gap.runs_from == AT - 10 * DAY
    assert gap.overdue_since == AT + 20 * DAY


def test_a_column_quiet_longer_than_its_gap_is_overdue_since_the_gap_ran_out():
    gap = gap_of(max_gap_days=14, last_published_at=AT - 20 * DAY, first_seen_at=None, at=AT)
    assert (gap.overdue, gap.status, gap.days_quiet) == (True, Freshness.overdue, 20)
    assert gap.overdue_since == AT - 6 * DAY


def test_exactly_the_maximum_gap_is_not_yet_overdue():
    on_the_day = gap_of(max_gap_days=30, last_published_at=AT - 30 * DAY,
                        first_seen_at=None, at=AT)
    a_moment_later = gap_of(max_gap_days=30, last_published_at=AT - 30 * DAY,
                            first_seen_at=None, at=AT + timedelta(seconds=1))
    assert (on_the_day.overdue, a_moment_later.overdue) == (False, True)
    assert on_the_day.days_quiet == 30


def test_days_quiet_counts_whole_days_elapsed():
    gap = gap_of(max_gap_days=30, last_published_at=AT - timedelta(days=3, hours=23),
                 first_seen_at=None, at=AT)
    assert gap.days_quiet == 3


def test_a_column_never_published_runs_from_when_it_was_first_watched():
    young = gap_of(max_gap_days=30, last_published_at=None, first_seen_at=AT - 29 * DAY, at=AT)
    old = gap_of(max_gap_days=30, last_published_at=None, first_seen_at=AT - 31 * DAY, at=AT)
    assert (young.overdue, old.overdue) == (False, True)
    assert old.runs_from == AT - 31 * DAY


def test_a_column_never_watched_starts_its_gap_now_not_at_the_epoch():
    gap = gap_of(max_gap_days=30, last_published_at=None, first_seen_at=None, at=AT)
    assert (gap.runs_from, gap.days_quiet, gap.overdue) == (AT, 0, False)


def test_the_last_publication_wins_over_the_first_sight():
    gap = gap_of(max_gap_days=30, last_published_at=AT - 5 * DAY,
                 first_seen_at=AT - 2 * DAY, at=AT)
    assert gap.runs_from == AT - 5 * DAY


def test_a_publication_stamped_after_the_clock_is_no_negative_gap():
    gap = gap_of(max_gap_days=30, last_published_at=AT + DAY, first_seen_at=None, at=AT)
    assert (gap.days_quiet, gap.overdue) == (0, False)


def test_a_new_publication_opens_a_new_gap():
    first = gap_of(max_gap_days=30, last_published_at=AT - 40 * DAY, first_seen_at=None, at=AT)
    after = gap_of(max_gap_days=30, last_published_at=AT - DAY, first_seen_at=None, at=AT)
    assert first.runs_from != after.runs_from
    assert (first.overdue, after.overdue) == (True, False)
