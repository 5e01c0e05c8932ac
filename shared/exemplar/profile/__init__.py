"""The jurisdiction profile: who exists, who may do what, and the numbers the rules use.

Units, accounts, channels, titles and the council are data with effective dates (a YAML file
checked at start-up), never code: the district level was abolished on 1 July 2025 and the next
reorganisation must be a new profile, not a new release.

The package splits by concern: ``types`` (the Literal kinds and constrained scalars), ``models``
(the Pydantic models and ``Profile``'s lookups), ``checks`` (the cross-reference validation) and
``loader`` (``load_profile``, ``ProfileError``). The YAML profiles themselves are the separate
package ``exemplar.profiles``.
"""

from __future__ import annotations

from .loader import DEFAULT_PROFILE_NAME, DEFAULT_PROFILE_PATH, ProfileError, load_profile
from .models import (
    Account,
    Award,
    Channel,
    ChannelLimits,
    Council,
    Deadlines,
    Document,
    Field,
    Jurisdiction,
    Profile,
    Quotas,
    ShareCap,
    Subscription,
    Thresholds,
    Unit,
)
from .types import (
    UNIT_KINDS,
    ChannelKind,
    Days,
    EventKind,
    Name,
    NomineeKind,
    Role,
    Share,
    Slug,
    UnitKind,
)

__all__ = [
    "DEFAULT_PROFILE_NAME",
    "DEFAULT_PROFILE_PATH",
    "UNIT_KINDS",
    "Account",
    "Award",
    "Channel",
    "ChannelKind",
    "ChannelLimits",
    "Council",
    "Days",
    "Deadlines",
    "Document",
    "EventKind",
    "Field",
    "Jurisdiction",
    "Name",
    "NomineeKind",
    "Profile",
    "ProfileError",
    "Quotas",
    "Role",
    "Share",
    "ShareCap",
    "Slug",
    "Subscription",
    "Thresholds",
    "Unit",
    "UnitKind",
    "load_profile",
]
