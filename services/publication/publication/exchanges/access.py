"""Who organises exchanges and ceremonies: the standing office, and the editors of an
exchange or political-class channel for that channel. The viewer and the office read every
one; an editor reads their own channels'."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from exemplar.auth import Principal, require_roles
from exemplar.errors import NotFound, RuleViolation
from exemplar.profile import Profile

from ..access import channel_scope
from .domain import ORGANISING_KINDS

Organiser = Annotated[Principal, Depends(require_roles("editor", "standing_office"))]
NOT_FOUND = "Không tìm thấy buổi giao lưu, tôn vinh."
FORBIDDEN = "Chỉ cơ quan thường trực hoặc biên tập viên kênh giao lưu mới tổ chức được."


def _organising_channels(user: Principal, profile: Profile) -> list[str]:
    if not user.has_any("editor"):
        return []
    return [c.id for c in profile.channels
            if c.id in user.channels and c.kind in ORGANISING_KINDS]


def organising_channel(user: Principal, profile: Profile, channel_id: str | None) -> str | None:
    """The channel a new meeting belongs to: any organising channel for the standing office
    (or none, a district-wide one), one of their own for an editor."""
    if channel_id is not None:
        channel = next((c for c in profile.channels if c.id == channel_id), None)
        if channel is None or channel.kind not in ORGANISING_KINDS:
            raise RuleViolation("Kênh không phải kênh giao lưu hay lớp học chính trị.",
                                fields={"channel_id": "không phải kênh giao lưu, tôn vinh"})
    if user.has_any("standing_office"):
        return channel_id
    own = _organising_channels(user, profile)
    if not own:
        raise HTTPException(403, FORBIDDEN)
    if channel_id is None:
        if len(own) > 1:
            raise RuleViolation("Hãy chọn kênh tổ chức buổi này.",
                                fields={"channel_id": "bắt buộc: " + ", ".join(own)})
        return own[0]
    if channel_id not in own:
        raise HTTPException(403, "Bạn không phải biên tập viên của kênh này.")
    return channel_id


def readable_or_404(user: Principal, channel_id: str | None) -> None:
    scope = channel_scope(user)
    if scope is not None and channel_id not in scope:
        raise NotFound(NOT_FOUND, fields={"exchange_id": "không tồn tại"})


def organiser_of(user: Principal, channel_id: str | None) -> None:
    """May act on a meeting: the standing office, or an editor of its channel; a reader who
    may see it but not act gets 403, anyone else 404."""
    if user.has_any("standing_office"):
        return
    if user.has_any("editor") and channel_id is not None and channel_id in user.channels:
        return
    readable_or_404(user, channel_id)
    raise HTTPException(403, FORBIDDEN)
