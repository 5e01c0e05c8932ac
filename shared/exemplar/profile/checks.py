"""The profile's consistency checks: each yields Vietnamese messages naming the offending id.

``Profile`` runs every check in ``CHECKS`` after its fields validate and refuses itself with
all the messages at once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Final

from .types import UNIT_KINDS

if TYPE_CHECKING:
    from .models import Profile

_SLOT = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
_RADIO_KINDS = ("radio", "commune_radio")


def check_unique(p: Profile) -> Iterator[str]:
    labels = {"units": "đơn vị", "accounts": "tài khoản", "fields": "lĩnh vực",
              "documents": "loại tài liệu", "awards": "danh hiệu", "channels": "kênh"}  # fmt: skip
    for collection, label in labels.items():
        for key, n in Counter(item.id for item in getattr(p, collection)).items():
            if n > 1:
                yield f"{label} '{key}': mã bị trùng ({n} lần)"
    for member, n in Counter(p.council.members).items():
        if n > 1:
            yield f"hội đồng: thành viên '{member}' bị trùng ({n} lần)"


def check_references(p: Profile) -> Iterator[str]:
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
        *((f"danh hiệu '{a.id}'", "danh hiệu của thành viên", a.member_share_of, awards)
          for a in p.awards if a.member_share_of),
        *(("ngưỡng tỷ lệ", "danh hiệu", ref, awards)
          for cap in p.thresholds.share_caps for ref in (cap.award, cap.among)),
        *((f"kênh '{c.id}'", "đơn vị", c.unit, units) for c in p.channels),
        *((f"kênh '{c.id}'", "đơn vị theo dõi", u, units)
          for c in p.channels if c.subscription.units != "all" for u in c.subscription.units),
        *((f"kênh '{c.id}'", "lĩnh vực theo dõi", f, fields)
          for c in p.channels if c.subscription.fields != "all" for f in c.subscription.fields),
        ("hội đồng", "đơn vị", council.unit, units),
        *(("hội đồng", "tài khoản thành viên", m, accounts) for m in council.members),
        *(("hội đồng", "danh hiệu có ngưỡng", a, awards) for a in council.thresholds),
        *((f"hệ số tiền thưởng từ {r.effective_from}", "danh hiệu", a, awards)
          for r in p.budget.bonuses for a in r.multipliers),
    ]  # fmt: skip
    for who, what, ref, known in references:
        if ref not in known:
            yield f"{who}: {what} '{ref}' không tồn tại"


def check_dates(p: Profile) -> Iterator[str]:
    j = p.jurisdiction
    if j.valid_to is not None and j.valid_to < j.valid_from:
        yield f"địa bàn '{j.code}': valid_to {j.valid_to} trước valid_from {j.valid_from}"
    for u in p.units:
        if u.effective_to is not None and u.effective_to < u.effective_from:
            yield (f"đơn vị '{u.id}': effective_to {u.effective_to} "
                   f"trước effective_from {u.effective_from}")  # fmt: skip


def check_parent_cycles(p: Profile) -> Iterator[str]:
    parents = {u.id: u.parent for u in p.units}
    for unit_id in parents:
        seen, current = {unit_id}, parents[unit_id]
        while current in parents:
            if current in seen:
                yield f"đơn vị '{unit_id}': chuỗi đơn vị cha bị vòng lặp"
                break
            seen.add(current)
            current = parents[current]


def check_roles(p: Profile) -> Iterator[str]:
    # An unknown unit or account is check_references' to report: here it passes.
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


def check_slots(p: Profile) -> Iterator[str]:
    for c in p.channels:
        for slot in c.slots:
            if not _SLOT.match(slot):
                yield f"kênh '{c.id}': giờ phát '{slot}' phải có dạng HH:MM"
        if c.slots and c.kind not in _RADIO_KINDS:
            yield f"kênh '{c.id}': chỉ kênh truyền thanh mới có giờ phát"


CHECKS: Final[tuple[Callable[[Profile], Iterator[str]], ...]] = (
    check_unique, check_references, check_dates, check_parent_cycles, check_roles, check_slots,
)  # fmt: skip
