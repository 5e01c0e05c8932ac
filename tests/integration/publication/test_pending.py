"""Pending nominations: what the office sees waiting for a decision, and no longer once the
nomination is decided (any outcome) or withdrawn."""

from __future__ import annotations

from datetime import UTC, datetime

from exemplar.events import CaseDecidedV1, NominationSubmittedV1, NominationWithdrawnV1
from exemplar.testing import auth, eventually

from .steps import PORTAL_EDITOR, RADIO_EDITOR, consumed, decided, publish


async def test_the_undecided_nominees_are_the_offices_to_see(publication, token):
    for who, status in (("noi-vu.officer", 200), ("tinh.viewer", 200),
                        (RADIO_EDITOR, 403), (PORTAL_EDITOR, 403)):
        response = await publication.client.get("/pending", headers=auth(token(who)))
        assert response.status_code == status, (who, response.text)


async def test_a_decided_or_withdrawn_nomination_is_pending_no_more(publication, token):
    url, office = publication.runtime.settings.nats_url, auth(token("noi-vu.officer"))
    events = [decided(), decided(outcome="rejected", award=None, award_name=None),
              decided()]
    submitted = [NominationSubmittedV1(
        nomination_id=e.nomination_id, revision=1, unit_id=e.unit_id, unit_name=e.unit_name,
        unit_kind="commune", year=e.year, nominee=e.nominee, field=e.field,
        proposed_award="lao_dong_tien_tien", commendation_kind="regular",
        achievement_summary="Thành tích", submitted_by="dak-o.officer",
        submitted_at=datetime.now(UTC)) for e in events]
    for event in submitted[:2]:
        await publish(url, event, subject=event.nomination_id, source="nomination")

    async def listed() -> set[str]:
        response = await publication.client.get("/pending", headers=office)
        return {p["nomination_id"] for p in response.json()}

    ids = [e.nomination_id for e in events]
    await eventually(lambda: _is(listed, set(ids[:2])), what="two pending")
    await publish(url, events[0], subject=ids[0])
    await publish(url, events[1], subject=ids[1])
    await publish(url, NominationWithdrawnV1(
        nomination_id=ids[2], revision=1, unit_id="xa-dak-o", year=2024, reason="Rút",
        withdrawn_by="dak-o.officer"), subject=ids[2], source="nomination")
    await consumed(url, CaseDecidedV1)
    await consumed(url, NominationWithdrawnV1)
    # The withdrawn nomination's `submitted`, arriving late, does not make it pending.
    await publish(url, submitted[2], subject=ids[2], source="nomination")
    await consumed(url, NominationSubmittedV1)
    assert await listed() == set()


async def _is(check, expected) -> bool:
    return await check() == expected
