"""The broadcast script: what the announcer (or the synthesiser) reads, in plain Vietnamese,
with times and dates written as they are spoken."""

from __future__ import annotations

from datetime import date, time

from exemplar.text import nfc

from .rundown import Rundown

ORDINALS = ("nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười")


def spoken_time(slot: time) -> str:
    """05:30 → '5 giờ 30 phút'; 17:00 → '17 giờ'."""
    return f"{slot.hour} giờ" + (f" {slot.minute} phút" if slot.minute else "")


def spoken_date(day: date) -> str:
    return f"ngày {day.day} tháng {day.month} năm {day.year}"


def ordinal(position: int) -> str:
    """1 → 'thứ nhất', 4 → 'thứ tư', 12 → 'thứ 12'."""
    return f"thứ {ORDINALS[position - 1] if position <= len(ORDINALS) else position}"


def sentence(text: str) -> str:
    """A title read as a sentence: ends with one full stop (or its own ! ? …)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def greeting(rundown: Rundown, station: str) -> list[str]:
    lines = ["Kính thưa quý vị và bà con thính giả!", f"Đây là {station}."]
    if rundown.channel.name != station:
        lines.append(f"Mời quý vị cùng nghe {rundown.channel.name}.")
    lines.append(f"Buổi phát {spoken_time(rundown.slot)} {spoken_date(rundown.day)}.")
    return lines


def closing(rundown: Rundown, station: str) -> list[str]:
    return [f"Buổi phát {spoken_time(rundown.slot)} của {station} đến đây là kết thúc.",
            "Cảm ơn quý vị và bà con đã lắng nghe. Xin chào và hẹn gặp lại."]


def script_text(rundown: Rundown, *, station: str) -> str:
    """Greeting, each item (its title, then its body), closing; blank lines between parts."""
    parts = ["\n".join(greeting(rundown, station))]
    if not rundown.items:
        parts.append("Buổi phát này chưa có tin bài về gương điển hình tiên tiến.")
    for position, item in enumerate(rundown.items, start=1):
        parts.append(f"Tin {ordinal(position)}: {sentence(item.story.title)}\n\n"
                     f"{item.story.body.strip()}")
    parts.append("\n".join(closing(rundown, station)))
    return nfc("\n\n".join(parts) + "\n")
