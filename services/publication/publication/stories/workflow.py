"""The editorial workflow: edit, fact-check, approve, schedule, publish, withdraw. One
transaction each; publishing and withdrawing stage their events in it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from exemplar.auth import Principal
from exemplar.concurrency import commit, require_current
from exemplar.errors import Conflict, NotFound, RuleViolation
from exemplar.events import StoryPublishedV1, StoryWithdrawnV1
from exemplar.profile import Profile
from exemplar.uow import UnitOfWork, now

from .. import social
from ..access import editor_of_or_404
from ..exchanges import service as exchanges
from ..social.limits import breaches
from . import store
from .domain import EDITABLE, St, check_move, with_edit_claim

NOT_FOUND = "Không tìm thấy tin bài."
SCHEDULE_HORIZON = timedelta(days=731)  # two years, a leap day included
REVOKED = ("Quyết định khen thưởng của tin bài này đã bị thu hồi: tin bài đã được gỡ, "
           "không thể duyệt hay đăng.")


async def editable_story(uow: UnitOfWork, *, user: Principal, story_id: str,
                         expected_version: int | None) -> store.Story:
    story = await store.get(uow.session, story_id)
    if story is None:
        raise NotFound(NOT_FOUND, fields={"story_id": "không tồn tại"})
    editor_of_or_404(user, story.channel_id)
    require_current(story.version, expected_version)
    return story


def _touch(story: store.Story, user: Principal, to: St) -> None:
    check_move(story.status, to)
    story.status, story.updated_at, story.updated_by = to, now(), user.sub


async def edit_story(uow: UnitOfWork, *, user: Principal, story_id: str,
                     expected_version: int | None, title: str | None,
                     body: str | None) -> store.Story:
    """Any change sends the story back to draft: its claims must be checked again, and a
    changed text adds the claim that it says nothing more than they do."""
    story = await editable_story(uow, user=user, story_id=story_id,
                                 expected_version=expected_version)
    if story.status not in EDITABLE:
        check_move(story.status, St.draft)
    rewritten = (title or story.title, body or story.body) != (story.title, story.body)
    story.title, story.body = title or story.title, body or story.body
    story.claims = (with_edit_claim(story.claims, source=story.source, decision=story.decision)
                    if rewritten else [{**c, "confirmed": False} for c in story.claims])
    _touch(story, user, St.draft)
    await commit(uow)
    return story


async def fact_check_story(uow: UnitOfWork, *, user: Principal, story_id: str,
                           expected_version: int | None, confirmed: list[int]) -> store.Story:
    """The editor confirms each claim against its basis; every one, or the story waits."""
    story = await editable_story(uow, user=user, story_id=story_id,
                                 expected_version=expected_version)
    check_move(story.status, St.fact_checked)
    wanted = set(range(len(story.claims)))
    unknown = sorted(set(confirmed) - wanted)
    missing = sorted(wanted - set(confirmed))
    if unknown or missing:
        fields = {f"confirmed[{i}]": "không có nhận định này" for i in unknown}
        if missing:
            fields["confirmed"] = ("chưa xác nhận nhận định "
                                   + ", ".join(str(i) for i in missing))
        raise RuleViolation("Cần xác nhận từng nhận định của tin bài với căn cứ của nó.",
                            fields=fields)
    story.claims = [{**c, "confirmed": True} for c in story.claims]
    _touch(story, user, St.fact_checked)
    await commit(uow)
    return story


async def approve_story(uow: UnitOfWork, *, user: Principal, story_id: str,
                        expected_version: int | None, profile: Profile) -> store.Story:
    """A story that breaks its channel's limits (a social page's title length…) is sent
    back now, while it can still be edited, not refused later by the page."""
    story = await editable_story(uow, user=user, story_id=story_id,
                                 expected_version=expected_version)
    await refuse_if_revoked(uow, story)
    found = breaches(profile.channel(story.channel_id), title=story.title,
                     description=story.body)
    if found:
        raise RuleViolation("Tin bài vượt giới hạn của kênh: " + "; ".join(found.values())
                            + ".", fields={"body" if k == "description" else k: v
                                           for k, v in found.items()})
    _touch(story, user, St.approved)
    await commit(uow)
    return story


async def schedule_story(uow: UnitOfWork, *, user: Principal, story_id: str,
                         expected_version: int | None, at: datetime) -> store.Story:
    story = await editable_story(uow, user=user, story_id=story_id,
                                 expected_version=expected_version)
    check_schedule(at)
    _touch(story, user, St.scheduled)
    story.scheduled_for = at
    await commit(uow)
    return story


def check_schedule(at: datetime) -> None:
    """In the future, and at most two years ahead (so never past the calendar's end)."""
    try:
        at = at.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 is already year 10000 in UTC
        at = datetime.max.replace(tzinfo=UTC)
    if at <= now():
        raise RuleViolation("Thời điểm đăng phải ở tương lai.",
                            fields={"at": "phải sau thời điểm hiện tại"})
    if at > now() + SCHEDULE_HORIZON:
        raise RuleViolation("Chỉ lên lịch đăng trong vòng hai năm tới.",
                            fields={"at": "quá hai năm kể từ bây giờ"})


async def withdrawn_if_revoked(uow: UnitOfWork, story: store.Story) -> bool:
    """A revocation that committed before this story was drafted (the events travel on
    separate consumers) found nothing to withdraw: the story is withdrawn now, with its
    reason. The caller commits."""
    if story.nomination_id is None:
        return False
    revocation = await store.revocation(uow.session, story.nomination_id)
    if revocation is None:
        return False
    if story.status != St.withdrawn:
        mark_withdrawn(uow, story, actor="review", reason=revocation.reason)
    return True


async def refuse_if_revoked(uow: UnitOfWork, story: store.Story) -> None:
    """The editor is told (409) and the withdrawal is kept."""
    if await withdrawn_if_revoked(uow, story):
        await commit(uow)
        raise Conflict(REVOKED, fields={"story_id": "quyết định đã bị thu hồi"})


def mark_published(uow: UnitOfWork, story: store.Story, *, actor: str,
                   url: str | None) -> None:
    """Published now, with its event; the caller commits (a request or the scheduler)."""
    check_move(story.status, St.published)
    at = now()
    story.status, story.published_at, story.url = St.published, at, url
    story.updated_at, story.updated_by = at, actor
    uow.stage(StoryPublishedV1(
        story_id=story.id, channel_id=story.channel_id, channel_kind=story.channel_kind,
        unit_id=story.unit_id, year=story.year, nomination_id=story.nomination_id,
        good_deed_id=story.good_deed_id, title=story.title, url=url, published_at=at),
        subject=story.nomination_id or story.good_deed_id or story.id,
        trace=story.trace_headers)
    social.enqueue(uow, story)


async def publish_story(uow: UnitOfWork, *, user: Principal, story_id: str,
                        expected_version: int | None,
                        url_of: Callable[[store.Story], str | None]) -> store.Story:
    """`url_of` gives the public page of the story, if its channel has one."""
    story = await editable_story(uow, user=user, story_id=story_id,
                                 expected_version=expected_version)
    await refuse_if_revoked(uow, story)
    mark_published(uow, story, actor=user.sub, url=url_of(story))
    await commit(uow)
    return story


def mark_withdrawn(uow: UnitOfWork, story: store.Story, *, actor: str, reason: str) -> None:
    """Taken down; only a story the public saw has a `withdrawn` event to tell."""
    was_public = story.status == St.published
    check_move(story.status, St.withdrawn)
    at = now()
    story.status, story.withdrawn_at, story.withdrawn_reason = St.withdrawn, at, reason
    story.updated_at, story.updated_by = at, actor
    if was_public:
        uow.stage(StoryWithdrawnV1(
            story_id=story.id, channel_id=story.channel_id, unit_id=story.unit_id,
            year=story.year, nomination_id=story.nomination_id, url=story.url,
            reason=reason, withdrawn_at=at),
            subject=story.nomination_id or story.good_deed_id or story.id,
            trace=story.trace_headers)
        social.enqueue_withdrawal(uow, story)


async def withdraw_story(uow: UnitOfWork, *, user: Principal, story_id: str,
                         expected_version: int | None, reason: str) -> store.Story:
    story = await editable_story(uow, user=user, story_id=story_id,
                                 expected_version=expected_version)
    mark_withdrawn(uow, story, actor=user.sub, reason=reason)
    await commit(uow)
    return story


async def withdraw_nomination(uow: UnitOfWork, *, nomination_id: str, reason: str) -> int:
    """A revoked decision takes every story of the nomination down, on every channel."""
    if not await store.is_revoked(uow.session, nomination_id):
        uow.session.add(store.RevokedNomination(nomination_id=nomination_id, reason=reason,
                                                revoked_at=now()))
    stories = [s for s in await store.of_nomination(uow.session, nomination_id)
               if s.status != St.withdrawn]
    for story in stories:
        mark_withdrawn(uow, story, actor="review", reason=reason)
    # and leaves the exchange meetings not yet held
    await exchanges.drop_revoked(uow, nomination_id=nomination_id, reason=reason)
    return len(stories)
