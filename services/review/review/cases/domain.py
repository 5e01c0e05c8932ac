"""A case's life: the stages it passes, which moves are allowed, and each stage's due date.

    open ──appraise──▶ appraised ──post──▶ posted ──vote──▶ voted ──decide──▶ decided ──▶ revoked
      │                    └──────── fast track (ad hoc, where the award allows) ──▶ decided
      └──return──▶ returned ──(the unit resubmits: a new revision)──▶ open
    any stage before the decision ──(the unit withdraws)──▶ withdrawn
    a rejection is a decision too: open, appraised, posted or voted ──▶ decided (rejected)
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from exemplar.errors import InvalidTransition
from exemplar.profile import Deadlines


class S(StrEnum):
    open = "open"
    returned = "returned"
    appraised = "appraised"
    posted = "posted"
    voted = "voted"
    decided = "decided"
    revoked = "revoked"
    withdrawn = "withdrawn"


STATUS_NAMES = {
    S.open: "chờ thẩm định", S.returned: "trả lại đơn vị", S.appraised: "đã thẩm định",
    S.posted: "đang công khai", S.voted: "hội đồng đã bỏ phiếu", S.decided: "đã quyết định",
    S.revoked: "đã thu hồi", S.withdrawn: "đơn vị đã rút",
}

MOVES: dict[S, tuple[S, ...]] = {
    S.open: (S.returned, S.appraised, S.decided, S.withdrawn),
    S.returned: (S.open, S.withdrawn),
    S.appraised: (S.posted, S.decided, S.withdrawn),
    S.posted: (S.voted, S.decided, S.withdrawn),
    S.voted: (S.voted, S.decided, S.withdrawn),  # voted again at a later session
    S.decided: (S.revoked,),
    S.revoked: (),
    S.withdrawn: (),
}
ACTIVE = (S.open, S.appraised, S.posted, S.voted)  # in the office's hands, with a due date
# Cases still counting toward a unit's year (caps, one achievement rewarded once).
PENDING_OR_GRANTED = (S.open, S.appraised, S.posted, S.voted, S.decided)

# Which deadlines of the profile a stage runs against: after appraisal the Front has its
# days for critique, then the office its days to post the list; a posted case's council clock
# starts when the posting window ends.
STAGE_DEADLINE: dict[S, tuple[str, ...]] = {
    S.open: ("appraisal",), S.appraised: ("critique", "public_posting"), S.posted: ("council",),
    S.voted: ("decision",)}


def check_move(current: str, to: S) -> None:
    if to not in MOVES[S(current)]:
        raise InvalidTransition(
            f"Hồ sơ đang ở bước “{STATUS_NAMES[S(current)]}”, không thể chuyển sang "
            f"“{STATUS_NAMES[to]}”.")


def due_on(stage: S, since: date, deadlines: Deadlines) -> date | None:
    """When a case entering `stage` on `since` becomes overdue (None: no clock runs)."""
    names = STAGE_DEADLINE.get(stage)
    if not names:
        return None
    return since + timedelta(days=sum(getattr(deadlines, name) for name in names))


def achievements(claims: list[dict], summary: str) -> list[str]:
    """What appraisal must verify, one by one: the claims, or, for a nomination without
    claims (an imported list), its achievement summary as the one achievement."""
    return [c["claim"] for c in claims] if claims else [summary]
