"""What a nomination's dossier holds, as its `submitted` event tells review: the number of
evidence files and the kinds of documents (cover request, achievement report, minutes…).
Read straight from those features' tables, below their use cases (which need nominations)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from .documents import store as documents
from .evidence import store as evidence


async def summary(session: AsyncSession, nomination_id: str) -> tuple[int, list[str]]:
    return (await evidence.count(session, nomination_id),
            await documents.kinds(session, nomination_id))


async def unknown_evidence(session: AsyncSession, nomination_id: str,
                           ids: list[str]) -> list[str]:
    """The ids, in the order given and once each, that are not evidence of the nomination."""
    known = await evidence.known_ids(session, nomination_id, ids)
    return [i for i in dict.fromkeys(ids) if i not in known]
