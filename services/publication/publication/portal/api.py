"""The public portal: a page per column and per story, and an Atom feed per column. No login:
only what was published on a portal column is shown; everything else is "not found".

A withdrawn story that the public saw answers 410 Gone with a notice that it was withdrawn:
its address was announced (the `published` event, social posts, feed readers), and 410 tells
readers and search engines it is gone for good rather than mistyped. The notice names neither
the person nor the reason, so nothing of a revoked decision stays public. A story withdrawn
before it was ever published answers 404 like any draft: its existence never leaks."""

from __future__ import annotations

import math
import re

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from exemplar.profile import Channel
from exemplar.runtime import Runtime, RuntimeDep, Uow
from exemplar.text import ID_PATTERN

from ..stories.domain import St
from . import pages, reads
from .feed import LATEST, atom
from .pages import Site

router = APIRouter(prefix="/portal", tags=["portal"])

PER_PAGE = 20
MAX_PAGE = 100_000
ATOM = "application/atom+xml; charset=utf-8"
MISSING_COLUMN = ("Không tìm thấy chuyên mục",
                  "Không có chuyên mục này trên cổng thông tin. Mời xem danh sách chuyên mục.")
MISSING_PAGE = ("Không tìm thấy trang", "Chuyên mục không có trang này.")
MISSING_STORY = ("Không tìm thấy tin bài", "Không có tin bài này trong chuyên mục.")
WITHDRAWN = "Tin bài đã được gỡ"
ID = re.compile(ID_PATTERN)


def site_of(runtime: Runtime) -> Site:
    """Named after the unit that runs the portal columns (the portal's own unit)."""
    profile = runtime.profile
    owner = next((c.unit for c in reads.columns(profile)), None)
    try:
        name = profile.unit(owner).name if owner else "Cổng thông tin điện tử"
    except KeyError:
        name = "Cổng thông tin điện tử"
    return Site(name=name, base=runtime.settings.public_base_url.rstrip("/"))


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status)


def _not_found(site: Site, words: tuple[str, str], column: Channel | None = None) -> HTMLResponse:
    return _html(pages.render_notice(site=site, title=words[0], message=words[1],
                                     column=column), 404)


def is_id(text: str) -> bool:
    """An address a reader may mistype or a crawler may mangle: anything that is no id (a
    NUL, a path) finds no page, as a public page answers, and reaches no query."""
    return ID.fullmatch(text) is not None


def _column(runtime: Runtime, channel_id: str) -> Channel | None:
    return reads.column(runtime.profile, channel_id) if is_id(channel_id) else None


def _page_number(raw: str | None) -> int | None:
    """?page= as a public reader may type it; anything but 1…MAX_PAGE is no page."""
    if raw is None:
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_PAGE else None


@router.get("", response_class=HTMLResponse)
async def portal_home(runtime: RuntimeDep) -> HTMLResponse:
    return _html(pages.render_home(site=site_of(runtime),
                                   columns=reads.columns(runtime.profile)))


@router.get("/{channel_id}", response_class=HTMLResponse)
async def column_page(channel_id: str, runtime: RuntimeDep, uow: Uow,
                      page: str | None = None) -> HTMLResponse:
    site = site_of(runtime)
    column = _column(runtime, channel_id)
    if column is None:
        return _not_found(site, MISSING_COLUMN)
    number = _page_number(page)
    if number is None:
        return _not_found(site, MISSING_PAGE, column)
    stories, total = await reads.published_page(
        uow.session, channel_id=column.id, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    pages_count = max(1, math.ceil(total / PER_PAGE))
    if number > pages_count:
        return _not_found(site, MISSING_PAGE, column)
    return _html(pages.render_column(site=site, column=column, stories=stories, page=number,
                                     pages=pages_count, total=total))


@router.get("/{channel_id}/feed.atom", response_class=Response,
            responses={200: {"content": {"application/atom+xml": {}}}})
async def column_feed(channel_id: str, runtime: RuntimeDep, uow: Uow) -> Response:
    site = site_of(runtime)
    column = _column(runtime, channel_id)
    if column is None:
        return _not_found(site, MISSING_COLUMN)
    stories, _ = await reads.published_page(uow.session, channel_id=column.id, limit=LATEST,
                                            offset=0)
    updated = await reads.last_change(uow.session, channel_id=column.id)
    body = atom(profile_id=runtime.profile.id, column=column, stories=stories, site=site,
                updated=updated)
    return Response(body, media_type=ATOM)


@router.get("/{channel_id}/stories/{story_id}", response_class=HTMLResponse)
async def story_page(channel_id: str, story_id: str, runtime: RuntimeDep,
                     uow: Uow) -> HTMLResponse:
    site = site_of(runtime)
    column = _column(runtime, channel_id)
    if column is None:
        return _not_found(site, MISSING_COLUMN)
    story = (await reads.story_on(uow.session, channel_id=column.id, story_id=story_id)
             if is_id(story_id) else None)
    if story is None or story.published_at is None:
        return _not_found(site, MISSING_STORY, column)
    if story.status == St.withdrawn:
        when = pages.vn_date(story.withdrawn_at)
        return _html(pages.render_notice(
            site=site, title=WITHDRAWN, column=column,
            message=f"Tin bài này đã được gỡ khỏi {column.name} ngày {when} và không còn "
                    f"được đăng tải."), 410)
    if story.status != St.published:
        return _not_found(site, MISSING_STORY, column)
    return _html(pages.render_story(site=site, column=column, story=story))
