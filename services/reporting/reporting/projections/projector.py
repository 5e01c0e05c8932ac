"""Projectors: each event writes its fact, and the tallies move by what its nomination counts
for after the fact minus what it counted for before. The same code serves the live consumers
and a replay from the stream."""

from __future__ import annotations

import json

from opentelemetry import propagate, trace
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.events import (
    CaseAppraisedV1,
    CaseDecidedV1,
    CasePostedV1,
    CaseReturnedV1,
    DecisionRevokedV1,
    Envelope,
    Event,
    ExemplarEscalatedV1,
    NominationSubmittedV1,
    NominationWithdrawnV1,
    StoryPublishedV1,
    StoryWithdrawnV1,
)

from . import facts as loaded
from .derive import TallyKey, nomination_keys, story_keys
from .store import (
    DecisionFact,
    EscalationFact,
    NominationFact,
    ProjectionLock,
    RevocationFact,
    StoryFact,
    Tally,
    TimelineEntry,
    WithdrawalFact,
)
from .upsert import add_counts, insert_missing

# Every event reporting reads; the ones about a nomination also go to its timeline.
EVENTS: tuple[type[Event], ...] = (
    NominationSubmittedV1, NominationWithdrawnV1, CaseReturnedV1, CaseAppraisedV1,
    CasePostedV1, CaseDecidedV1, ExemplarEscalatedV1, DecisionRevokedV1, StoryPublishedV1,
    StoryWithdrawnV1,
)  # fmt: skip


def trace_id_of(headers: dict[str, str]) -> str | None:
    """The trace an event was sent in, from its `traceparent` header: the same id whether it
    is read live or replayed (an event sent without one has none)."""
    context = trace.get_current_span(propagate.extract(headers)).get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


async def project(session: AsyncSession, envelope: Envelope, event: Event, *,
                  trace_id: str | None) -> None:
    nomination_id = getattr(event, "nomination_id", None)
    # A story counts on its own (a nomination's two stories are two stories) and its
    # nomination counts as publicised or not: an event of a story moves both.
    story_id = getattr(event, "story_id", None)
    record = _RECORDERS.get(type(event))
    if record is not None:  # locked before anything is written (see replay.exclusive)
        for key in (nomination_id, story_id and f"story:{story_id}"):  # always this order
            if key:
                await _lock(session, key)
    if nomination_id:
        await insert_missing(session, TimelineEntry, dict(
            event_id=envelope.id, nomination_id=nomination_id, type=envelope.type,
            source=envelope.source, time=envelope.time, trace_id=trace_id,
            correlation_id=envelope.correlationid, causation_id=envelope.causationid,
            data=json.dumps(envelope.data, ensure_ascii=False)))
    if record is None:
        return  # a timeline-only event

    async def counted() -> set[TallyKey]:
        keys: set[TallyKey] = set()
        if nomination_id:
            keys |= nomination_keys(await loaded.facts_of(session, nomination_id))
        if story_id:
            keys |= story_keys(await loaded.story(session, story_id))
        return keys

    before = await counted()
    await record(session, envelope, event)
    await move(session, before, await counted())


async def _lock(session: AsyncSession, key: str) -> None:
    """Taken before the facts are read: a concurrent event of the same nomination waits
    here, then reads facts that include this one's."""
    await insert_missing(session, ProjectionLock, {"key": key})
    await session.execute(select(ProjectionLock.key).where(ProjectionLock.key == key)
                          .with_for_update())


async def move(session: AsyncSession, before: set[TallyKey], after: set[TallyKey]) -> None:
    """The tallies hold the sum of what every nomination counts for (`derive`): a new fact
    moves them by the difference between what its nomination counted for before and after."""
    changes = [(k, 1) for k in after - before] + [(k, -1) for k in before - after]
    if not changes:
        return  # a duplicate, or a fact that changes no figure
    changes.sort()  # one order for every transaction: no deadlock between them
    await add_counts(session, Tally, [{**k._asdict(), "count": d} for k, d in changes],
                     keys=["year", "unit_id", "measure", "dimension", "value"])


