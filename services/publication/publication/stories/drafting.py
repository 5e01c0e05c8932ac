"""Drafts written from events: one per channel whose subscription matches, once."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.exc import IntegrityError

from exemplar.events import CaseDecidedV1, ExemplarEscalatedV1, GoodDeedReportedV1
from exemplar.profile import Profile
from exemplar.tracing import delivered_trace
from exemplar.uow import UnitOfWork, now

from . import store
from .domain import Facts, St, claims_of, decision_line, draft_text, honorific

log = logging.getLogger(__name__)


def _granting_unit(profile: Profile, award: str | None, unit_id: str) -> str | None:
    """The unit whose head signed the decision: the one granting the award to this unit's
    nominee. Unknown (no award, or none grants it here), it is left out, never guessed."""
    if not award:
        return None
    try:
        return profile.grantor_of(award, unit_id).name
    except KeyError:
        return None


async def _draft(uow: UnitOfWork, profile: Profile, *, source: str, source_id: str,
                 unit_id: str, field: str | None, facts: Facts, **row) -> list[store.Story]:
    """A draft on each subscribed channel that has none for this source yet."""
    # A deed without a field reaches only the channels that take every field.
    channels = profile.subscribers(unit_id, field or "", source)
    existing = {s.channel_id for s in await store.by_source(uow.session, source=source,
                                                             source_id=source_id)}
    title, body = draft_text(facts, source)
    made = []
    for channel in channels:
        if channel.id in existing:
            continue
        story = store.Story(
            id=str(uuid.uuid4()), channel_id=channel.id, channel_kind=channel.kind,
            source=source, source_id=source_id, unit_id=unit_id, field=field, title=title,
            body=body, claims=claims_of(facts, source), status=St.draft, created_at=now(),
            trace_headers=delivered_trace(uow.cause_headers), **row)
        uow.session.add(story)
        made.append(story)
    try:
        await uow.session.flush()
    except IntegrityError:  # a concurrent delivery of the same event drafted them first
        log.info("drafts already made", extra={"source": source, "source_id": source_id})
        raise
    # The revocation travels on its own consumer: committed meanwhile, it found no story to
    # withdraw, so none is made now (approving and publishing check again for the rest).
    if row.get("nomination_id") and await store.is_revoked(uow.session, row["nomination_id"]):
        for story in made:
            await uow.session.delete(story)
        await uow.session.flush()
        return []
    return made


async def draft_decided(uow: UnitOfWork, event: CaseDecidedV1, *,
                        profile: Profile) -> list[store.Story]:
    """A recognition or commendation becomes drafts; a rejection is never publicised."""
    if event.outcome == "rejected" or await store.is_revoked(uow.session, event.nomination_id):
        return []
    nominee = event.nominee.model_dump(mode="json")
    decision = event.decision.model_dump(mode="json") if event.decision else None
    facts = Facts(who=honorific(nominee), unit_name=event.unit_name,
                  award_name=event.award_name, achievements=tuple(event.verified_claims),
                  decision=decision_line(
                      decision, _granting_unit(profile, event.award, event.unit_id)))
    return await _draft(uow, profile, source="decided", source_id=event.nomination_id,
                        unit_id=event.unit_id, field=event.field, facts=facts,
                        nomination_id=event.nomination_id, unit_name=event.unit_name,
                        year=event.year, nominee=nominee, award_name=event.award_name,
                        decision=decision)


async def draft_escalated(uow: UnitOfWork, event: ExemplarEscalatedV1, *,
                          profile: Profile) -> list[store.Story]:
    if await store.is_revoked(uow.session, event.nomination_id):
        return []
    nominee = event.nominee.model_dump(mode="json")
    decision = event.decision.model_dump(mode="json") if event.decision else None
    facts = Facts(who=honorific(nominee), unit_name=event.unit_name, award_name=None,
                  achievements=tuple(event.verified_claims),
                  # the decision escalated is the one whose award the event does not name
                  decision=decision_line(decision))
    return await _draft(uow, profile, source="escalated", source_id=event.nomination_id,
                        unit_id=event.unit_id, field=event.field, facts=facts,
                        nomination_id=event.nomination_id, unit_name=event.unit_name,
                        year=event.year, nominee=nominee, award_name=None, decision=decision)


async def draft_good_deed(uow: UnitOfWork, event: GoodDeedReportedV1, *,
                          profile: Profile) -> list[store.Story]:
    nominee = {"kind": "individual", "name": event.person_name}
    facts = Facts(who=event.person_name, unit_name=event.unit_name, award_name=None,
                  achievements=(event.deed,), decision=None)
    return await _draft(uow, profile, source="good_deed", source_id=event.report_id,
                        unit_id=event.unit_id, field=event.field, facts=facts,
                        good_deed_id=event.report_id, unit_name=event.unit_name,
                        year=event.year, nominee=nominee, award_name=None, decision=None)
