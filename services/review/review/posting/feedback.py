"""Public feedback on a posted list: received (rate-limited per client), then moderated by
the standing office; a complaint stays open until it is rejected or resolved."""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import text

from exemplar.clock import today
from exemplar.concurrency import commit
from exemplar.errors import Conflict, NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from ..audit.chain import record
from . import store
from .domain import STATUS_NAMES, Window, parse_feedback, window
from .service import get_posting

PUBLIC = "public"  # who the audit log names for what an anonymous visitor sent
RATE_WINDOW = timedelta(hours=1)
NOT_FOUND = "Không tìm thấy ý kiến."
# Sends from one client line up on PostgreSQL, so replicas cannot both admit the last one.
_CLIENT_LOCK = text("SELECT pg_advisory_xact_lock(7385002, :key)")


class RateLimited(Exception):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message, self.retry_after = message, retry_after


def client_key(address: str) -> str:
    """What is stored about the sender's address: its SHA-256, never the address itself."""
    return hashlib.sha256(address.encode()).hexdigest()


def _check_window(posting: store.Posting) -> None:
    state = window(posting.opens_on, posting.closes_on, today())
    if state is Window.scheduled:
        raise Conflict(f"Đợt công khai chưa bắt đầu: ý kiến được nhận từ ngày "
                       f"{posting.opens_on:%d/%m/%Y}.")
    if state is Window.closed:
        raise Conflict(f"Đợt công khai đã kết thúc ngày {posting.closes_on:%d/%m/%Y}: "
                       "không còn nhận ý kiến.")


async def _check_rate(uow: UnitOfWork, client: str, limit: int) -> None:
    session = uow.session
    if session.bind.dialect.name == "postgresql":
        await session.execute(_CLIENT_LOCK, {"key": int(client[:7], 16)})
    at = now()
    sent, earliest = await store.sent_since(session, client, at - RATE_WINDOW)
    if sent >= limit:
        wait = (earliest + RATE_WINDOW - at).total_seconds() if earliest else 60
        raise RateLimited(f"Bạn đã gửi {sent} ý kiến trong một giờ qua, quá số cho phép "
                          f"({limit} ý kiến mỗi giờ). Xin gửi lại sau.",
                          retry_after=max(1, math.ceil(wait)))


async def send_feedback(uow: UnitOfWork, *, posting_id: str, raw: Mapping[str, object],
                        address: str, profile: Profile) -> store.Feedback:
    posting = await get_posting(uow, posting_id)
    _check_window(posting)
    client = client_key(address)
    await _check_rate(uow, client, profile.thresholds.feedback_rate_per_hour)
    listed = await store.cases_of(uow.session, posting.id, public=True)
    sent = parse_feedback(raw, case_ids={c.id for c in listed})
    item = store.Feedback(id=str(uuid.uuid4()), posting_id=posting.id, case_id=sent.case_id,
                          kind=sent.kind, name=sent.name, contact=sent.contact,
                          text=sent.text, client=client, status="pending",
                          created_at=now())
    uow.session.add(item)
    await uow.session.flush([item])
    # The log is permanent: it proves what arrived (a digest) without who or how to reach them.
    await record(uow, actor=PUBLIC, action="feedback.received", entity="feedback",
                 entity_id=item.id, data={
                     "posting_id": posting.id, "case_id": item.case_id, "kind": item.kind,
                     "text_sha256": hashlib.sha256(item.text.encode()).hexdigest()})
    await commit(uow)
    return item


async def get_feedback(uow: UnitOfWork, feedback_id: str) -> store.Feedback:
    item = await store.get_feedback(uow.session, feedback_id)
    if item is None:
        raise NotFound(NOT_FOUND, fields={"feedback_id": "không tồn tại"})
    return item


async def moderate_feedback(uow: UnitOfWork, *, feedback_id: str, action: str,
                            note: str | None, actor: str) -> store.Feedback:
    """Accept or reject what arrived; rejecting a complaint as unfounded needs a reason."""
    item = await get_feedback(uow, feedback_id)
    if item.status != "pending":
        raise Conflict(f"Ý kiến này đã được kiểm duyệt (trạng thái: "
                       f"{STATUS_NAMES[item.status]}).")
    if action == "reject" and item.kind == "complaint" and not note:
        raise RuleViolation("Bác một khiếu nại phải ghi rõ lý do.",
                            fields={"note": "bắt buộc khi bác khiếu nại"})
    item.status = "accepted" if action == "accept" else "rejected"
    item.moderation_note, item.moderated_by, item.updated_at = note, actor, now()
    await record(uow, actor=actor, action=f"feedback.{item.status}", entity="feedback",
                 entity_id=item.id, data={"posting_id": item.posting_id,
                                          "case_id": item.case_id, "kind": item.kind,
                                          "note": note})
    await commit(uow)
    return item


async def resolve_complaint(uow: UnitOfWork, *, feedback_id: str, resolution: str,
                            actor: str) -> store.Feedback:
    """Record how an accepted complaint was settled; it then no longer blocks the decision."""
    item = await get_feedback(uow, feedback_id)
    if item.kind != "complaint":
        raise Conflict("Chỉ khiếu nại mới cần ghi kết quả giải quyết.")
    if item.status != "accepted":
        raise Conflict(f"Chỉ ghi kết quả cho khiếu nại đã được tiếp nhận; khiếu nại này "
                       f"đang ở trạng thái “{STATUS_NAMES[item.status]}”.")
    item.status, item.resolution, item.resolved_by = "resolved", resolution, actor
    item.updated_at = now()
    await record(uow, actor=actor, action="feedback.resolved", entity="feedback",
                 entity_id=item.id, data={"posting_id": item.posting_id,
                                          "case_id": item.case_id, "resolution": resolution})
    await commit(uow)
    return item
