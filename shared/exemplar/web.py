"""One error shape for every service, and the health endpoints."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry import trace
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
    RuleViolation,
    StaleVersion,
    VersionRequired,
)

log = logging.getLogger(__name__)

STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, InvalidTransition: 409,
          RuleViolation: 422, StaleVersion: 412, VersionRequired: 428}
DEFAULT_DETAIL = {401: "Chưa xác thực: cần mã truy cập hợp lệ.",
                  403: "Không có quyền thực hiện thao tác này.",
                  404: "Không tìm thấy.", 405: "Phương thức không được hỗ trợ."}


def trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return f"{ctx.trace_id:032x}" if ctx.is_valid else None


def error_response(status: int, error: str, detail, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, headers=headers,
                        content={"error": error, "detail": detail, "trace_id": trace_id()})


def _field_path(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


VALIDATION_MESSAGES = {
    "missing": "bắt buộc phải có",
    "string_too_short": "quá ngắn",
    "string_too_long": "quá dài",
    "int_parsing": "phải là số nguyên",
    "greater_than_equal": "giá trị quá nhỏ",
    "less_than_equal": "giá trị quá lớn",
    "literal_error": "không thuộc các giá trị cho phép",
    "enum": "không thuộc các giá trị cho phép",
    "extra_forbidden": "không được phép có",
    "json_invalid": "JSON không hợp lệ",
    "too_short": "quá ít phần tử",
    "too_long": "quá nhiều phần tử",
    "date_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_from_datetime_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_type": "phải là ngày dạng YYYY-MM-DD",
    "datetime_parsing": "phải là thời điểm theo ISO 8601",
    "datetime_from_date_parsing": "phải là thời điểm theo ISO 8601",
    "bool_parsing": "phải là true hoặc false",
    "bool_type": "phải là true hoặc false",
    "string_type": "phải là chuỗi ký tự",
    "int_type": "phải là số nguyên",
    "float_parsing": "phải là số",
    "list_type": "phải là danh sách",
    "dict_type": "phải là đối tượng",
    "model_attributes_type": "phải là đối tượng",
    "greater_than": "giá trị quá nhỏ",
    "string_pattern_mismatch": "không đúng định dạng",
    "timezone_aware": "phải có múi giờ (ví dụ +07:00)",
    "less_than": "giá trị quá lớn",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        detail = {"message": exc.detail, "fields": exc.fields} if exc.fields else exc.detail
        return error_response(status, exc.code, detail)

    @app.exception_handler(StaleDataError)
    async def _stale(_: Request, exc: StaleDataError) -> JSONResponse:
        # Two writers raced past the version check: the later one loses, as with If-Match.
        return error_response(412, StaleVersion.code,
                              "Dữ liệu vừa được người khác sửa; hãy tải lại rồi làm lại.")

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = {_field_path(e["loc"]): VALIDATION_MESSAGES.get(e["type"], e["msg"])
                  for e in exc.errors()}
        return error_response(422, "invalid_input",
                              {"message": "Dữ liệu không hợp lệ.", "fields": fields})

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if detail == HTTPStatus(exc.status_code).phrase:  # the framework's English default
            detail = DEFAULT_DETAIL.get(exc.status_code, detail)
        return error_response(exc.status_code, _http_code(exc.status_code), detail,
                              headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error", exc_info=exc)
        return error_response(500, "internal_error",
                              "Lỗi hệ thống; hãy báo mã theo dõi (trace_id) cho quản trị.")


def _http_code(status: int) -> str:
    return {401: "unauthenticated", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 409: "conflict"}.get(status, f"http_{status}")


Check = Callable[[], Awaitable[None]]
READY_CHECK_SECONDS = 3.0


def health_router(checks: dict[str, Check]) -> APIRouter:
    """/health/live answers while the process runs; /health/ready runs every check."""
    router = APIRouter(tags=["health"])

    @router.get("/health/live")
    async def live() -> dict:
        return {"status": "ok"}

    @router.get("/health/ready")
    async def ready() -> JSONResponse:
        results = {}
        for name, check in checks.items():
            try:
                await asyncio.wait_for(check(), READY_CHECK_SECONDS)
                results[name] = "ok"
            except Exception as exc:  # the detail goes to the log, not to anonymous callers
                log.warning("readiness check failed", extra={"check": name, "error": repr(exc)})
                results[name] = "fail"
        ok = all(v == "ok" for v in results.values())
        return JSONResponse(status_code=200 if ok else 503,
                            content={"status": "ok" if ok else "unavailable", "checks": results})

    return router
