"""Events as review and nomination send them, and the editorial steps through the API."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import nats

from exemplar.events import (
    CaseDecidedV1,
    DecisionRef,
    DecisionRevokedV1,
    Event,
    Nominee,
    wrap,
)
from exemplar.testing import auth, eventually

PORTAL_EDITOR, RADIO_EDITOR, DAK_O_RADIO = "cong-ttdt.editor", "dai-th.editor", "dak-o.radio"
DECISION = DecisionRef(number="215/QĐ-UBND", signed_on=date(2024, 12, 20),
                       signer="Trần Quốc Hưng", signer_title="Chủ tịch")
VERIFIED = ["Vận động 40 hộ chuyển đổi cây trồng"]


def decided(**changes: Any) -> CaseDecidedV1:
    """Đắk Ơ's exemplar recognised as Lao động tiên tiến, in the economy."""
    data: dict[str, Any] = {
        "case_id": str(uuid.uuid4()), "nomination_id": str(uuid.uuid4()), "revision": 1,
        "unit_id": "xa-dak-o", "unit_name": "UBND xã Đắk Ơ", "unit_kind": "commune",
        "year": 2024, "nominee": Nominee(kind="individual", name="Nguyễn Thị Hoa",
                                         gender="female"),
        "field": "kinh_te", "outcome": "recognised", "award": "lao_dong_tien_tien",
        "award_name": "Lao động tiên tiến", "decision": DECISION,
        "achievement_summary": "; ".join(VERIFIED), "verified_claims": VERIFIED,
        **changes}
    return CaseDecidedV1(**data)


async def publish(nats_url: str, event: Event, *, subject: str, source: str = "review",
                  envelope_id: str | None = None) -> str:
    nc = await nats.connect(nats_url, connect_timeout=5)
    try:
        envelope = wrap(event, source=source, subject=subject)
        if envelope_id:
            envelope = envelope.model_copy(update={"id": envelope_id})
        await nc.jetstream().publish(envelope.type, envelope.model_dump_json().encode(),
                                     headers={"Nats-Msg-Id": envelope.id}, timeout=5)
        return envelope.id
    finally:
        await nc.close()


async def stories_of(publication, token, nomination_id: str, *, who: str = "noi-vu.head",
                     expect: int | None = None) -> list[dict]:
    found: list[dict] = []

    async def arrived() -> bool:
        response = await publication.client.get(
            "/stories", params={"nomination_id": nomination_id, "limit": 500},
            headers=auth(token(who)))
        found[:] = response.json()["items"]
        return len(found) == expect if expect is not None else bool(found)

    await eventually(arrived, what=f"stories of {nomination_id}")
    return found


def revoked(event: CaseDecidedV1) -> DecisionRevokedV1:
    return DecisionRevokedV1(
        case_id=event.case_id, nomination_id=event.nomination_id, unit_id=event.unit_id,
        year=event.year, decision_number=DECISION.number, reason="Kê khai sai thành tích",
        revocation=DecisionRef(number="230/QĐ-UBND", signed_on=date(2025, 1, 10),
                               signer="Trần Quốc Hưng"))


async def to_published(publication, token, story: dict, who: str, *,
                       title_after_approval: str | None = None) -> dict:
    """Fact-checked, approved and published by the channel's editor. `title_after_approval`
    changes the title in the database between approval and publishing (a case no editor can
    make: for checks that must hold even then)."""
    headers = auth(token(who))
    path = f"/stories/{story['id']}"
    checked = await publication.client.post(f"{path}/fact-check", headers=headers, json={
        "confirmed": list(range(len(story["claims"])))})
    assert checked.status_code == 200, checked.text
    approved = await publication.client.post(f"{path}/approve", headers=headers)
    assert approved.status_code == 200, approved.text
    if title_after_approval is not None:
        from sqlalchemy import update

        from publication.stories.store import Story

        async with publication.runtime.uow() as uow:
            await uow.session.execute(update(Story).where(Story.id == story["id"])
                                      .values(title=title_after_approval))
            await uow.commit()
    response = await publication.client.post(f"{path}/publish", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def drained(publication) -> None:
    """Every event the service staged has reached the stream: counts taken now are final."""

    async def empty() -> bool:
        return await publication.runtime.relay.pending() == 0

    await eventually(empty, what="the outbox drained")


async def consumed(nats_url: str, event_type: type[Event]) -> None:
    """Publication's consumer of `event_type` has handled everything on the stream."""
    from exemplar.inbox import consumer_name

    name = consumer_name("publication", event_type.type)

    async def idle() -> bool:
        nc = await nats.connect(nats_url, connect_timeout=5)
        try:
            info = await nc.jetstream().consumer_info("EXEMPLAR", name)
        finally:
            await nc.close()
        return info.num_pending == 0 and info.num_ack_pending == 0

    await eventually(idle, what=f"{name} idle")


async def revoked_meanwhile(publication, nomination_id: str, reason: str) -> None:
    """The revocation as its consumer records it, committed after the drafts were read: the
    race in which it found no story to withdraw."""
    from datetime import UTC, datetime

    from publication.stories.store import RevokedNomination

    async with publication.runtime.uow() as uow:
        uow.session.add(RevokedNomination(nomination_id=nomination_id, reason=reason,
                                          revoked_at=datetime.now(UTC)))
        await uow.commit()