def _nominee(event: NominationSubmittedV1 | CaseDecidedV1) -> dict:
    n = event.nominee
    return dict(unit_id=event.unit_id, unit_name=event.unit_name, year=event.year,
                field=event.field, nominee_kind=n.kind, nominee_name=n.name, gender=n.gender,
                ethnicity=n.ethnicity, commendation_kind=event.commendation_kind)


async def _submitted(session, envelope, e: NominationSubmittedV1) -> None:
    values = dict(**_nominee(e), revision=e.revision, unit_kind=e.unit_kind,
                  proposed_award=e.proposed_award)
    await insert_missing(session, NominationFact, dict(
        nomination_id=e.nomination_id, submitted_at=e.submitted_at, **values))
    await session.execute(update(NominationFact).where(
        NominationFact.nomination_id == e.nomination_id,
        NominationFact.revision < e.revision).values(**values))
    await session.execute(update(NominationFact).where(
        NominationFact.nomination_id == e.nomination_id,
        NominationFact.submitted_at > e.submitted_at).values(submitted_at=e.submitted_at))


async def _withdrawn(session, envelope, e: NominationWithdrawnV1) -> None:
    await insert_missing(session, WithdrawalFact, dict(
        nomination_id=e.nomination_id, revision=e.revision, reason=e.reason,
        withdrawn_at=envelope.time))


async def _decided(session, envelope, e: CaseDecidedV1) -> None:
    decision = e.decision
    values = dict(**_nominee(e), case_id=e.case_id, revision=e.revision, unit_kind=e.unit_kind,
                  outcome=e.outcome, award=e.award, award_name=e.award_name,
                  decision_number=decision.number if decision else None,
                  signed_on=decision.signed_on if decision else None,
                  signer=decision.signer if decision else None, fast_track=e.fast_track,
                  decided_at=envelope.time)
    await insert_missing(session, DecisionFact, dict(nomination_id=e.nomination_id, **values))
    await session.execute(update(DecisionFact).where(
        DecisionFact.nomination_id == e.nomination_id,
        DecisionFact.revision < e.revision).values(**values))


async def _revoked(session, envelope, e: DecisionRevokedV1) -> None:
    await insert_missing(session, RevocationFact, dict(
        nomination_id=e.nomination_id, decision_number=e.decision_number, reason=e.reason,
        revocation_number=e.revocation.number, revoked_on=e.revocation.signed_on))


async def _escalated(session, envelope, e: ExemplarEscalatedV1) -> None:
    await insert_missing(session, EscalationFact, dict(
        nomination_id=e.nomination_id, unit_id=e.unit_id, unit_name=e.unit_name, year=e.year,
        field=e.field, nominee_kind=e.nominee.kind, nominee_name=e.nominee.name,
        gender=e.nominee.gender, ethnicity=e.nominee.ethnicity, proposed_award=e.proposed_award,
        escalated_on=e.escalated_on))


async def _published(session, envelope, e: StoryPublishedV1) -> None:
    values = dict(channel_kind=e.channel_kind, good_deed_id=e.good_deed_id, title=e.title,
                  url=e.url, published_at=e.published_at)
    await insert_missing(session, StoryFact, dict(
        story_id=e.story_id, channel_id=e.channel_id, unit_id=e.unit_id, year=e.year,
        nomination_id=e.nomination_id, **values))
    await session.execute(update(StoryFact).where(
        StoryFact.story_id == e.story_id, StoryFact.published_at.is_(None)).values(**values))


async def _story_withdrawn(session, envelope, e: StoryWithdrawnV1) -> None:
    await insert_missing(session, StoryFact, dict(
        story_id=e.story_id, channel_id=e.channel_id, unit_id=e.unit_id, year=e.year,
        nomination_id=e.nomination_id, url=e.url))
    await session.execute(update(StoryFact).where(
        StoryFact.story_id == e.story_id, StoryFact.withdrawn_at.is_(None)).values(
        withdrawn_at=e.withdrawn_at, withdrawn_reason=e.reason))


_RECORDERS = {
    NominationSubmittedV1: _submitted, NominationWithdrawnV1: _withdrawn,
    CaseDecidedV1: _decided, DecisionRevokedV1: _revoked, ExemplarEscalatedV1: _escalated,
    StoryPublishedV1: _published, StoryWithdrawnV1: _story_withdrawn,
}  # fmt: skip
