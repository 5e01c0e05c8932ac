"""Posting the list of appraised cases for the public, in one transaction."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from exemplar.clock import today
from exemplar.concurrency import commit
from exemplar.errors import InvalidTransition, NotFound
from exemplar.events import CasePostedV1
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from ..cases.domain import STATUS_NAMES, S
from ..cases.service import move
from ..cases.store import Case
from ..cases.store import lock as lock_cases
from . import store
from .domain import check_opens_on, last_day

NOT_FOUND = "Không tìm thấy đợt công khai."


async def _appraised(uow: UnitOfWork, case_ids: list[str]) -> list[Case]:
    """The cases, in the order asked; every one must exist and be appraised."""
    await lock_cases(uow.session, case_ids)
    found = {c.id: c for c in await uow.session.scalars(
        select(Case).where(Case.id.in_(case_ids)))}
    missing = [i for i in case_ids if i not in found]
    if missing:
        raise NotFound(f"Không tìm thấy hồ sơ xét duyệt: {', '.join(missing)}.",
                       fields={"case_ids": f"không tồn tại: {', '.join(missing)}"})
    wrong = [found[i] for i in case_ids if found[i].status != S.appraised]
    if wrong:
        named = "; ".join(f"{c.nominee_name} ({c.unit_name}) đang ở bước "
                          f"“{STATUS_NAMES[S(c.status)]}”" for c in wrong)
        raise InvalidTransition(
            f"Chỉ công khai được hồ sơ đã thẩm định: {named}.",
            fields={"case_ids": "chưa thẩm định hoặc đã qua bước công khai: "
                                + ", ".join(c.id for c in wrong)})
    return [found[i] for i in case_ids]


async def create_posting(uow: UnitOfWork, *, title: str, case_ids: list[str],
                         opens_on: date | None, profile: Profile,
                         actor: str) -> tuple[store.Posting, list[Case]]:
    """Post the list: each case moves to `posted` and announces its window once."""
    opens_on = opens_on or today()
    check_opens_on(opens_on, today())
    case_ids = list(dict.fromkeys(case_ids))  # the same case listed twice is posted once
    cases = await _appraised(uow, case_ids)
    posting = store.Posting(
        id=str(uuid.uuid4()), title=title, opens_on=opens_on,
        closes_on=last_day(opens_on, profile.thresholds.public_posting_days),
        created_by=actor, created_at=now())
    uow.session.add(posting)
    await uow.session.flush([posting])
    window = {"posting_id": posting.id, "opens_on": posting.opens_on,
              "closes_on": posting.closes_on}
    await record(uow, actor=actor, action="posting.created", entity="posting",
                 entity_id=posting.id, data={"title": title, "opens_on": posting.opens_on,
                                             "closes_on": posting.closes_on,
                                             "case_ids": case_ids})
    for case in cases:
        case.posting_id = posting.id
        # The council's clock runs once the public has had its days.
        await move(uow, case, S.posted, profile=profile, actor=actor, action="case.posted",
                   data=window, clock_from=posting.closes_on + timedelta(days=1))
        uow.stage(CasePostedV1(case_id=case.id, nomination_id=case.nomination_id,
                               unit_id=case.unit_id, year=case.year,
                               opens_on=posting.opens_on, closes_on=posting.closes_on),
                  subject=case.nomination_id, trace=case.trace_headers)
    await commit(uow)
    return posting, cases


async def get_posting(uow: UnitOfWork, posting_id: str) -> store.Posting:
    posting = await store.get_posting(uow.session, posting_id)
    if posting is None:
        raise NotFound(NOT_FOUND, fields={"posting_id": "không tồn tại"})
    return posting
