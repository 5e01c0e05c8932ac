"""The jurisdiction profile: who exists, who may do what, and the numbers the rules use.

Units, accounts, channels, titles and the council are data with effective dates (a YAML file
checked at start-up), never code: the district level was abolished on 1 July 2025 and the next
reorganisation must be a new profile, not a new release.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Final, Literal, get_args

import pydantic
import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, PositiveInt, PrivateAttr

Role = Literal[
    "unit_officer", "unit_head", "standing_office", "council_member", "chair",
    "front_reviewer", "editor", "finance", "viewer", "admin",
]  # fmt: skip
UnitKind = Literal[
    "district_people_committee", "council", "standing_office", "agency", "commune",
    "mass_organisation", "enterprise", "radio", "commune_radio", "portal", "party_committee",
    "political_centre", "front", "province", "provincial_board",
]  # fmt: skip
NomineeKind = Literal["individual", "collective", "household"]
ChannelKind = Literal[
    "portal_column", "radio", "commune_radio", "zalo", "facebook", "unit_site", "exchange",
    "political_class",
]  # fmt: skip
EventKind = Literal["decided", "escalated", "good_deed"]

UNIT_KINDS: Final = frozenset(get_args(UnitKind))
DEFAULT_PROFILE_NAME: Final = "bu-gia-map-2023.yaml"
DEFAULT_PROFILE_PATH: Final = Path(__file__).with_name("profiles") / DEFAULT_PROFILE_NAME

Slug = Annotated[str, pydantic.StringConstraints(pattern=r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")]
Name = Annotated[str, pydantic.StringConstraints(min_length=1), AfterValidator(
    lambda s: unicodedata.normalize("NFC", s.strip()))]  # fmt: skip
Share = Annotated[float, pydantic.Field(gt=0, le=1)]
Days = Annotated[int, pydantic.Field(ge=1)]
_SLOT = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
_RADIO_KINDS = ("radio", "commune_radio")


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


class Thresholds(_Model):
    elite_share_max: Share = 0.15  # Chiến sĩ thi đua cơ sở among Lao động tiên tiến, unit/year
    excellent_collective_share_max: Share = 0.2  # TT lao động xuất sắc among TT tiên tiến
    public_posting_days: Days = 5  # the list stays posted at least this long
    feedback_rate_per_hour: PositiveInt = 5  # public feedback per client and hour
    evidence_max_bytes: PositiveInt = 10 * 1024 * 1024
    import_max_rows: PositiveInt = 100_000


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
    due: str = "12-15"  # MM-DD of the yearly report
    warn_days_before: pydantic.NonNegativeInt = 60

    @pydantic.field_validator("due")
    @classmethod
    def _month_day(cls, value: str) -> str:
        try:
            date.fromisoformat(f"2024-{value}")
        except ValueError:
            raise ValueError(f"hạn báo cáo '{value}' phải có dạng MM-DD") from None
        return value

    def due_on(self, year: int) -> date:
        return date.fromisoformat(f"{year}-{self.due}")


class Jurisdiction(_Model):
    code: str
    name: Name
    province: Name
    valid_from: date
    valid_to: date | None = None


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
    _by_id: dict[str, dict[str, Any]] = PrivateAttr(default_factory=dict)

    @pydantic.model_validator(mode="after")
    def _consistent(self) -> Profile:
        problems = [problem for check in _CHECKS for problem in check(self)]
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


# --- consistency checks: each yields Vietnamese messages naming the offending id ---


def _check_unique(p: Profile) -> Iterator[str]:
    labels = {"units": "đơn vị", "accounts": "tài khoản", "fields": "lĩnh vực",
              "documents": "loại tài liệu", "awards": "danh hiệu", "channels": "kênh"}  # fmt: skip
    for collection, label in labels.items():
        for key, n in Counter(item.id for item in getattr(p, collection)).items():
            if n > 1:
                yield f"{label} '{key}': mã bị trùng ({n} lần)"
    for member, n in Counter(p.council.members).items():
        if n > 1:
            yield f"hội đồng: thành viên '{member}' bị trùng ({n} lần)"


def _check_references(p: Profile) -> Iterator[str]:
    units, accounts = {u.id for u in p.units}, {a.id for a in p.accounts}
    awards, channels = {a.id for a in p.awards}, {c.id for c in p.channels}
    fields, documents = {f.id for f in p.fields}, {d.id for d in p.documents}
    council, grantors = p.council, units | UNIT_KINDS
    references = [  # (who refers, to what, the reference, the ids it may name)
        *((f"đơn vị '{u.id}'", "đơn vị cha", u.parent, units) for u in p.units if u.parent),
        *((f"tài khoản '{a.id}'", "đơn vị", a.unit, units) for a in p.accounts),
        *((f"tài khoản '{a.id}'", "kênh", c, channels) for a in p.accounts for c in a.channels),
        *((f"danh hiệu '{a.id}'", "đơn vị cấp", a.granted_by, grantors) for a in p.awards),
        *((f"danh hiệu '{a.id}'", "danh hiệu điều kiện", r, awards)
          for a in p.awards for r in a.requires),
        *((f"danh hiệu '{a.id}'", "loại tài liệu", d, documents)
          for a in p.awards for d in a.required_documents),
        *((f"kênh '{c.id}'", "đơn vị", c.unit, units) for c in p.channels),
        *((f"kênh '{c.id}'", "đơn vị theo dõi", u, units)
          for c in p.channels if c.subscription.units != "all" for u in c.subscription.units),
        *((f"kênh '{c.id}'", "lĩnh vực theo dõi", f, fields)
          for c in p.channels if c.subscription.fields != "all" for f in c.subscription.fields),
        ("hội đồng", "đơn vị", council.unit, units),
        *(("hội đồng", "tài khoản thành viên", m, accounts) for m in council.members),
        *(("hội đồng", "danh hiệu có ngưỡng", a, awards) for a in council.thresholds),
    ]  # fmt: skip
    for who, what, ref, known in references:
        if ref not in known:
            yield f"{who}: {what} '{ref}' không tồn tại"


def _check_dates(p: Profile) -> Iterator[str]:
    j = p.jurisdiction
    if j.valid_to is not None and j.valid_to < j.valid_from:
        yield f"địa bàn '{j.code}': valid_to {j.valid_to} trước valid_from {j.valid_from}"
    for u in p.units:
        if u.effective_to is not None and u.effective_to < u.effective_from:
            yield (f"đơn vị '{u.id}': effective_to {u.effective_to} "
                   f"trước effective_from {u.effective_from}")  # fmt: skip


def _check_parent_cycles(p: Profile) -> Iterator[str]:
    parents = {u.id: u.parent for u in p.units}
    for unit_id in parents:
        seen, current = {unit_id}, parents[unit_id]
        while current in parents:
            if current in seen:
                yield f"đơn vị '{unit_id}': chuỗi đơn vị cha bị vòng lặp"
                break
            seen.add(current)
            current = parents[current]


def _check_roles(p: Profile) -> Iterator[str]:
    # An unknown unit or account is _check_references' to report: here it passes.
    roles = {a.id: set(a.roles) for a in p.accounts}
    for a in p.accounts:
        if a.channels and "editor" not in a.roles:
            yield f"tài khoản '{a.id}': được giao kênh nhưng thiếu vai trò 'editor'"
    council, units = p.council, {u.id: u.kind for u in p.units}
    if units.get(council.unit, "council") != "council":
        yield f"hội đồng: đơn vị '{council.unit}' không phải loại 'council'"
    if council.chair not in council.members:
        yield f"hội đồng: chủ tịch '{council.chair}' không có trong danh sách thành viên"
    if "chair" not in roles.get(council.chair, {"chair"}):
        yield f"hội đồng: tài khoản chủ tịch '{council.chair}' thiếu vai trò 'chair'"
    for member in dict.fromkeys(council.members):
        if not roles.get(member, {"chair"}) & {"council_member", "chair"}:
            yield f"hội đồng: tài khoản '{member}' thiếu vai trò 'council_member'"


def _check_slots(p: Profile) -> Iterator[str]:
    for c in p.channels:
        for slot in c.slots:
            if not _SLOT.match(slot):
                yield f"kênh '{c.id}': giờ phát '{slot}' phải có dạng HH:MM"
        if c.slots and c.kind not in _RADIO_KINDS:
            yield f"kênh '{c.id}': chỉ kênh truyền thanh mới có giờ phát"


_CHECKS = (_check_unique, _check_references, _check_dates, _check_parent_cycles, _check_roles,
           _check_slots)  # fmt: skip


class ProfileError(ValueError):
    """An unreadable or inconsistent profile; ``problems`` lists every fault found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source, self.problems = source, problems
        lines = "\n".join(f"- {problem}" for problem in problems)
        super().__init__(f"hồ sơ địa bàn '{source}' không hợp lệ ({len(problems)} lỗi):\n{lines}")


