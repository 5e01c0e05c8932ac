"""The bonus line of a budget estimate (khen_thuong), computed, never typed: for each award,
nominee kind and signing date, count × the award's multiplier × the base pay, both taken on
the day the decision was signed, each commendation's bonus rounded up to the profile's step.
The bonus is paid by the unit that grants the award (`profile.grantor_of`): the district for
its titles and its chairman's Giấy khen, a commune for its chairman's Giấy khen.

Money is whole đồng in Python ints. The multiplier comes from the profile as a float, whose
binary value is a hair off the decimal the decree wrote (0.7 is 0.69999…, 0.1 × 3 is not
0.3); multiplied as a float, a bonus that lands exactly on a rounding step can come out a
hair above it and be rounded up a whole step. `Decimal(str(x))` takes the shortest decimal
that reads back as the float — the decree's own figure — and multiplies it exactly.

A commendation the profile cannot price (no multiplier for that award and kind, no base pay
on that date) is listed apart with its reason, for the finance office to settle: counting it
as 0 would understate what the unit owes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from exemplar.profile.budget import Budget

from ..projections.queries import CommendationCount

TASK = "khen_thuong"
KIND_NAMES = {"individual": "cá nhân", "collective": "tập thể", "household": "hộ gia đình"}


@dataclass(frozen=True)
class Priced:
    award: str
    award_name: str
    nominee_kind: str
    signed_on: date
    count: int
    multiplier: Decimal
    base_pay: int
    each: int  # one commendation's bonus, rounded up
    amount: int  # count × each
    source: str  # the decree that set the multiplier


@dataclass(frozen=True)
class Unpriced:
    award: str
    award_name: str
    nominee_kind: str
    signed_on: date | None
    count: int
    reason: str


@dataclass(frozen=True)
class Bonus:
    items: tuple[Priced, ...]
    unpriced: tuple[Unpriced, ...]

    @property
    def amount(self) -> int:
        return sum(i.amount for i in self.items)

    @property
    def unpriced_count(self) -> int:
        return sum(u.count for u in self.unpriced)


def multiplier(value: float) -> Decimal:
    return Decimal(str(value))


def round_up(amount: Decimal, step: int) -> int:
    return int((amount / step).to_integral_value(rounding=ROUND_CEILING)) * step


def _why_unpriced(budget: Budget, c: CommendationCount) -> str | None:
    if c.unresolved is not None:
        return c.unresolved
    kind = KIND_NAMES.get(c.nominee_kind, c.nominee_kind)
    if c.signed_on is None:
        return "Quyết định không ghi ngày ký: không xác định được mức thưởng."
    rates = budget.rates_on(c.signed_on)
    if rates is None:
        return f"Chưa có quy định hệ số mức thưởng hiệu lực ngày {c.signed_on:%d/%m/%Y}."
    if c.nominee_kind not in rates.multipliers.get(c.award, {}):
        return (f"{rates.source or 'Quy định hiện hành'} không quy định hệ số mức thưởng cho "
                f"{c.award_name} ({kind}).")
    if budget.base_pay_on(c.signed_on) is None:
        return f"Chưa có mức lương cơ sở hiệu lực ngày {c.signed_on:%d/%m/%Y}."
    return None


def price(budget: Budget, counts: Iterable[CommendationCount]) -> Bonus:
    items, unpriced = [], []
    for c in sorted(counts, key=lambda c: (c.award, c.nominee_kind, c.signed_on or date.min)):
        reason = _why_unpriced(budget, c)
        if reason is not None:
            unpriced.append(Unpriced(award=c.award, award_name=c.award_name,
                                     nominee_kind=c.nominee_kind, signed_on=c.signed_on,
                                     count=c.count, reason=reason))
            continue
        assert c.signed_on is not None  # _why_unpriced said so
        rates, pay = budget.rates_on(c.signed_on), budget.base_pay_on(c.signed_on)
        assert rates is not None and pay is not None
        factor = multiplier(rates.multipliers[c.award][c.nominee_kind])
        each = round_up(factor * pay.amount, budget.round_up_to)
        items.append(Priced(award=c.award, award_name=c.award_name,
                            nominee_kind=c.nominee_kind, signed_on=c.signed_on, count=c.count,
                            multiplier=factor, base_pay=pay.amount, each=each,
                            amount=each * c.count, source=rates.source))
    return Bonus(items=tuple(items), unpriced=tuple(unpriced))


def as_dict(bonus: Bonus) -> dict:
    """The bonus line as stored when an estimate is submitted, and as it is read."""
    return {
        "amount": bonus.amount, "unpriced_count": bonus.unpriced_count,
        "items": [{"award": i.award, "award_name": i.award_name,
                   "nominee_kind": i.nominee_kind, "signed_on": i.signed_on.isoformat(),
                   "count": i.count, "multiplier": str(i.multiplier), "base_pay": i.base_pay,
                   "each": i.each, "amount": i.amount, "source": i.source}
                  for i in bonus.items],
        "unpriced": [{"award": u.award, "award_name": u.award_name,
                      "nominee_kind": u.nominee_kind,
                      "signed_on": u.signed_on.isoformat() if u.signed_on else None,
                      "count": u.count, "reason": u.reason} for u in bonus.unpriced]}
