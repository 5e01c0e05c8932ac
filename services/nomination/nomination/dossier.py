"""What a nomination's dossier holds, as its `submitted` event tells review: the number of
evidence files and the kinds of documents (cover request, achievement report, minutes…)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


async def summary(session: AsyncSession, nomination_id: str) -> tuple[int, list[str]]:
    from .documents.service import document_kinds
    from .evidence.service import evidence_count

    return (await evidence_count(session, nomination_id),
            await document_kinds(session, nomination_id))
