"""Events as the other services send them, and waiting for reporting to have read them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import nats

from exemplar.events import (
    CaseDecidedV1,
    DecisionRef,
    DecisionRevokedV1,
    Envelope,
    Event,
    ExemplarEscalatedV1,
    NominationSubmittedV1,
    NominationWithdrawnV1,
    Nominee,
    StoryPublishedV1,
    StoryWithdrawnV1,
    wrap,
)
from exemplar.inbox import consumer_name
from exemplar.testing import auth, eventually

OFFICE, CHAIR, FINANCE, ADMIN = "noi-vu.head", "ubnd.chair", "tckh.finance", "admin"
# The year's calendar in these events: decided, then published, then sent to the province,
# all before the first warning day (15 October).
SIGNED = date(2024, 10, 10)


def decision(number: str = "215/QĐ-UBND", signed_on: date = SIGNED) -> DecisionRef:
    return DecisionRef(number=number, signed_on=signed_on, signer="Trần Quốc Hưng",
                       signer_title="Chủ tịch")


def nominee(**changes: Any) -> Nominee:
    return Nominee(**{"kind": "individual", "name": "Nguyễn Thị Hoa", "gender": "female",
                      "ethnicity": "Kinh", **changes})


def submitted(nomination_id: str | None = None, **changes: Any) -> NominationSubmittedV1:
    data: dict[str, Any] = {
        "nomination_id": nomination_id or str(uuid.uuid4()), "revision": 1,
        "unit_id": "xa-dak-o", "unit_name": "UBND xã Đắk Ơ", "unit_kind": "commune",
        "year": 2024, "nominee": nominee(), "field": "kinh_te",
        "proposed_award": "lao_dong_tien_tien", "commendation_kind": "regular",
        "achievement_summary": "Vận động 40 hộ chuyển đổi cây trồng.",
        "submitted_by": "dak-o.officer", "submitted_at": datetime.now(UTC), **changes}
    return NominationSubmittedV1(**data)


def decided(of: NominationSubmittedV1, **changes: Any) -> CaseDecidedV1:
    data: dict[str, Any] = {
        "case_id": str(uuid.uuid4()), "nomination_id": of.nomination_id,
        "revision": of.revision, "unit_id": of.unit_id, "unit_name": of.unit_name,
        "unit_kind": of.unit_kind, "year": of.year, "nominee": of.nominee, "field": of.field,
        "outcome": "recognised", "award": of.proposed_award,
        "award_name": "Lao động tiên tiến", "commendation_kind": of.commendation_kind,
        "decision": decision(), "verified_claims": ["Vận động 40 hộ chuyển đổi cây trồng"],
        **changes}
    return CaseDecidedV1(**data)


def withdrawn(of: NominationSubmittedV1) -> NominationWithdrawnV1:
    return NominationWithdrawnV1(nomination_id=of.nomination_id, revision=of.revision,
                                 unit_id=of.unit_id, year=of.year, reason="Đơn vị rút hồ sơ",
                                 withdrawn_by="dak-o.officer")


def published(of: CaseDecidedV1, channel_id: str = "portal-guong-dien-hinh",
              channel_kind: str = "portal_column", **changes: Any) -> StoryPublishedV1:
    data: dict[str, Any] = {
        "story_id": str(uuid.uuid4()), "channel_id": channel_id, "channel_kind": channel_kind,
        "unit_id": of.unit_id, "year": of.year, "nomination_id": of.nomination_id,
        "title": f"Gương điển hình: {of.nominee.name}", "url": None,
        "published_at": datetime(of.year, 10, 11, 3, 0, tzinfo=UTC), **changes}
    return StoryPublishedV1(**data)


def story_withdrawn(story: StoryPublishedV1, reason: str = "Quyết định bị thu hồi"
                    ) -> StoryWithdrawnV1:
    return StoryWithdrawnV1(story_id=story.story_id, channel_id=story.channel_id,
                            unit_id=story.unit_id, year=story.year,
                            nomination_id=story.nomination_id, url=story.url, reason=reason,
                            withdrawn_at=datetime.now(UTC))


def escalated(of: CaseDecidedV1, **changes: Any) -> ExemplarEscalatedV1:
    data: dict[str, Any] = {
        "case_id": of.case_id, "nomination_id": of.nomination_id, "unit_id": of.unit_id,
        "unit_name": of.unit_name, "unit_kind": of.unit_kind, "year": of.year,
        "nominee": of.nominee, "field": of.field, "proposed_award": "bang_khen_chu_tich_tinh",
        "decision": of.decision, "escalated_by": OFFICE, "escalated_on": date(of.year, 10, 12),
        **changes}
    return ExemplarEscalatedV1(**data)


def revoked(of: CaseDecidedV1) -> DecisionRevokedV1:
    return DecisionRevokedV1(
        case_id=of.case_id, nomination_id=of.nomination_id, unit_id=of.unit_id, year=of.year,
        decision_number=of.decision.number, reason="Kê khai sai thành tích",
        revocation=decision("230/QĐ-UBND", date(2024, 12, 1)))


def envelope_of(event: Event) -> Envelope:
    subject = getattr(event, "nomination_id", None) or getattr(event, "story_id", None)
    return wrap(event, source=event.producer(), subject=subject or str(uuid.uuid4()))


async def send(nats_url: str, *items: Event | Envelope, traceparent: str | None = None
               ) -> list[Envelope]:
    """Publish events (or exact envelopes, to send one again) to the stream, in this order.
    A resent envelope gets a new Nats-Msg-Id, so the broker keeps it: a true redelivery."""
    headers = {"traceparent": traceparent} if traceparent else {}
    nc = await nats.connect(nats_url, connect_timeout=5)
    sent = []
    try:
        js = nc.jetstream()
        for item in items:
            envelope = item if isinstance(item, Envelope) else envelope_of(item)
            await js.publish(envelope.type, envelope.model_dump_json().encode(),
                             headers={"Nats-Msg-Id": str(uuid.uuid4()), **headers},
                             timeout=5)
            sent.append(envelope)
    finally:
        await nc.close()
    return sent


async def settled(nats_url: str, *event_types: type[Event]) -> None:
    """Reporting's consumers of these events have handled everything on the stream."""
    nc = await nats.connect(nats_url, connect_timeout=5)
    try:
        js = nc.jetstream()

        async def idle() -> bool:
            for cls in event_types:
                try:
                    info = await js.consumer_info("EXEMPLAR", consumer_name("reporting",
                                                                            cls.type))
                except Exception:
                    return False
                if info.num_pending or info.num_ack_pending:
                    return False
            return True

        await eventually(idle, what="reporting consumers idle")
    finally:
        await nc.close()


ALL_EVENTS: tuple[type[Event], ...] = (
    NominationSubmittedV1, NominationWithdrawnV1, CaseDecidedV1, ExemplarEscalatedV1,
    DecisionRevokedV1, StoryPublishedV1, StoryWithdrawnV1)


async def get(reporting, path: str, bearer: str, **params: Any) -> Any:
    response = await reporting.client.get(path, params=params, headers=auth(bearer))
    assert response.status_code == 200, response.text
    return response.json()
