"""Who may do what in publication: a channel's stories are its editors' to act on.

Editing, approving and publishing are acts of a channel's editorial office: they admit an
`editor` whose token names the channel, never `admin`. The standing office and the viewer
read every channel's stories; an editor reads only their own channels'."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from exemplar.auth import Principal, require_roles
from exemplar.errors import NotFound

Reader = Annotated[Principal, Depends(require_roles("editor", "standing_office", "viewer"))]
Editor = Annotated[Principal, Depends(require_roles("editor"))]
WIDE_READERS = ("standing_office", "viewer", "admin")


def channel_scope(user: Principal) -> frozenset[str] | None:
    """None for wide readers; else the channels whose stories the user may see."""
    return None if user.has_any(*WIDE_READERS) else user.channels


def readable_or_404(user: Principal, channel_id: str) -> None:
    scope = channel_scope(user)
    if scope is not None and channel_id not in scope:
        raise NotFound("Không tìm thấy tin bài.")


def editor_of_or_404(user: Principal, channel_id: str) -> None:
    """Another channel's story answers 'not found', so its existence does not leak."""
    if not user.has_any("editor") or channel_id not in user.channels:
        raise NotFound("Không tìm thấy tin bài.")
