"""Periodic work of radio: synthesised audio not asked for in a few days is deleted (ten
minutes of speech is ~26 MB, for each station and slot of each day)."""

from __future__ import annotations

import asyncio

from exemplar.runtime import Background, Runtime, periodic

from .audio import prune
from .settings import radio_settings


async def prune_radio_audio(runtime: Runtime) -> None:
    keep = radio_settings(runtime.settings).audio_keep_days
    await asyncio.to_thread(prune, runtime.settings.var_dir / "radio", keep_days=keep)


BACKGROUND: list[Background] = [periodic(prune_radio_audio, every=lambda runtime: 3600.0)]
