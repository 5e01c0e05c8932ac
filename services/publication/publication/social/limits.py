"""A page's limits (profile `Channel.limits`): checked before sending, never by cutting the
story short, since a shortened title or description could say something the editor did not
approve. A story that breaks them is not sent and the editor is told which field and by how
much."""

from __future__ import annotations

import unicodedata

from exemplar.profile.models import Channel


def length(text: str) -> int:
    """Characters as a reader counts them: composed (NFC), so 'ệ' is one, not three."""
    return len(unicodedata.normalize("NFC", text))


def breaches(channel: Channel, *, title: str, description: str,
             image_bytes: int | None = None) -> dict[str, str]:
    """Field → what is wrong with it, in Vietnamese; empty when the story fits the page."""
    limits = channel.limits
    if limits is None:
        return {}
    found: dict[str, str] = {}
    if limits.title_max is not None and length(title) > limits.title_max:
        found["title"] = f"tiêu đề dài {length(title)} ký tự, tối đa {limits.title_max}"
    if limits.description_max is not None and length(description) > limits.description_max:
        found["description"] = (f"nội dung dài {length(description)} ký tự, "
                                f"tối đa {limits.description_max}")
    if (limits.image_max_bytes is not None and image_bytes is not None
            and image_bytes > limits.image_max_bytes):
        found["image"] = f"ảnh nặng {image_bytes} byte, tối đa {limits.image_max_bytes}"
    return found


def refusal(channel: Channel, found: dict[str, str]) -> str:
    return (f"Không gửi đến “{channel.name}” vì vượt giới hạn của trang: "
            + "; ".join(found.values()) + ".")
