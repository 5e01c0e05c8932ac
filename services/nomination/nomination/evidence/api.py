"""HTTP routes of evidence: a nomination's files, uploaded as a multipart stream."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict

from exemplar.runtime import Runtime, RuntimeDep, Uow

from ..access import Officer, Reader
from . import service, storage  # service imports store, which registers the table

router = APIRouter(prefix="/nominations", tags=["evidence"])


class EvidenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    nomination_id: str
    kind: str
    content_type: str
    filename: str
    size: int
    sha256: str
    note: str | None
    uploaded_by: str
    uploaded_at: datetime


def multipart_body(fields: dict[str, dict]) -> dict:
    """OpenAPI for a body the route streams itself instead of letting FastAPI parse it."""
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}, **fields}}}}}}


@asynccontextmanager
async def received(request: Request, runtime: Runtime,
                   allowed: frozenset[str]) -> AsyncIterator[storage.Upload]:
    """The uploaded file in a temporary file; over the profile's limit → 413 naming it."""
    limit = runtime.profile.thresholds.evidence_max_bytes
    tmp_dir = runtime.settings.resolved_storage_dir() / "tmp"
    try:
        async with storage.receive(request, limit=limit, tmp_dir=tmp_dir,
                                   allowed=allowed) as upload:
            yield upload
    except storage.FileTooLarge as exc:
        raise HTTPException(413, {"message": exc.detail, "fields": exc.fields}) from None


@router.post("/{nomination_id}/evidence", status_code=201, response_model=EvidenceRead,
             openapi_extra=multipart_body({"note": {"type": "string", "maxLength": 2000}}))
async def add_evidence(nomination_id: str, request: Request, user: Officer, uow: Uow,
                       runtime: RuntimeDep, response: Response) -> EvidenceRead:
    async with received(request, runtime, frozenset({"note"})) as upload:
        evidence = await service.add_evidence(
            uow, user=user, nomination_id=nomination_id, upload=upload,
            note=upload.fields.get("note"),
            storage_dir=runtime.settings.resolved_storage_dir())
    response.headers["Location"] = f"/nominations/{nomination_id}/evidence/{evidence.id}"
    return EvidenceRead.model_validate(evidence)


@router.get("/{nomination_id}/evidence", response_model=list[EvidenceRead])
async def list_evidence(nomination_id: str, user: Reader, uow: Uow) -> list[EvidenceRead]:
    rows = await service.list_evidence(uow, user=user, nomination_id=nomination_id)
    return [EvidenceRead.model_validate(e) for e in rows]


@router.get("/{nomination_id}/evidence/{evidence_id}", response_class=FileResponse,
            responses={200: {"content": {t.content_type: {} for t in service.TYPES.values()}}})
async def download_evidence(nomination_id: str, evidence_id: str, user: Reader, uow: Uow,
                            runtime: RuntimeDep) -> FileResponse:
    evidence = await service.get_evidence(uow, user=user, nomination_id=nomination_id,
                                          evidence_id=evidence_id)
    return storage.file_response(runtime.settings.resolved_storage_dir(),
                                 evidence.storage_path, filename=evidence.filename,
                                 content_type=evidence.content_type)


@router.delete("/{nomination_id}/evidence/{evidence_id}", status_code=204)
async def remove_evidence(nomination_id: str, evidence_id: str, user: Officer, uow: Uow,
                          runtime: RuntimeDep) -> Response:
    await service.remove_evidence(uow, user=user, nomination_id=nomination_id,
                                  evidence_id=evidence_id,
                                  storage_dir=runtime.settings.resolved_storage_dir())
    return Response(status_code=204)
