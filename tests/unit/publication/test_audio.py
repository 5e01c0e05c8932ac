"""Speech synthesis is rationed: a few run at once in the process, the others wait their turn
(no longer than one synthesis may take), and what a waiting request wants may already be made
when its turn comes."""

from __future__ import annotations

import asyncio
import wave
from pathlib import Path

import pytest

from publication.radio import audio


class FakeSynthesiser:
    """Stands in for espeak-ng: writes a short WAV after `seconds`, counting runs at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.running, self.most, self.runs = seconds, 0, 0, 0
        self.two_running = asyncio.Event()

    async def __call__(self, argv: list[str], *, stdin: bytes | None,
                       timeout: float) -> tuple[int, bytes, bytes]:
        if "--voices=vi" in argv:
            return 0, b"Pty Language Age/Gender VoiceName\n 5  vi  M  vietnam\n", b""
        self.running += 1
        self.most, self.runs = max(self.most, self.running), self.runs + 1
        if self.running >= 2:
            self.two_running.set()
        try:
            await asyncio.sleep(self.seconds)
            with wave.open(argv[argv.index("-w") + 1], "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(22050)
                out.writeframes(b"\0\0" * 100)
            return 0, b"", b""
        finally:
            self.running -= 1


@pytest.fixture
def espeak(monkeypatch) -> FakeSynthesiser:
    fake = FakeSynthesiser(0.05)
    monkeypatch.setattr(audio, "synthesiser", lambda: "/usr/bin/espeak-ng")
    monkeypatch.setattr(audio, "_run", fake)
    audio._voice_of.clear()
    return fake


def speak(text: str, cache: Path, *, timeout: float = 5.0):
    return audio.synthesise(text, cache_dir=cache, name="2025-01-16-1730",
                            words_per_minute=160, timeout=timeout)


async def test_no_more_than_two_syntheses_run_at_once(espeak, tmp_path):
    made = await asyncio.gather(*(speak(f"Buổi phát số {n}.", tmp_path) for n in range(6)))
    assert espeak.most == audio.SYNTHESES_AT_ONCE == 2
    assert len(set(made)) == 6 and all(path.exists() for path in made)


async def test_the_same_script_asked_for_while_waiting_is_not_made_again(espeak, tmp_path):
    made = await asyncio.gather(*(speak("Cùng một kịch bản.", tmp_path) for _ in range(6)))
    # The first turns may make it side by side; whoever waited finds it made.
    assert espeak.runs <= audio.SYNTHESES_AT_ONCE and len(set(made)) == 1


async def test_a_request_that_waits_too_long_is_told_the_server_is_busy(espeak, tmp_path):
    espeak.seconds = 1.0
    first = [asyncio.create_task(speak(f"Buổi phát số {n}.", tmp_path)) for n in range(2)]
    await asyncio.wait_for(espeak.two_running.wait(), 5)
    with pytest.raises(audio.SynthesisBusy, match="bận"):
        await speak("Buổi phát thứ ba.", tmp_path, timeout=0.3)
    assert all(path.exists() for path in await asyncio.gather(*first))
