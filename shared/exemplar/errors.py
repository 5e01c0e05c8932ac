"""Domain errors every service raises; web.py maps them to HTTP in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base: `detail` is user-facing Vietnamese text; `fields` names offending input fields."""

    code = "domain_error"

    def __init__(self, detail: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields = fields or {}


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    """The user may see the object but not do this to it (another unit's, say)."""

    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"


class StaleVersion(DomainError):
    """The object changed since the client read it (If-Match no longer matches)."""

    code = "precondition_failed"


class VersionRequired(DomainError):
    """An update that must say which version it edits (If-Match) did not."""

    code = "precondition_required"


class InvalidTransition(DomainError):
    code = "invalid_transition"


class RuleViolation(DomainError):
    """A rule that fails now will fail on every retry: consumers dead-letter it."""

    code = "rule_violation"


class Poison(Exception):
    """A message that can never be processed: dead-lettered at once, never retried."""


class Transient(Exception):
    """The message is fine but the environment is not (database or network away): retried
    with backoff and never dead-lettered for it."""
