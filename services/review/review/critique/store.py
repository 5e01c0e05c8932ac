"""The Fatherland Front's comments on cases (social critique), kept as written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from exemplar.db import UtcDateTime

from ..db import Base


class CritiqueComment(Base):
    __tablename__ = "critique_comment"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("review_case.id"), index=True)
    author: Mapped[str] = mapped_column(String(100))  # the account
    author_name: Mapped[str] = mapped_column(String(300))
    author_unit: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def of_case(session: AsyncSession, case_id: str) -> list[CritiqueComment]:
    return list(await session.scalars(
        select(CritiqueComment).where(CritiqueComment.case_id == case_id)
        .order_by(CritiqueComment.created_at, CritiqueComment.id)))
