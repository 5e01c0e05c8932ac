"""Critique: the Front comments on a case while it is still under review."""

from __future__ import annotations

import uuid

from exemplar.auth import Principal
from exemplar.concurrency import commit
from exemplar.errors import Conflict
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from ..cases.domain import STATUS_NAMES, S
from ..cases.service import get_case
from . import store

# Once decided, revoked or withdrawn, there is nothing left for a comment to weigh on.
CLOSED = (S.decided, S.revoked, S.withdrawn)


async def comment_on_case(uow: UnitOfWork, *, user: Principal, case_id: str,
                          text: str) -> store.CritiqueComment:
    case = await get_case(uow, case_id)
    if case.status in CLOSED:
        raise Conflict(f"Hồ sơ “{STATUS_NAMES[S(case.status)]}”: không còn nhận ý kiến "
                       f"phản biện.", fields={"case_id": "hồ sơ đã kết thúc xét duyệt"})
    comment = store.CritiqueComment(id=str(uuid.uuid4()), case_id=case.id, author=user.sub,
                                    author_name=user.name, author_unit=user.unit, text=text,
                                    created_at=now())
    uow.session.add(comment)
    await record(uow, actor=user.sub, action="case.commented", entity="case",
                 entity_id=case.id, data={"nomination_id": case.nomination_id,
                                          "comment_id": comment.id, "status": case.status})
    await commit(uow)
    return comment


async def comments_on_case(uow: UnitOfWork, *, case_id: str) -> list[store.CritiqueComment]:
    case = await get_case(uow, case_id)
    return await store.of_case(uow.session, case.id)
