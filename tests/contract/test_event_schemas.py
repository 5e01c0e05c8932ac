"""The event contract: every catalog event has a JSON-schema snapshot equal to its current
schema, subjects and class names follow the naming rule, and envelopes survive the wire."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest

from exemplar.events import (
    CATALOG,
    CaseDecidedV1,
    DecisionRef,
    Envelope,
    Event,
    NominationSubmittedV1,
    Nominee,
    UndecodableEvent,
    decode,
    schema_snapshots,
    wrap,
)
from exemplar.events.snapshot import snapshot_dir

SUBJECT = re.compile(
    r"^exemplar\.(?P<producer>nomination|review|publication|reporting)"
    r"\.(?P<event>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)$"
)
REGENERATE = "uv run python -m exemplar.events.snapshot"


def snapshot_file(subject: str):
    return snapshot_dir() / f"{subject}.json"


@pytest.mark.parametrize("subject", sorted(CATALOG))
def test_every_event_schema_equals_its_snapshot(subject: str) -> None:
    path = snapshot_file(subject)
    assert path.is_file(), (
        f"{subject} has no JSON-schema snapshot at {path}. Create it with `{REGENERATE}` "
        "and commit the file."
    )
    current = schema_snapshots()[subject]
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored == current, (
        f"The schema of {subject} ({CATALOG[subject].__name__}) no longer matches its "
        f"snapshot {path.name}. If the change is compatible (only optional fields added, "
        f"nothing removed, renamed or retyped), regenerate the snapshots with `{REGENERATE}` "
        "and commit them. A breaking change must not edit this event: add a new class and "
        "subject with the next major version (…V2 / .v2) and keep v1 until every consumer "
        "has moved."
    )


def test_no_snapshot_lacks_a_catalog_event() -> None:
    stored = {path.name.removesuffix(".json") for path in snapshot_dir().glob("*.json")}
    assert stored, f"no snapshots found in {snapshot_dir()}"
    orphans = sorted(stored - set(CATALOG))
    assert orphans == [], (
        f"snapshots without a catalog class: {orphans}; delete them only if no producer "
        "publishes these subjects any more"
    )


@pytest.mark.parametrize("subject", sorted(CATALOG))
def test_subject_names_its_producer_event_and_major_version(subject: str) -> None:
    match = SUBJECT.match(subject)
    assert match, f"{subject!r} is not exemplar.<producer>.<event>.v<n>"
    cls = CATALOG[subject]
    assert cls.type == subject
    assert cls.producer() == match["producer"]
    assert cls.__module__ == f"exemplar.events.{match['producer']}", (
        f"{cls.__name__} is declared in {cls.__module__}, not in its producer's module"
    )


@pytest.mark.parametrize("subject", sorted(CATALOG))
def test_class_name_carries_the_subject_major_version(subject: str) -> None:
    cls = CATALOG[subject]
    version = SUBJECT.match(subject)["version"]
    name = re.fullmatch(r"[A-Z][A-Za-z0-9]*?V(?P<version>[1-9][0-9]*)", cls.__name__)
    assert name, f"{cls.__name__} does not end with V<n>"
    assert name["version"] == version, f"{cls.__name__} is not the class of {subject}"


DESIGNED = {
    "exemplar.nomination.movement_launched.v1", "exemplar.nomination.criteria_published.v1",
    "exemplar.nomination.prospect_registered.v1", "exemplar.nomination.submitted.v1",
    "exemplar.nomination.withdrawn.v1", "exemplar.nomination.good_deed_reported.v1",
    "exemplar.review.returned.v1", "exemplar.review.appraised.v1", "exemplar.review.posted.v1",
    "exemplar.review.decided.v1", "exemplar.review.escalated.v1", "exemplar.review.revoked.v1",
    "exemplar.publication.published.v1", "exemplar.publication.withdrawn.v1",
    "exemplar.publication.column_overdue.v1", "exemplar.reporting.quota_at_risk.v1",
}  # fmt: skip


def test_catalog_holds_every_event_of_the_design() -> None:
    missing = sorted(DESIGNED - set(CATALOG))
    assert missing == [], f"events of DESIGN.md §4 missing from the catalog: {missing}"
    assert all(issubclass(cls, Event) for cls in CATALOG.values())


# -- the envelope on the wire ----------------------------------------------------------------

def submitted() -> NominationSubmittedV1:
    return NominationSubmittedV1(
        nomination_id="nom-1", revision=2, unit_id="xa-dak-o", unit_name="Xã Đắk Ơ",
        unit_kind="commune", year=2025,
        nominee=Nominee(kind="individual", name="Điểu Thị Lành", gender="female",
                        birth_year=1978, ethnicity="S'tiêng"),
        field="kinh_te", proposed_award="giay_khen", commendation_kind="regular",
        achievement_summary="Giúp 12 hộ đồng bào thoát nghèo bằng mô hình trồng điều.",
        evidence_count=3, submitted_by="u-1",
        submitted_at=datetime(2025, 3, 14, 8, 30, 15, 123456, tzinfo=UTC),
    )


def decided() -> CaseDecidedV1:
    return CaseDecidedV1(
        case_id="case-1", nomination_id="nom-1", revision=2, unit_id="xa-dak-o",
        unit_name="Xã Đắk Ơ", unit_kind="commune", year=2025,
        nominee=Nominee(kind="collective", name="Tổ hợp tác Phú Văn", member_count=9,
                        women_share=0.4),
        field="kinh_te", outcome="commended", award="giay_khen", award_name="Giấy khen",
        decision=DecisionRef(number="15/QĐ-UBND", signed_on=date(2025, 4, 2),
                             signer="Nguyễn Văn A", signer_title="Chủ tịch"),
        reasons=["Đủ tiêu chuẩn"], fast_track=True,
    )


@pytest.mark.parametrize("event", [submitted(), decided()], ids=lambda e: e.type)
def test_envelope_round_trips_through_bytes_to_an_equal_event(event: Event) -> None:
    envelope = wrap(event, source="nomination", subject="nom-1", correlation_id="corr-1",
                    causation_id="cause-1")

    decoded_envelope, decoded_event = decode(envelope.to_bytes())

    assert type(decoded_event) is type(event)
    assert decoded_event == event
    assert decoded_envelope == envelope
    assert decoded_envelope.type == event.type
    assert (decoded_envelope.correlationid, decoded_envelope.causationid) == (
        "corr-1", "cause-1")


def test_wrapped_event_without_a_correlation_starts_its_own() -> None:
    envelope = wrap(submitted(), source="nomination", subject="nom-1")
    assert envelope.correlationid == envelope.id
    assert envelope.causationid is None


def valid_body() -> dict:
    return json.loads(wrap(submitted(), source="nomination", subject="nom-1").to_bytes())


@pytest.mark.parametrize("raw", [b"", b"\xff\xfe not even utf-8", b"{not json", b"[1, 2]",
                                 b"null", json.dumps({"type": "x"}).encode()],
                         ids=["empty", "binary", "broken-json", "array", "null",
                              "missing-envelope-fields"])
def test_garbage_bytes_are_undecodable(raw: bytes) -> None:
    with pytest.raises(UndecodableEvent, match="not an event envelope"):
        decode(raw)


def test_unknown_event_type_is_undecodable() -> None:
    body = valid_body() | {"type": "exemplar.nomination.teleported.v1"}
    with pytest.raises(UndecodableEvent, match="unknown event type"):
        decode(json.dumps(body).encode())


@pytest.mark.parametrize("change", [
    {"revision": "hai"},
    {"nominee": {"kind": "alien", "name": "X"}},
    {"commendation_kind": "forever"},
], ids=["wrong-type", "bad-nested-literal", "bad-literal"])
def test_event_data_that_does_not_validate_is_undecodable(change: dict) -> None:
    body = valid_body()
    body["data"] |= change
    with pytest.raises(UndecodableEvent, match="data does not validate"):
        decode(json.dumps(body).encode())


def test_event_data_missing_a_required_field_is_undecodable() -> None:
    body = valid_body()
    del body["data"]["nomination_id"]
    with pytest.raises(UndecodableEvent, match="data does not validate"):
        decode(json.dumps(body).encode())


def test_consumer_ignores_fields_a_newer_producer_added() -> None:
    body = valid_body()
    body["data"]["added_later"] = "ok"
    body["traceparent_extension"] = "ok"
    envelope, event = decode(json.dumps(body).encode())
    assert isinstance(envelope, Envelope)
    assert event == submitted()
