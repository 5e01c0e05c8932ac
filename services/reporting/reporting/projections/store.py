"""The tables of the projections. Facts are keyed by what the event is about (a nomination, a
story), so an event applied twice, or before the one it follows, leaves the same rows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from exemplar.db import UtcDateTime, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class _Nominee:
    """What the tallies break a nomination down by."""

    unit_id: Mapped[str] = mapped_column(String(100))
    unit_name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(100))
    nominee_kind: Mapped[str] = mapped_column(String(20))
    nominee_name: Mapped[str] = mapped_column(String(300))
    gender: Mapped[str | None] = mapped_column(String(10))
    ethnicity: Mapped[str | None] = mapped_column(String(100))
    commendation_kind: Mapped[str] = mapped_column(String(20))


class NominationFact(_Nominee, Base):
    """The latest revision submitted; `submitted_at` is the first submission."""

    __tablename__ = "nomination_fact"

    nomination_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    unit_kind: Mapped[str] = mapped_column(String(50))
    proposed_award: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WithdrawalFact(Base):
    __tablename__ = "withdrawal_fact"

    nomination_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    withdrawn_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DecisionFact(_Nominee, Base):
    """The decision on the highest revision decided."""

    __tablename__ = "decision_fact"

    nomination_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36))
    revision: Mapped[int] = mapped_column(Integer)
    unit_kind: Mapped[str] = mapped_column(String(50))
    outcome: Mapped[str] = mapped_column(String(20))
    award: Mapped[str | None] = mapped_column(String(100))
    award_name: Mapped[str | None] = mapped_column(String(300))
    decision_number: Mapped[str | None] = mapped_column(String(100))
    signed_on: Mapped[date | None] = mapped_column(Date)
    signer: Mapped[str | None] = mapped_column(String(300))
    fast_track: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)

    # Also orders a unit's list of exemplars in its yearly report without a sort.
    __table_args__ = (Index("ix_decision_fact_year_unit", "year", "unit_id", "signed_on",
                            "nominee_name"),)


class RevocationFact(Base):
    __tablename__ = "revocation_fact"

    nomination_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    decision_number: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    revocation_number: Mapped[str] = mapped_column(String(100))
    revoked_on: Mapped[date] = mapped_column(Date)


class EscalationFact(Base):
    __tablename__ = "escalation_fact"

    nomination_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100))
    unit_name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(100))
    nominee_kind: Mapped[str] = mapped_column(String(20))
    nominee_name: Mapped[str] = mapped_column(String(300))
    gender: Mapped[str | None] = mapped_column(String(10))
    ethnicity: Mapped[str | None] = mapped_column(String(100))
    proposed_award: Mapped[str] = mapped_column(String(100))
    escalated_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (Index("ix_escalation_fact_year_unit", "year", "unit_id"),)


class StoryFact(Base):
    """A story on a channel: filled by `published`, closed by `withdrawn`, in either order."""

    __tablename__ = "story_fact"

    story_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(100))
    channel_kind: Mapped[str | None] = mapped_column(String(50))
    unit_id: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    nomination_id: Mapped[str | None] = mapped_column(String(36), index=True)
    good_deed_id: Mapped[str | None] = mapped_column(String(36))
    title: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(1000))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class ProjectionLock(Base):
    """One row per nomination (or story with no nomination), locked while an event about it
    moves the tallies: two events of one nomination take turns, so neither misses the
    other's fact."""

    __tablename__ = "projection_lock"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)


class Tally(Base):
    """How many nominations (or stories) of a unit and year count for a measure, broken down
    by one dimension: ('commended', 'field', 'giao_duc') → 12."""

    __tablename__ = "tally"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    measure: Mapped[str] = mapped_column(String(30), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(30), primary_key=True)
    value: Mapped[str] = mapped_column(String(100), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class TimelineEntry(Base):
    """One event about a nomination, as it was sent."""

    __tablename__ = "timeline_entry"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nomination_id: Mapped[str] = mapped_column(String(36))
    type: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(50))
    time: Mapped[datetime] = mapped_column(UtcDateTime)
    trace_id: Mapped[str | None] = mapped_column(String(32))
    correlation_id: Mapped[str] = mapped_column(String(36))
    causation_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_timeline_entry_nomination", "nomination_id", "time"),)


class ProjectionVersion(Base):
    """The version of the projection code the tables were built by: a service that finds an
    older one rebuilds them from the stream when it starts."""

    __tablename__ = "projection_version"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    built_at: Mapped[datetime] = mapped_column(UtcDateTime)


# What a replay empties before reading the stream again.
PROJECTIONS = (NominationFact, WithdrawalFact, DecisionFact, RevocationFact, EscalationFact,
               StoryFact, ProjectionLock, Tally, TimelineEntry)
