"""Load what the projections know of one nomination (or one story) as `derive` wants it."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.clock import VIETNAM

from .derive import Facts, Story, Subject
from .store import (
    DecisionFact,
    EscalationFact,
    NominationFact,
    RevocationFact,
    StoryFact,
    WithdrawalFact,
)


async def _one(session: AsyncSession, model, nomination_id: str):
    return (await session.execute(select(model).where(
        model.nomination_id == nomination_id).execution_options(populate_existing=True))
    ).scalar_one_or_none()


def _subject(row, *, award: str | None) -> Subject:
    return Subject(year=row.year, unit_id=row.unit_id, field=row.field,
                   nominee_kind=row.nominee_kind, gender=row.gender, ethnicity=row.ethnicity,
                   commendation_kind=row.commendation_kind, award=award)


def _story(row: StoryFact) -> Story:
    published = row.published_at
    return Story(story_id=row.story_id, channel_id=row.channel_id,
                 channel_kind=row.channel_kind, unit_id=row.unit_id, year=row.year,
                 live=published is not None and row.withdrawn_at is None,
                 published_on=published.astimezone(VIETNAM).date() if published else None)


async def facts_of(session: AsyncSession, nomination_id: str) -> Facts:
    nomination = await _one(session, NominationFact, nomination_id)
    decision = await _one(session, DecisionFact, nomination_id)
    revocation = await _one(session, RevocationFact, nomination_id)
    escalation = await _one(session, EscalationFact, nomination_id)
    stories = (await session.execute(select(StoryFact).where(
        StoryFact.nomination_id == nomination_id).execution_options(populate_existing=True))
    ).scalars().all()
    facts = Facts(stories=[_story(s) for s in stories])
    if nomination is not None:
        facts.submitted = _subject(nomination, award=nomination.proposed_award)
        facts.withdrawn = await _one(session, WithdrawalFact, nomination_id) is not None
    if decision is not None:
        facts.decided = replace(_subject(decision, award=decision.award),
                                signed_on=decision.signed_on)
        facts.outcome, facts.decision_number = decision.outcome, decision.decision_number
    if revocation is not None:
        facts.revoked_number = revocation.decision_number
    if escalation is not None:
        # Only a decided exemplar is escalated: its commendation kind is the decision's.
        kind = facts.decided.commendation_kind if facts.decided else "regular"
        facts.escalated = Subject(
            year=escalation.year, unit_id=escalation.unit_id, field=escalation.field,
            nominee_kind=escalation.nominee_kind, gender=escalation.gender,
            ethnicity=escalation.ethnicity, commendation_kind=kind,
            award=escalation.proposed_award)
        facts.escalated_on = escalation.escalated_on
    return facts


async def story(session: AsyncSession, story_id: str) -> Story | None:
    row = (await session.execute(select(StoryFact).where(StoryFact.story_id == story_id)
                                 .execution_options(populate_existing=True))
           ).scalar_one_or_none()
    return None if row is None else _story(row)
