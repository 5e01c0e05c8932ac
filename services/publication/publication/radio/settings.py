"""The radio's tunable numbers: the service's `radio_<name>` settings (config.py holds the
defaults), grouped so the radio's code takes one value."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class RadioSettings:
    # A Vietnamese announcer reading for loudspeakers: about 160 words (syllables) a minute.
    words_per_minute: int
    # A slot with nothing scheduled airs the latest published stories up to this running time.
    slot_budget_seconds: int
    # espeak-ng writes ten minutes of speech in seconds; past this it is stuck, not slow.
    synthesis_timeout_seconds: float
    # Synthesised audio is ~2.6 MB a minute; a broadcast's file is kept this many days.
    audio_keep_days: float


def radio_settings(settings: object) -> RadioSettings:
    """The service's `radio_<name>` settings (config.py), grouped for the radio's code."""
    return RadioSettings(**{f.name: getattr(settings, f"radio_{f.name}")
                            for f in fields(RadioSettings)})
