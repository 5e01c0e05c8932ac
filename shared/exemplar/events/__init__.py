"""The event catalog: every event is a class here, its subject is its `type`."""

from . import nomination, publication, reporting, review
from .common import DecisionRef, Nominee
from .envelope import CATALOG, Envelope, Event, UndecodableEvent, decode, wrap
from .nomination import (
    CriteriaPublishedV1,
    GoodDeedReportedV1,
    MovementLaunchedV1,
    NominationSubmittedV1,
    NominationWithdrawnV1,
    ProspectRegisteredV1,
)
from .publication import ColumnOverdueV1, StoryPublishedV1, StoryWithdrawnV1
from .reporting import QuotaAtRiskV1
from .review import (
    CaseAppraisedV1,
    CaseDecidedV1,
    CasePostedV1,
    CaseReturnedV1,
    DecisionRevokedV1,
    ExemplarEscalatedV1,
)

__all__ = [
    "CATALOG", "CaseAppraisedV1", "CaseDecidedV1", "CasePostedV1", "CaseReturnedV1",
    "ColumnOverdueV1", "CriteriaPublishedV1", "DecisionRef", "DecisionRevokedV1", "Envelope",
    "Event", "ExemplarEscalatedV1", "GoodDeedReportedV1", "MovementLaunchedV1",
    "NominationSubmittedV1", "NominationWithdrawnV1", "Nominee", "ProspectRegisteredV1",
    "QuotaAtRiskV1", "StoryPublishedV1", "StoryWithdrawnV1", "UndecodableEvent", "decode",
    "nomination", "publication", "reporting", "review", "wrap",
]


def schema_snapshots() -> dict[str, dict]:
    """The JSON schema of every event's data, keyed by subject (what the snapshots hold)."""
    return {subject: cls.model_json_schema() for subject, cls in sorted(CATALOG.items())}
