"""POST /admin/replay starts rebuilding every projection from the stream; GET follows it."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel

from ..access import Admin
from ..projections.replay import Replayer

router = APIRouter(prefix="/admin", tags=["admin"])


class ReplayRead(BaseModel):
    state: str
    started_at: datetime | None
    finished_at: datetime | None
    started_by: str | None
    read: int
    applied: int
    skipped: int
    failed: int
    last_sequence: int | None
    error: str | None


def _replayer(request: Request) -> Replayer:
    return request.app.state.replayer


@router.post("/replay", response_model=ReplayRead, status_code=202)
async def start_replay(user: Admin, request: Request) -> ReplayRead:
    """Starts a replay unless one is running (then answers with that one)."""
    return ReplayRead(**_replayer(request).start(by=user.sub).__dict__)


@router.get("/replay", response_model=ReplayRead)
async def replay_status(user: Admin, request: Request) -> ReplayRead:
    return ReplayRead(**_replayer(request).status.__dict__)
