"""Council sessions, their agenda items and who cast a ballot.

A ballot is kept in two halves that cannot be joined again: `ballot_cast` says WHO voted on
an item (and whether in writing), the item's counters say how many chose what. The counters
move by one statement whose text is the same for every choice, so neither the rows nor the
SQL in traces tell which counter a member moved."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    Select,
    String,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

from exemplar.db import UtcDateTime

from ..cases.store import Case
from ..db import Base
from .domain import BUSY, CHOICES


class CouncilSession(Base):
    __tablename__ = "council_session"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # scheduled / open / closed
    present: Mapped[list[str]] = mapped_column(JSON, server_default="[]")  # account ids
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    opened_by: Mapped[str | None] = mapped_column(String(100))
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class AgendaItem(Base):
    """A case on a session's agenda; the counters are readable only once the session closed,
    and the tally is stored at the close."""

    __tablename__ = "agenda_item"

    session_id: Mapped[str] = mapped_column(String(36), ForeignKey("council_session.id"),
                                            primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)
    recused: Mapped[list[dict[str, Any]]] = mapped_column(JSON, server_default="[]")
    yes: Mapped[int] = mapped_column(Integer, server_default="0")
    no: Mapped[int] = mapped_column(Integer, server_default="0")
    abstain: Mapped[int] = mapped_column(Integer, server_default="0")
    # The tally, set at the close:
    eligible: Mapped[int | None] = mapped_column(Integer)
    present_eligible: Mapped[int | None] = mapped_column(Integer)
    voters: Mapped[int | None] = mapped_column(Integer)
    base: Mapped[int | None] = mapped_column(Integer)
    quorum_met: Mapped[bool | None] = mapped_column(Boolean)
    share: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    result: Mapped[str | None] = mapped_column(String(20))  # passed/failed/withdrawn/skipped
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class BallotCast(Base):
    """That a member voted on an item: never what."""

    __tablename__ = "ballot_cast"

    session_id: Mapped[str] = mapped_column(String(36), ForeignKey("council_session.id"),
                                            primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member: Mapped[str] = mapped_column(String(100), primary_key=True)  # one ballot each
    written: Mapped[bool] = mapped_column(Boolean)  # absent from the session, voted in writing
    cast_at: Mapped[datetime] = mapped_column(UtcDateTime)


_items = AgendaItem.__table__
# One shape for every choice: each counter moves by a bound 0 or 1. The item must be as it was
# read (`seen` version) and still untallied, so a ballot racing the close, or a recusal
# declared meanwhile, makes it miss rather than be counted; it bumps the version in turn, so a
# recusal racing the ballot misses as well.
COUNT_BALLOT = (
    update(_items)
    .where(_items.c.session_id == bindparam("sid"), _items.c.case_id == bindparam("cid"),
           _items.c.version == bindparam("seen"), _items.c.result.is_(None))
    .values(yes=_items.c.yes + bindparam("add_yes"), no=_items.c.no + bindparam("add_no"),
            abstain=_items.c.abstain + bindparam("add_abstain"),
            version=_items.c.version + 1))
RECUSE = (
    update(_items)
    .where(_items.c.session_id == bindparam("sid"), _items.c.case_id == bindparam("cid"),
           _items.c.version == bindparam("seen"), _items.c.result.is_(None))
    .values(recused=bindparam("recused", type_=JSON), version=_items.c.version + 1))


def ballot_params(item: AgendaItem, choice: str) -> dict[str, Any]:
    return {"sid": item.session_id, "cid": item.case_id, "seen": item.version,
            **{f"add_{c}": int(c == choice) for c in CHOICES}}


async def count_ballot(session: AsyncSession, item: AgendaItem, choice: str) -> bool:
    """Add one to the chosen counter; False when the item changed since it was read."""
    result = await session.execute(COUNT_BALLOT, ballot_params(item, choice))
    return result.rowcount == 1


async def recuse(session: AsyncSession, item: AgendaItem, recusal: dict[str, str]) -> bool:
    """Add a recusal to the item; False when the item changed since it was read."""
    recused = [*item.recused, recusal]
    result = await session.execute(RECUSE, {"sid": item.session_id, "cid": item.case_id,
                                            "seen": item.version, "recused": recused})
    if result.rowcount != 1:
        return False
    # What the answer shows is what was written, without reading the row again.
    set_committed_value(item, "recused", recused)
    set_committed_value(item, "version", item.version + 1)
    return True


def _locked(query: Select, lock: bool) -> Select:
    """Locked rows are read as they are now (not as the session last saw them). The lock is
    FOR NO KEY UPDATE: it lines writers up without blocking the key checks of rows that refer
    to the locked one (a ballot cast refers to its session)."""
    if not lock:
        return query
    return query.with_for_update(key_share=True).execution_options(populate_existing=True)


async def session_row(session: AsyncSession, session_id: str, *,
                      for_update: bool = False) -> CouncilSession | None:
    return (await session.scalars(_locked(
        select(CouncilSession).where(CouncilSession.id == session_id), for_update))).first()


async def items_of(session: AsyncSession, session_id: str, *,
                   for_update: bool = False) -> list[AgendaItem]:
    """The agenda in order. `for_update` waits for ballots being cast to commit, so the
    close counts every one of them."""
    query = select(AgendaItem).where(AgendaItem.session_id == session_id)
    return list(await session.scalars(_locked(query.order_by(AgendaItem.position),
                                              for_update)))


async def item(session: AsyncSession, session_id: str, case_id: str, *,
               for_update: bool = False) -> AgendaItem | None:
    query = select(AgendaItem).where(AgendaItem.session_id == session_id,
                                     AgendaItem.case_id == case_id)
    return (await session.scalars(_locked(query, for_update))).first()


async def ballots_of(session: AsyncSession, session_id: str) -> list[BallotCast]:
    return list(await session.scalars(
        select(BallotCast).where(BallotCast.session_id == session_id)
        .order_by(BallotCast.case_id, BallotCast.member)))


async def ballot(session: AsyncSession, session_id: str, case_id: str,
                 member: str) -> BallotCast | None:
    return await session.get(BallotCast, (session_id, case_id, member))


async def busy_elsewhere(session: AsyncSession, case_ids: list[str],
                         session_id: str | None = None) -> dict[str, str]:
    """Case id → the title of the scheduled or open session whose agenda holds it."""
    if not case_ids:
        return {}
    query = (select(AgendaItem.case_id, CouncilSession.title)
             .join(CouncilSession, CouncilSession.id == AgendaItem.session_id)
             .where(AgendaItem.case_id.in_(case_ids), CouncilSession.status.in_(BUSY)))
    if session_id is not None:
        query = query.where(CouncilSession.id != session_id)
    return {case_id: title for case_id, title in (await session.execute(query)).all()}


async def cases_by_id(session: AsyncSession, case_ids: list[str], *,
                      for_update: bool = False) -> dict[str, Case]:
    if not case_ids:
        return {}
    query = select(Case).where(Case.id.in_(case_ids)).order_by(Case.id)
    return {c.id: c for c in await session.scalars(_locked(query, for_update))}


async def next_position(session: AsyncSession, session_id: str) -> int:
    last = await session.scalar(select(func.max(AgendaItem.position))
                                .where(AgendaItem.session_id == session_id))
    return (last or 0) + 1


async def sessions(session: AsyncSession, *, status: str | None, limit: int,
                   offset: int) -> list[CouncilSession]:
    query = select(CouncilSession)
    if status is not None:
        query = query.where(CouncilSession.status == status)
    return list(await session.scalars(
        query.order_by(CouncilSession.held_on.desc(), CouncilSession.created_at.desc())
        .limit(limit).offset(offset)))


async def item_counts(session: AsyncSession, session_ids: list[str]) -> dict[str, int]:
    if not session_ids:
        return {}
    rows = await session.execute(
        select(AgendaItem.session_id, func.count()).where(
            AgendaItem.session_id.in_(session_ids)).group_by(AgendaItem.session_id))
    return {sid: n for sid, n in rows.all()}
