"""The event envelope (CloudEvents attribute names) and the catalog of event classes."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..clock import now as clock_now

CATALOG: dict[str, type[Event]] = {}


class Event(BaseModel):
    """The data of one event. Subclasses set `type` (= the NATS subject) and join the catalog."""

    # Consumers ignore fields they do not know yet: a producer may add one within a major version.
    model_config = ConfigDict(extra="ignore", frozen=True)

    type: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        subject = cls.__dict__.get("type")
        if subject:
            if subject in CATALOG:
                raise TypeError(f"{subject} is declared twice in the catalog")
            CATALOG[subject] = cls

    @classmethod
    def producer(cls) -> str:
        return cls.type.split(".")[1]


class Envelope(BaseModel):
    """What travels on the bus: CloudEvents names around the event's data."""

    model_config = ConfigDict(extra="ignore")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    type: str
    source: str
    time: datetime = Field(default_factory=clock_now)
    subject: str  # the aggregate id
    correlationid: str
    causationid: str | None = None
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()


class UndecodableEvent(Exception):
    """The bytes are not an envelope of a known event: poison, never retried."""


def wrap(event: Event, *, source: str, subject: str, correlation_id: str | None = None,
         causation_id: str | None = None, event_id: str | None = None) -> Envelope:
    eid = event_id or str(uuid.uuid4())
    return Envelope(id=eid, type=event.type, source=source, subject=subject,
                    correlationid=correlation_id or eid, causationid=causation_id,
                    data=event.model_dump(mode="json"))


def decode(raw: bytes) -> tuple[Envelope, Event]:
    """Envelope and typed event from bytes; UndecodableEvent if either does not validate."""
    try:
        envelope = Envelope.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        raise UndecodableEvent(f"not an event envelope: {exc}") from exc
    cls = CATALOG.get(envelope.type)
    if cls is None:
        raise UndecodableEvent(f"unknown event type {envelope.type!r}")
    try:
        return envelope, cls.model_validate(envelope.data)
    except ValidationError as exc:
        raise UndecodableEvent(f"{envelope.type} data does not validate: {exc}") from exc
