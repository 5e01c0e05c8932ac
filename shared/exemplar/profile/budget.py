"""The profile's budget section: the base pay and the bonus multipliers, each versioned by
the date a decree set them, and the task lines an estimate is made of."""

from __future__ import annotations

from datetime import date

import pydantic
from pydantic import BaseModel, ConfigDict, PositiveInt

from .types import Name, NomineeKind, Slug


class _Model(BaseModel):  # as in models.py: no unknown keys, frozen once loaded
    model_config = ConfigDict(extra="forbid", frozen=True)



class BasePay(_Model):
    """The statutory base pay (mức lương cơ sở), VND a month, from a date on."""

    effective_from: date
    amount: PositiveInt


class BonusRates(_Model):
    """Bonus multipliers of the base pay, by award and nominee kind, from a date on (a decree)."""

    effective_from: date
    source: str = ""  # the decree that set them
    multipliers: dict[str, dict[NomineeKind, pydantic.NonNegativeFloat]]


class Budget(_Model):
    """What the bonus line of a budget estimate is computed from; both versioned by date."""

    base_pay: list[BasePay] = []
    bonuses: list[BonusRates] = []
    round_up_to: PositiveInt = 1  # a bonus is rounded up to this many VND
    # Lines a unit's estimate is made of (task id → name); "khen_thuong" is computed.
    tasks: dict[Slug, Name] = {}

    def base_pay_on(self, day: date) -> BasePay | None:
        valid = [b for b in self.base_pay if b.effective_from <= day]
        return max(valid, key=lambda b: b.effective_from, default=None)

    def rates_on(self, day: date) -> BonusRates | None:
        valid = [r for r in self.bonuses if r.effective_from <= day]
        return max(valid, key=lambda r: r.effective_from, default=None)
