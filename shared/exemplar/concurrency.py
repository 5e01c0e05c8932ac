"""Optimistic concurrency for every service: a stale If-Match, or a writer that lost the race
at commit, is 412; a concurrent duplicate (a unique key taken meanwhile) is 409."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from exemplar.errors import Conflict, StaleVersion
from exemplar.uow import UnitOfWork

STALE = "Dữ liệu đã được người khác sửa; hãy tải lại rồi sửa tiếp."


def require_current(row_version: int, expected: int | None) -> None:
    if expected is not None and row_version != expected:
        raise StaleVersion(STALE)


async def commit(uow: UnitOfWork) -> None:
    try:
        await uow.commit()
    except StaleDataError:
        raise StaleVersion(STALE) from None
    except IntegrityError:
        raise Conflict("Dữ liệu vừa bị thay đổi đồng thời; hãy tải lại rồi thử lại.") from None
