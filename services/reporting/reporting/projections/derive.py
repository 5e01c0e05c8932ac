"""What one nomination counts for, derived from its facts alone (so the order the events came
in never matters). Pure: no database, no bus."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import NamedTuple

POSITIVE = ("recognised", "commended")
UNKNOWN = ""  # a dimension the event did not carry (a collective's gender)


class TallyKey(NamedTuple):
    year: int
    unit_id: str
    measure: str
    dimension: str
    value: str


@dataclass(frozen=True)
class Subject:
    """Who and what a fact is about, as the tallies break it down."""

    year: int
    unit_id: str
    field: str
    nominee_kind: str
    gender: str | None
    ethnicity: str | None
    commendation_kind: str
    award: str | None
    signed_on: date | None = None  # the decision's, for the bonus line


@dataclass(frozen=True)
class Story:
    story_id: str
    channel_id: str
    channel_kind: str | None
    unit_id: str
    year: int
    live: bool  # published and not withdrawn
    published_on: date | None = None  # in Vietnam


@dataclass
class Facts:
    submitted: Subject | None = None
    withdrawn: bool = False
    decided: Subject | None = None
    outcome: str | None = None
    decision_number: str | None = None
    revoked_number: str | None = None
    escalated: Subject | None = None
    escalated_on: date | None = None
    stories: list[Story] = field(default_factory=list)

    @property
    def revoked(self) -> bool:
        # A revocation names the decision it undoes; one for an earlier decision stays there.
        return self.revoked_number is not None and (
            self.decision_number is None or self.revoked_number == self.decision_number)

    @property
    def commended(self) -> bool:
        return self.decided is not None and self.outcome in POSITIVE and not self.revoked


def _breakdown(subject: Subject, measure: str, *, with_award: bool = True,
               day: date | None = None) -> set[TallyKey]:
    pairs = [("all", ""), ("field", subject.field), ("nominee_kind", subject.nominee_kind),
             ("gender", subject.gender or UNKNOWN), ("ethnicity", subject.ethnicity or UNKNOWN),
             ("commendation_kind", subject.commendation_kind)]
    if with_award and subject.award:
        pairs.append(("award", subject.award))
    if measure == "commended" and subject.award:
        pairs.append(("grant", grant(subject.award, subject.nominee_kind, subject.signed_on)))
    if day is not None:  # a quota judged on a date counts only what happened by then
        pairs.append(("day", day.isoformat()))
    return {TallyKey(subject.year, subject.unit_id, measure, d, v) for d, v in pairs}


def grant(award: str, nominee_kind: str, signed_on: date | None) -> str:
    """What a budget's bonus line prices: which award, to whom, signed on which day."""
    return f"{award}|{nominee_kind}|{signed_on.isoformat() if signed_on else ''}"


def parse_grant(value: str) -> tuple[str, str, date | None]:
    award, kind, day = value.split("|")
    return award, kind, date.fromisoformat(day) if day else None


def nomination_keys(facts: Facts) -> set[TallyKey]:
    """submitted / withdrawn from the nomination; commended / rejected / revoked from the
    decision; publicised = commended with at least one story still up; escalated = selected
    for the province and not revoked. Stories count one by one (`story_keys`): as keys of
    the nomination, two stories on one channel would count once."""
    keys: set[TallyKey] = set()
    if facts.submitted is not None:
        keys |= _breakdown(facts.submitted, "withdrawn" if facts.withdrawn else "submitted")
    decided = facts.decided
    if decided is not None:
        if facts.commended:
            keys |= _breakdown(decided, "commended")
        elif facts.outcome in POSITIVE:
            keys |= _breakdown(decided, "revoked")
        else:
            keys |= _breakdown(decided, "rejected", with_award=False)
    live = [s for s in facts.stories if s.live]
    if decided is not None and facts.commended and live:
        # Publicised in the year, and on the day, its first story still up went out: what
        # the quota of that year counts (a title of 2024 decided in January 2025 and
        # published then counts for 2025).
        first = min((s.published_on for s in live if s.published_on), default=None)
        when = replace(decided, year=first.year) if first else decided
        keys |= _breakdown(when, "publicised", day=first)
        keys |= {TallyKey(when.year, when.unit_id, "publicised", "channel", s.channel_id)
                 for s in live}
        keys |= {TallyKey(when.year, when.unit_id, "publicised", "channel_kind",
                          s.channel_kind) for s in live if s.channel_kind}
    if facts.escalated is not None and not facts.revoked:
        day = facts.escalated_on
        when = replace(facts.escalated, year=day.year) if day else facts.escalated
        keys |= _breakdown(when, "escalated", day=day)
    return keys


def story_keys(story: Story | None) -> set[TallyKey]:
    """stories = each story still up, by channel, in the year it was published."""
    if story is None or not story.live:
        return set()
    year = story.published_on.year if story.published_on else story.year
    keys = {TallyKey(year, story.unit_id, "stories", "all", ""),
            TallyKey(year, story.unit_id, "stories", "channel", story.channel_id)}
    if story.channel_kind:
        keys.add(TallyKey(year, story.unit_id, "stories", "channel_kind", story.channel_kind))
    return keys
