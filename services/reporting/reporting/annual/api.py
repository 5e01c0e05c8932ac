"""GET /reports/annual: the yearly report as DOCX, XLSX, CSV or PDF.

The standing office, the chair, the province's viewer and the administrator get any unit's
report or the district's (no unit_id); a unit's officer and head get their own unit's (the
default; another unit's answers 404); anyone else 403."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from exemplar.clock import today
from exemplar.runtime import RuntimeDep, Uow
from exemplar.text import Id, Text, fold
from exemplar.web import error_response

from ..access import FigureReader, scope
from . import service
from .pdf import PdfUnavailable

router = APIRouter(prefix="/reports", tags=["reports"])


def disposition(stem: str, title: str, fmt: str) -> str:
    """An ASCII name every client keeps, and the Vietnamese one (RFC 6266) for those that
    read it."""
    ascii_stem = "-".join(fold(stem).replace("/", " ").split()) or "bao-cao"
    return (f'attachment; filename="{ascii_stem}.{fmt}"; '
            f"filename*=UTF-8''{quote(f'{title}.{fmt}', safe='')}")


@router.get("/annual", response_class=Response, responses={
    200: {"content": {t: {} for t in service.MEDIA_TYPES.values()}},
    503: {"description": "chưa cài bộ chuyển đổi PDF (LibreOffice), hoặc số liệu đang được "
                         "dựng lại"}})
async def annual_report(
        request: Request, user: FigureReader, uow: Uow, runtime: RuntimeDep,
        year: Annotated[int, Query(ge=2000, le=2100, description="năm báo cáo")],
        unit_id: Annotated[Id | None, Query(description="đơn vị; bỏ trống: toàn địa bàn")] = None,
        fmt: Annotated[Literal["docx", "xlsx", "csv", "pdf"], Query(alias="format")] = "docx",
        on: Annotated[date | None, Query(description="ngày xét và ký báo cáo")] = None,
        number: Annotated[Text(50) | None, Query(description="số văn bản")] = None,
        signer_name: Annotated[Text(100) | None, Query()] = None,
        signer_title: Annotated[Text(100) | None, Query()] = None,
) -> Response:
    """The district's report (no unit_id) or a unit's, judged and dated on `on` (today by
    default); `number` is the registered number, left to fill in without it. PDF answers
    503 where the server has no converter."""
    profile = runtime.profile
    unit = scope(user, profile, unit_id)
    on = on or today()
    if request.app.state.replayer.running:  # a report is a record: never from half the data
        return error_response(503, "figures_rebuilding", {
            "message": "Số liệu đang được dựng lại từ luồng sự kiện; hãy lập báo cáo sau "
                       "ít phút.", "fields": {}})
    try:
        content = await service.build(uow, profile, year=year, unit_id=unit, on=on, fmt=fmt,
                                      number=number, signer_name=signer_name,
                                      signer_title=signer_title)
    except PdfUnavailable as unavailable:
        return _unavailable(unavailable)
    stem, title = service.file_names(profile, year=year, unit_id=unit)
    return Response(content, media_type=service.MEDIA_TYPES[fmt], headers={
        "Content-Disposition": disposition(stem, title, fmt)})


def _unavailable(unavailable: PdfUnavailable) -> JSONResponse:
    return error_response(503, "pdf_unavailable", {"message": str(unavailable),
                                                   "fields": {"format": "pdf"}})
