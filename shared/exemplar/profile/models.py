"""The profile's models: units, accounts, awards, channels, the council, the rule numbers, and
``Profile`` itself with its lookups. A ``Profile`` runs the consistency checks on validation."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, PositiveInt, PrivateAttr

from .budget import Budget
from .checks import CHECKS
from .types import ChannelKind, Days, EventKind, Name, NomineeKind, Role, Share, Slug, UnitKind


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Unit(_Model):
    """An agency, commune, council, station… (cơ quan, đơn vị, địa phương)."""

    id: Slug
    name: Name
    kind: UnitKind
    parent: str | None = None
    effective_from: date
    effective_to: date | None = None  # last day it exists, inclusive

    def active_on(self, day: date) -> bool:
        ends = self.effective_to
        return self.effective_from <= day and (ends is None or day <= ends)


class Account(_Model):
    id: Slug  # the login
    name: Name
    unit: str
    roles: list[Role] = pydantic.Field(min_length=1)
    channels: list[str] = []  # channel ids an editor may work on
    password_hash: str | None = None


class _Named(_Model):
    id: Slug
    name: Name


class Field(_Named):
    """A field of work (lĩnh vực): economy, education, defence…"""


class Document(_Named):
    """A kind of dossier document (tờ trình, báo cáo thành tích, biên bản họp xét…)."""


class Award(_Model):
    """An emulation title or a commendation form, and who may grant it."""

    id: Slug
    name: Name
    category: Literal["title", "award_form"]
    nominee_kinds: list[NomineeKind] = pydantic.Field(min_length=1)
    # A unit id, or a unit kind ("commune"): the nearest unit of that kind above the nominator.
    granted_by: str
    required_documents: list[str] = []
    fast_track_allowed: bool = False
    requires: list[str] = []  # award ids the nominee must already hold…
    requires_years: Days = 1  # …in this many consecutive years ending with the nomination year
    # A collective title: at least this share of its members must hold `member_share_of`
    # (Tập thể lao động tiên tiến: half of them Lao động tiên tiến).
    member_share_min: Share | None = None
    member_share_of: str | None = None


class Subscription(_Model):
    units: list[str] | Literal["all"] = "all"  # a unit also covers the units below it
    fields: list[str] | Literal["all"] = "all"
    events: list[EventKind] = ["decided"]


class ChannelLimits(_Model):
    title_max: PositiveInt | None = None
    description_max: PositiveInt | None = None
    image_max_bytes: PositiveInt | None = None


class Channel(_Model):
    id: Slug
    name: Name
    kind: ChannelKind
    unit: str  # the owner
    subscription: Subscription = Subscription()
    max_gap_days: Days | None = None  # a column quiet for longer is overdue
    slots: list[str] = []  # "HH:MM" broadcast times, radio only
    endpoint: str | None = None  # social webhook
    limits: ChannelLimits | None = None


class Council(_Model):
    """The Emulation–Commendation Council: who votes and what share carries a nomination."""

    unit: str
    chair: str
    members: list[str]  # account ids, the chair included
    quorum_share: Share = 2 / 3
    base: Literal["members", "present"] = "members"  # what the yes-share is a share of
    thresholds: dict[str, Share] = {}  # award id → yes-share that must be exceeded
    default_threshold: Share = 0.5

    def threshold_for(self, award_id: str) -> float:
        return self.thresholds.get(award_id, self.default_threshold)


class ShareCap(_Model):
    """Per unit and year, nominations for `award` may be at most `max_share` of those for
    `among` (Chiến sĩ thi đua cơ sở among Lao động tiên tiến)."""

    award: str
    among: str
    max_share: Share


Ineligibility = Literal["disciplined", "under_investigation", "open_complaint"]


class Thresholds(_Model):
    share_caps: list[ShareCap] = []
    # What makes a nominee ineligible while it holds (the 2022 law: all three).
    ineligible_when: list[Ineligibility] = ["disciplined", "under_investigation",
                                            "open_complaint"]
    regular_basis_only: bool = True  # ad hoc and thematic awards are no basis for a title
    min_verified_claims: pydantic.NonNegativeInt = 1  # verified achievements to pass appraisal
    overstated_blocks: bool = True  # one overstated achievement sends the dossier back
    women_priority: bool = True  # women first among candidates otherwise equal
    public_posting_days: Days = 5  # the list stays posted at least this long
    feedback_rate_per_hour: PositiveInt = 5  # public feedback per client and hour
    evidence_max_bytes: PositiveInt = 10 * 1024 * 1024
    import_max_rows: PositiveInt = 10_000  # one list holds ~9 KB a row in memory while checked


class Deadlines(_Model):
    """Days a case may stay at each stage before it is overdue."""

    appraisal: Days = 10
    critique: Days = 5
    public_posting: Days = 7
    council: Days = 10
    decision: Days = 5
    publication: Days = 15


class Quotas(_Model):
    publicised_per_unit: pydantic.NonNegativeInt = 1
    publicised_per_commune: pydantic.NonNegativeInt = 1
    escalated_per_district: pydantic.NonNegativeInt = 1
    # Who owes an exemplar a year: every agency, mass organisation, enterprise and commune.
    unit_kinds: list[UnitKind] = ["agency", "standing_office", "mass_organisation",
                                  "enterprise", "commune"]
    due: str = "12-15"  # MM-DD of the yearly report
    # MM-DD days on which units still short of a quota are warned: each opens a period with
    # at most one warning per unit and quota.
    warn_on: list[str] = ["10-15", "11-15"]

    @pydantic.field_validator("due")
    @classmethod
    def _month_day(cls, value: str) -> str:
        try:
            date.fromisoformat(f"2024-{value}")
        except ValueError:
            raise ValueError(f"hạn báo cáo '{value}' phải có dạng MM-DD") from None
        return value

    @pydantic.field_validator("warn_on")
    @classmethod
    def _month_days(cls, values: list[str]) -> list[str]:
        for value in values:
            cls._month_day(value)
        return sorted(set(values))

    def due_on(self, year: int) -> date:
        return date.fromisoformat(f"{year}-{self.due}")

    def warning_period(self, on: date) -> str | None:
        """The warning day (MM-DD) whose period `on` falls in, until the report is due."""
        if on > self.due_on(on.year):
            return None
        opened = [d for d in self.warn_on if date.fromisoformat(f"{on.year}-{d}") <= on]
        return opened[-1] if opened else None


class Jurisdiction(_Model):
    code: str
    name: Name
    province: Name
    valid_from: date
    valid_to: date | None = None
    # The plan the yearly reports implement, as they cite it ("Kế hoạch số 80/KH-UBND ngày
    # 26/4/2023 của UBND huyện Bù Gia Mập"); none: the reports cite no plan.
    plan: Name | None = None


class Profile(_Model):
    id: Slug
    name: Name
    jurisdiction: Jurisdiction
    units: list[Unit]
    accounts: list[Account]
    fields: list[Field]
    documents: list[Document] = []
    awards: list[Award]
    channels: list[Channel]
    council: Council
    thresholds: Thresholds = Thresholds()
    deadlines: Deadlines = Deadlines()
    quotas: Quotas = Quotas()
    budget: Budget = Budget()
    _by_id: dict[str, dict[str, Any]] = PrivateAttr(default_factory=dict)

    @pydantic.model_validator(mode="after")
    def _consistent(self) -> Profile:
        problems = [problem for check in CHECKS for problem in check(self)]
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def model_post_init(self, context: Any, /) -> None:
        self._by_id = {
            name: {item.id: item for item in getattr(self, name)}
            for name in ("units", "accounts", "fields", "awards", "channels")
        }

    def _get(self, collection: str, label: str, key: str) -> Any:
        try:
            return self._by_id[collection][key]
        except KeyError:
            raise KeyError(f"hồ sơ '{self.id}': không có {label} '{key}'") from None

    def unit(self, unit_id: str) -> Unit:
        return self._get("units", "đơn vị", unit_id)

    def account(self, account_id: str) -> Account:
        return self._get("accounts", "tài khoản", account_id)

    def field(self, field_id: str) -> Field:
        return self._get("fields", "lĩnh vực", field_id)

    def award(self, award_id: str) -> Award:
        return self._get("awards", "danh hiệu hay hình thức khen thưởng", award_id)

    def channel(self, channel_id: str) -> Channel:
        return self._get("channels", "kênh", channel_id)

    def units_active_on(self, day: date) -> list[Unit]:
        return [u for u in self.units if u.active_on(day)]

    def communes(self, on: date | None = None) -> list[Unit]:
        return [u for u in self.units if u.kind == "commune" and (on is None or u.active_on(on))]

    def home_unit(self) -> Unit:
        """The government the council serves (UBND huyện, or the commune after 2025): the
        jurisdiction that owes the province its yearly selections."""
        council_unit = self.unit(self.council.unit)
        return self.unit(council_unit.parent) if council_unit.parent else council_unit

    def descendants(self, unit_id: str) -> list[Unit]:
        """The unit and every unit below it."""
        found, frontier = [self.unit(unit_id)], [unit_id]
        while frontier:
            below = [u for u in self.units if u.parent in frontier]
            found += below
            frontier = [u.id for u in below]
        return found

    def children(self, unit_id: str) -> list[Unit]:
        self.unit(unit_id)
        return [u for u in self.units if u.parent == unit_id]

    def ancestors(self, unit_id: str) -> list[Unit]:
        """The unit itself, then its parent, and so on up to the top."""
        chain = [self.unit(unit_id)]
        while chain[-1].parent is not None:
            chain.append(self.unit(chain[-1].parent))
        return chain

    def editors_of(self, channel_id: str) -> list[Account]:
        self.channel(channel_id)
        return [a for a in self.accounts if channel_id in a.channels and "editor" in a.roles]

    def grantor_of(self, award_id: str, nominating_unit: str) -> Unit:
        """The unit whose head grants the award to a nominee of ``nominating_unit``."""
        granted_by = self.award(award_id).granted_by
        if granted_by in self._by_id["units"]:
            return self.unit(granted_by)
        for unit in self.ancestors(nominating_unit):
            if unit.kind == granted_by:
                return unit
        raise KeyError(f"đơn vị '{nominating_unit}' không thuộc {granted_by} nào")

    def subscribers(self, unit_id: str, field_id: str, event: EventKind) -> list[Channel]:
        """The channels that carry an exemplar of this unit and field for this event."""
        lineage = {u.id for u in self.ancestors(unit_id)}
        return [
            c for c in self.channels
            if event in c.subscription.events
            and (c.subscription.units == "all" or lineage & set(c.subscription.units))
            and (c.subscription.fields == "all" or field_id in c.subscription.fields)
        ]  # fmt: skip
