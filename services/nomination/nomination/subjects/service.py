"""Subjects: one record per person, collective or household of a unit, kept across years."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from exemplar.errors import NotFound, RuleViolation
from exemplar.uow import now

from ..nominations.store import Nomination
from ..text import fold
from . import store

IDENTITY = ("gender", "ethnicity", "position", "workplace", "member_count", "head")


async def resolve_subject(session: AsyncSession, *, unit_id: str,
                          nominee: dict) -> store.Subject:
    """The subject a nomination names: the one given, the same person already known to the
    unit (same name and birth year), or a new one."""
    if nominee.get("subject_id"):
        subject = await session.get(store.Subject, nominee["subject_id"])
        if subject is None or subject.unit_id != unit_id:
            raise RuleViolation("Đối tượng không tồn tại trong đơn vị.",
                                fields={"nominee.subject_id": "không tồn tại"})
        return subject
    folded = fold(nominee["name"])
    subject = await store.find(session, unit_id=unit_id, kind=nominee["kind"],
                               name_folded=folded, birth_year=nominee.get("birth_year"))
    if subject is None:
        subject = store.Subject(id=str(uuid.uuid4()), unit_id=unit_id, kind=nominee["kind"],
                                name=nominee["name"], name_folded=folded,
                                birth_year=nominee.get("birth_year"), created_at=now(),
                                details={k: nominee.get(k) for k in IDENTITY})
        session.add(subject)
        await session.flush()
    return subject


async def awards_held(session: AsyncSession, subject_id: str | None) -> list[dict]:
    """The subject's commendations still in force, for review's multi-year rules."""
    if subject_id is None:
        return []
    return [{"year": a.year, "award": a.award, "decision_number": a.decision_number}
            for a in await store.history(session, subject_id) if not a.revoked]


async def record_award(session: AsyncSession, *, subject_id: str, nomination_id: str,
                       year: int, award: str, award_name: str | None,
                       decision: dict | None) -> None:
    session.add(store.SubjectAward(
        id=str(uuid.uuid4()), subject_id=subject_id, nomination_id=nomination_id, year=year,
        award=award, award_name=award_name,
        decision_number=(decision or {}).get("number"),
        decided_on=(decision or {}).get("signed_on")))


async def revoke_awards(session: AsyncSession, nomination_id: str) -> None:
    await session.execute(update(store.SubjectAward)
                          .where(store.SubjectAward.nomination_id == nomination_id)
                          .values(revoked=True))


def _shown(unit_scope: str | None):
    """A unit sees its own subjects; wide readers only those of a submitted nomination (a
    draft's nominee stays private to the unit)."""
    if unit_scope is not None:
        return store.Subject.unit_id == unit_scope
    return exists().where(Nomination.subject_id == store.Subject.id, Nomination.revision > 0)


async def get_subject(session: AsyncSession, *, subject_id: str,
                      unit_scope: str | None) -> tuple[store.Subject, list[store.SubjectAward]]:
    subject = (await session.scalars(select(store.Subject).where(
        store.Subject.id == subject_id, _shown(unit_scope)))).first()
    if subject is None:
        raise NotFound("Không tìm thấy đối tượng.")
    return subject, await store.history(session, subject_id)


async def search_subjects(session: AsyncSession, *, unit_scope: str | None, q: str | None,
                          limit: int, offset: int) -> list[store.Subject]:
    query = select(store.Subject).where(_shown(unit_scope)).order_by(store.Subject.name_folded)
    if q:
        query = query.where(store.Subject.name_folded.contains(fold(q), autoescape=True))
    return list((await session.scalars(query.limit(limit).offset(offset))).all())
