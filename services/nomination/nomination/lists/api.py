"""HTTP routes of list imports: upload a CSV or XLSX of nominees (the columns are described in
`parse.py` and in the templates) with its dossier (`dossier.py`), read back the lists of one's
unit."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from exemplar.events.common import CommendationKind
from exemplar.runtime import RuntimeDep, Uow
from exemplar.web import error_response

from ..access import Head, Officer
from . import dossier, service
from .limits import FORM_LIMITS, LimitedForm
from .parse import COLUMNS, ListRejected, template_headers

router = APIRouter(prefix="/nomination-lists", tags=["lists"])
TEMPLATE_NAME = "mau-danh-sach-de-nghi-khen-thuong"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ListRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    unit_id: str
    filename: str
    sha256: str
    row_count: int
    status: str
    created_by: str
    created_at: datetime


class ListDetail(ListRead):
    """`nomination_ids[i]` is the nomination made from spreadsheet row `rows[i]`."""

    rows: list[int]
    nomination_ids: list[str]


async def import_list(
        user: Head, uow: Uow, runtime: RuntimeDep, request: Request, response: Response,
        file: Annotated[UploadFile, File(description="CSV (UTF-8) or XLSX, header row first")],
        year: Annotated[int | None, Form(ge=2000, le=2100)] = None,
        field: Annotated[str | None, Form(max_length=100)] = None,
        proposed_award: Annotated[str | None, Form(max_length=100)] = None,
        commendation_kind: Annotated[CommendationKind | None, Form()] = None,
        movement_id: Annotated[str | None, Form(max_length=36)] = None,
        idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> ListDetail | JSONResponse:
    """Import every row as a submitted nomination of the user's unit, or none of them.
    Beside `file`, a file field named after a document kind of the profile (`to_trinh`,
    `bien_ban_hop_xet`…) is a dossier document attached to every nomination of the list;
    the list itself becomes their `danh_sach_de_nghi`."""
    defaults = service.Defaults(year=year, field=field or None,
                                proposed_award=proposed_award or None,
                                commendation_kind=commendation_kind,
                                movement_id=movement_id or None)
    content = await file.read()  # at most MAX_BYTES: LimitedForm held it to that
    storage_dir = runtime.settings.resolved_storage_dir()
    try:  # the form FastAPI parsed for the parameters above (with FORM_LIMITS), cached
        async with dossier.received(await request.form(**FORM_LIMITS), profile=runtime.profile,
                                    tmp_dir=storage_dir / "tmp") as parts:
            listed = await service.import_list(
                uow, profile=runtime.profile, user=user, storage_dir=storage_dir,
                upload=service.ListUpload(filename=file.filename or "", content=content,
                                          defaults=defaults, dossier=parts),
                idempotency_key=idempotency_key)
    except ListRejected as exc:
        return error_response(422, "invalid_list", {
            "message": exc.message, "errors": exc.errors, "more_errors": exc.more})
    response.headers["Location"] = f"/nomination-lists/{listed.id}"
    return ListDetail.model_validate(listed)


# Added here rather than by decorator: only `add_api_route` takes a route class.
router.add_api_route(
    "", import_list, methods=["POST"], status_code=201, response_model=ListDetail,
    route_class_override=LimitedForm, form_limits=FORM_LIMITS,
    responses={413: {"description": "The request, or one of its files, is too large; nothing "
                                    "read past the limit, nothing written"},
               422: {"description": "File, rows or dossier rejected; nothing written"}})


@router.get("/template.csv", response_class=Response)
async def csv_template(_: Officer) -> Response:
    """An empty list: the header row (UTF-8 with BOM, so spreadsheet programs read it right)."""
    out = io.StringIO()
    csv.writer(out).writerow(template_headers())
    return Response(content=("\ufeff" + out.getvalue()).encode(),
                    media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}.csv"'})


@router.get("/template.xlsx", response_class=Response)
async def xlsx_template(_: Officer) -> Response:
    """An empty list (first sheet) and a sheet describing each column."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    book.create_sheet("Danh sách").append(template_headers())
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Tên khác được chấp nhận", "Bắt buộc", "Giá trị"])
    for column in COLUMNS:
        if column.key:
            guide.append([column.header, ", ".join(column.aliases),
                          "có" if column.required else "", column.hint])
    out = io.BytesIO()
    book.save(out)
    return Response(content=out.getvalue(), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}.xlsx"'})


@router.get("", response_model=list[ListRead])
async def list_lists(user: Officer, uow: Uow,
                     limit: Annotated[int, Query(ge=1, le=500)] = 50,
                     offset: Annotated[int, Query(ge=0)] = 0) -> list[ListRead]:
    """The lists imported by the user's unit, newest first."""
    rows = await service.search_lists(uow, user=user, limit=limit, offset=offset)
    return [ListRead.model_validate(row) for row in rows]


@router.get("/{list_id}", response_model=ListDetail)
async def read_list(list_id: str, user: Officer, uow: Uow) -> ListDetail:
    return ListDetail.model_validate(await service.get_list(uow, user=user, list_id=list_id))
