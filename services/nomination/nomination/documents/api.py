"""HTTP routes of the document library: generated dossier documents of a nomination
(/nominations/{id}/documents/{kind}) and uploaded ones (/documents)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict

from exemplar.errors import RuleViolation
from exemplar.runtime import RuntimeDep, Uow

from ..access import Officer, Reader
from ..evidence import storage
from ..evidence.api import multipart_body, received
from . import service  # service imports store, which registers the table

# Full paths: the library lives at /documents, generation under its nomination.
router = APIRouter(tags=["documents"])


class DocumentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    nomination_id: str | None
    unit_id: str
    kind: str
    title: str
    filename: str
    content_type: str
    size: int
    sha256: str
    generated: bool
    created_by: str
    created_at: datetime


@router.post("/nominations/{nomination_id}/documents/{kind}", status_code=201,
             response_model=DocumentRead)
async def generate_document(nomination_id: str, kind: str, user: Officer, uow: Uow,
                            runtime: RuntimeDep, response: Response) -> DocumentRead:
    """Tờ trình (`to_trinh`) or báo cáo thành tích (`bao_cao_thanh_tich`) as DOCX from the
    nomination's data; regenerating replaces the previous generated one."""
    document = await service.generate_document(
        uow, profile=runtime.profile, user=user, nomination_id=nomination_id, kind=kind,
        storage_dir=runtime.settings.resolved_storage_dir())
    response.headers["Location"] = f"/documents/{document.id}"
    return DocumentRead.model_validate(document)


@router.post("/documents", status_code=201, response_model=DocumentRead,
             openapi_extra=multipart_body({
                 "kind": {"type": "string"}, "nomination_id": {"type": "string"},
                 "title": {"type": "string", "maxLength": 300}}))
async def upload_document(request: Request, user: Officer, uow: Uow, runtime: RuntimeDep,
                          response: Response) -> DocumentRead:
    """A document file of a kind (scanned minutes…), for a nomination or the unit library."""
    async with received(request, runtime,
                        frozenset({"kind", "nomination_id", "title"})) as upload:
        if not upload.fields.get("kind"):
            raise RuleViolation("Dữ liệu không hợp lệ.", fields={"kind": "bắt buộc phải có"})
        document = await service.upload_document(
            uow, profile=runtime.profile, user=user, kind=upload.fields["kind"],
            nomination_id=upload.fields.get("nomination_id") or None,
            title=upload.fields.get("title") or None, upload=upload,
            storage_dir=runtime.settings.resolved_storage_dir())
    response.headers["Location"] = f"/documents/{document.id}"
    return DocumentRead.model_validate(document)


@router.get("/documents", response_model=list[DocumentRead])
async def list_documents(user: Reader, uow: Uow, nomination_id: str | None = None,
                         kind: str | None = None,
                         limit: Annotated[int, Query(ge=1, le=500)] = 100,
                         offset: Annotated[int, Query(ge=0)] = 0) -> list[DocumentRead]:
    rows = await service.list_documents(uow, user=user, nomination_id=nomination_id,
                                        kind=kind, limit=limit, offset=offset)
    return [DocumentRead.model_validate(d) for d in rows]


@router.get("/documents/{document_id}", response_class=FileResponse)
async def download_document(document_id: str, user: Reader, uow: Uow,
                            runtime: RuntimeDep) -> FileResponse:
    document = await service.get_document(uow, user=user, document_id=document_id)
    return storage.file_response(runtime.settings.resolved_storage_dir(),
                                 document.storage_path, filename=document.filename,
                                 content_type=document.content_type)


@router.delete("/documents/{document_id}", status_code=204)
async def remove_document(document_id: str, user: Officer, uow: Uow,
                          runtime: RuntimeDep) -> Response:
    await service.remove_document(uow, user=user, document_id=document_id,
                                  storage_dir=runtime.settings.resolved_storage_dir())
    return Response(status_code=204)