def load_profile(path: str | Path | None = None) -> Profile:
    """Read and check a profile; None reads the packaged default (Bù Gia Mập 2023)."""
    if path is None:
        source = f"exemplar.profiles/{DEFAULT_PROFILE_NAME}"
        resource = resources.files("exemplar.profiles").joinpath(DEFAULT_PROFILE_NAME)
        text = resource.read_text(encoding="utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ProfileError(source, [f"không đọc được tệp: {exc}"]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(source, [f"YAML không hợp lệ: {exc}"]) from exc
    if not isinstance(data, dict):
        raise ProfileError(source, ["nội dung phải là một bảng khóa–giá trị (mapping)"])
    try:
        return Profile.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ProfileError(source, _problems(exc, data)) from exc


def _problems(exc: pydantic.ValidationError, data: Any) -> list[str]:
    problems: list[str] = []
    for error in exc.errors():
        is_ours = error["type"] == "value_error"  # raised by a check: keep its own words
        message = str(error["ctx"]["error"]) if is_ours else error["msg"]
        where = _where(data, error["loc"])
        problems.extend(f"{where}: {line}" if where else line for line in message.splitlines())
    return problems


def _where(data: Any, loc: tuple[int | str, ...]) -> str:
    """A location path that names list items by their id: ``units[xa-dak-o].parent``."""
    path = ""
    for step in loc:
        if isinstance(step, int):
            item = data[step] if isinstance(data, list) and step < len(data) else None
            key = item.get("id") if isinstance(item, dict) else None
            path += f"[{key or step}]"
            data = item
        else:
            path += f".{step}" if path else str(step)
            data = data.get(step) if isinstance(data, dict) else None
    return path
