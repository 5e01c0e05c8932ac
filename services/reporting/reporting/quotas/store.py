"""The warnings already given: one `quota_at_risk` per unit, quota and warning period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..projections.store import Base


class QuotaWarning(Base):
    __tablename__ = "quota_warning"

    unit_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    quota: Mapped[str] = mapped_column(String(20), primary_key=True)
    period: Mapped[str] = mapped_column(String(5), primary_key=True)  # the warning day, MM-DD
    achieved: Mapped[int] = mapped_column(Integer)
    warned_at: Mapped[datetime] = mapped_column(UtcDateTime)
