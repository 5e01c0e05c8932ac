"""Optimistic concurrency for every service: a stale If-Match, or a writer that lost the race
at commit, is 412; a concurrent duplicate (a unique key taken meanwhile) is 409."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from exemplar.errors import Conflict, StaleVersion, VersionRequired
from exemplar.uow import UnitOfWork

STALE = "Dữ liệu đã được người khác sửa; hãy tải lại rồi sửa tiếp."


IfMatch = Annotated[str | None, Header(alias="If-Match")]


def expected_version(if_match: str | None, *, required: bool) -> int | None:
    """The row version an If-Match header names (`"3"` or `W/"3"`): every ETag the services
    give is a row's version. Without the header: 428 when `required`, else no check."""
    if if_match is None:
        if required:
            raise VersionRequired("Cần tiêu đề If-Match với ETag của lần đọc gần nhất.",
                                  fields={"If-Match": "bắt buộc"})
        return None
    try:
        return int(if_match.strip().removeprefix("W/").strip('"'))
    except ValueError:
        raise StaleVersion("If-Match không hợp lệ.",
                           fields={"If-Match": "không hợp lệ"}) from None


def require_current(row_version: int, expected: int | None) -> None:
    if expected is not None and row_version != expected:
        raise StaleVersion(STALE)


async def flush(uow: UnitOfWork) -> None:
    """Write pending changes now (to take their row locks first), with commit's answers."""
    try:
        await uow.session.flush()
    except StaleDataError:
        raise StaleVersion(STALE) from None
    except IntegrityError:
        raise Conflict("Dữ liệu vừa bị thay đổi đồng thời; hãy tải lại rồi thử lại.") from None


async def commit(uow: UnitOfWork) -> None:
    try:
        await uow.commit()
    except StaleDataError:
        raise StaleVersion(STALE) from None
    except IntegrityError:
        raise Conflict("Dữ liệu vừa bị thay đổi đồng thời; hãy tải lại rồi thử lại.") from None
