"""The radio's tunable numbers, read from the service's Settings (`radio_<name>`) when it
declares them, else these defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class RadioSettings:
    # A Vietnamese announcer reading for loudspeakers: about 160 words (syllables) a minute.
    words_per_minute: int = 160
    # A slot with nothing scheduled airs the latest published stories up to this running time.
    slot_budget_seconds: int = 600
    # espeak-ng writes ten minutes of speech in seconds; past this it is stuck, not slow.
    synthesis_timeout_seconds: float = 120.0
    # Synthesised audio is ~2.6 MB a minute; a broadcast's file is kept this many days.
    audio_keep_days: int = 3


def radio_settings(settings: object) -> RadioSettings:
    defaults = RadioSettings()
    return RadioSettings(**{
        f.name: getattr(settings, f"radio_{f.name}", getattr(defaults, f.name))
        for f in fields(RadioSettings)})
