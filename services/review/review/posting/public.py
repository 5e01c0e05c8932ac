"""The public's side of posting, no login: the pages listing the posted cases, and the
feedback form (an HTML form post, or JSON) that comes back to the standing office."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from exemplar.clock import today
from exemplar.errors import DomainError, NotFound, RuleViolation
from exemplar.profile import Profile
from exemplar.runtime import RuntimeDep, Uow
from exemplar.uow import UnitOfWork
from exemplar.web import STATUS, error_response

from . import feedback as feedback_service
from . import pages, service, store
from .domain import RECENT_DAYS, window

router = APIRouter(prefix="/public", tags=["public"])

HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                      "form-action 'self'; base-uri 'none'; "
                                      "frame-ancestors 'none'",
           "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
MAX_BODY = 64 * 1024  # the longest feedback is 5,000 characters: far below this
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
FEEDBACK_BODY = {"requestBody": {"required": True, "content": {
    media: {"schema": {"type": "object", "required": ["kind", "name", "contact", "text"],
                       "properties": {
                           "kind": {"type": "string", "enum": ["comment", "complaint"]},
                           "case_id": {"type": "string",
                                       "description": "bắt buộc với khiếu nại"},
                           "name": {"type": "string", "maxLength": 200},
                           "contact": {"type": "string", "maxLength": 200},
                           "text": {"type": "string", "maxLength": 5000}}}}
    for media in ("application/json", *FORM_TYPES)}}}


def _html(body: str, status: int = 200, headers: Mapping[str, str] | None = None
          ) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers={**HEADERS, **(headers or {})})


def _home(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/") + "/public/postings"


def _place(profile: Profile) -> str:
    return profile.jurisdiction.name


def _name(lookup, key: str) -> str:
    try:
        return lookup(key).name
    except KeyError:  # an id the profile no longer has: show it rather than fail the page
        return key


async def _listed(uow: UnitOfWork, posting: store.Posting,
                  profile: Profile) -> list[pages.Listed]:
    return [pages.Listed(case_id=c.id, nominee=c.nominee_name, unit=c.unit_name,
                         field=_name(profile.field, c.field),
                         award=_name(profile.award, c.proposed_award),
                         achievements=list(c.verified_claims))
            for c in await store.cases_of(uow.session, posting.id, public=True)]


def _view(posting: store.Posting, count: int) -> pages.PostingView:
    return pages.PostingView(id=posting.id, title=posting.title, opens_on=posting.opens_on,
                             closes_on=posting.closes_on,
                             window=window(posting.opens_on, posting.closes_on, today()),
                             count=count)


def _not_found(profile: Profile, home: str) -> HTMLResponse:
    return _html(pages.message("Không tìm thấy đợt công khai",
                               "Đợt công khai này không có hoặc đã bị gỡ bỏ.",
                               place=_place(profile), back=home), 404)


@router.get("/postings", response_class=HTMLResponse)
async def public_index(request: Request, uow: Uow, runtime: RuntimeDep) -> HTMLResponse:
    """Postings open today, or closed within the last RECENT_DAYS days."""
    day = today()
    rows = await store.public_postings(uow.session, today=day,
                                       closed_since=day - timedelta(days=RECENT_DAYS))
    counts = await store.case_counts(uow.session, [p.id for p in rows], public=True)
    views = [_view(p, counts.get(p.id, 0)) for p in rows]
    return _html(pages.index(views, place=_place(runtime.profile), home=_home(request)))


@router.get("/postings/{posting_id}", response_class=HTMLResponse)
async def public_posting(posting_id: str, request: Request, uow: Uow,
                         runtime: RuntimeDep) -> HTMLResponse:
    """The list with only what appraisal verified, and the feedback form while it is open."""
    posting = await store.get_posting(uow.session, posting_id)
    if posting is None:
        return _not_found(runtime.profile, _home(request))
    rows = await _listed(uow, posting, runtime.profile)
    return _html(pages.posting(_view(posting, len(rows)), rows, place=_place(runtime.profile),
                               home=_home(request)))


async def _read(request: Request, form: bool) -> dict[str, object]:
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise _Refused(411, "length_required", "Thiếu độ dài nội dung (Content-Length).")
    if int(length) > MAX_BODY:
        raise _Refused(413, "too_large", "Nội dung gửi quá lớn.")
    if form:
        data = await request.form(max_files=0, max_fields=20)
        return {k: v for k, v in data.items() if isinstance(v, str)}
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise RuleViolation("Dữ liệu không hợp lệ.", fields={"body": "JSON không hợp lệ"}) \
            from None
    if not isinstance(body, dict):
        raise RuleViolation("Dữ liệu không hợp lệ.", fields={"body": "phải là một đối tượng"})
    return body


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _status(exc: DomainError) -> int:
    return next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)


def _refusal(request: Request, profile: Profile, *, form: bool, status: int, code: str,
             message: str, headers: dict[str, str] | None = None) -> Response:
    if not form:
        return error_response(status, code, message, headers=headers)
    return _html(pages.message("Chưa gửi được ý kiến", message, place=_place(profile),
                               back=_home(request)), status, headers)


async def _form_problem(request: Request, uow: UnitOfWork, profile: Profile, *,
                        posting_id: str, exc: DomainError,
                        raw: Mapping[str, object]) -> Response:
    """A form post that fails comes back as a page: the form again, with what to correct
    next to each field, when only its fields were wrong."""
    if isinstance(exc, NotFound):
        return _not_found(profile, _home(request))
    posting = await store.get_posting(uow.session, posting_id)
    if not isinstance(exc, RuleViolation) or posting is None:
        return _refusal(request, profile, form=True, status=_status(exc), code=exc.code,
                        message=exc.detail)
    rows = await _listed(uow, posting, profile)
    values = {k: v for k, v in raw.items() if isinstance(v, str)}
    return _html(pages.posting(_view(posting, len(rows)), rows, place=_place(profile),
                               home=_home(request), errors=exc.fields, values=values), 422)


@router.post("/postings/{posting_id}/feedback", status_code=202, openapi_extra=FEEDBACK_BODY)
async def send_feedback(posting_id: str, request: Request, uow: Uow,
                        runtime: RuntimeDep) -> Response:
    """A comment or a complaint while the window is open, at most `feedback_rate_per_hour`
    per client in any hour. JSON → 202 {"id", "status": "pending"}; a form post → a page."""
    profile = runtime.profile
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    form = media in FORM_TYPES
    if not form and media != "application/json":
        return error_response(415, "unsupported_media_type",
                              "Chỉ nhận dữ liệu JSON hoặc biểu mẫu HTML.")
    raw: dict[str, object] = {}
    try:
        raw = await _read(request, form)
        item = await feedback_service.send_feedback(
            uow, posting_id=posting_id, raw=raw, profile=profile,
            address=request.client.host if request.client else "")
    except feedback_service.RateLimited as exc:
        return _refusal(request, profile, form=form, status=429, code="rate_limited",
                        message=exc.message, headers={"Retry-After": str(exc.retry_after)})
    except _Refused as exc:
        return _refusal(request, profile, form=form, status=exc.status, code=exc.code,
                        message=exc.message)
    except DomainError as exc:
        if not form:
            raise
        return await _form_problem(request, uow, profile, posting_id=posting_id, exc=exc,
                                   raw=raw)
    if not form:
        return JSONResponse({"id": item.id, "status": item.status}, status_code=202)
    posting = await service.get_posting(uow, item.posting_id)
    return _html(pages.thanks(_view(posting, 0), item.kind, place=_place(profile),
                              home=_home(request)), 202)
