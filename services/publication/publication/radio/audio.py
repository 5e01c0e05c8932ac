"""Vietnamese speech from a broadcast script, for the commune loudspeakers.

espeak-ng (Debian package `espeak-ng`) runs as a subprocess through asyncio, so the event loop
never waits on it; the script goes in on stdin, never on a command line, and a run past its
timeout is killed. The Southern voice is used where installed: Bình Phước speaks it.

A WAV is cached under var/radio/<channel>/ named by broadcast and by a hash of what made it
(voice, rate, script): an edited story gives a new file, an unchanged one is served again.
At most SYNTHESES_AT_ONCE run at a time in the process; a request waits for its turn no longer
than one synthesis may take, then is told to come back (its script is there meanwhile)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import shutil
import time
import uuid
import wave
import weakref
from pathlib import Path

log = logging.getLogger(__name__)

SYNTHESISER = "espeak-ng"
VOICES = ("vi-vn-x-south", "vi")  # preferred first; "vi" ships with every espeak-ng
RATE_RANGE = (80, 450)  # what espeak-ng's -s accepts, in words per minute

# espeak-ng keeps a core busy: a few at once, the other requests wait their turn.
SYNTHESES_AT_ONCE = 2

_voice_of: dict[str, str] = {}  # executable → the voice chosen, found once per process
# One gate per event loop (a service runs one; a semaphore belongs to the loop it waits on).
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary())


class SynthesisUnavailable(Exception):
    """No audio can be made now; the message is Vietnamese, for the user."""


class SynthesiserMissing(SynthesisUnavailable):
    pass


class SynthesisFailed(SynthesisUnavailable):
    pass


class SynthesisBusy(SynthesisUnavailable):
    pass


def _gate() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Semaphore(SYNTHESES_AT_ONCE)
    return gate


def synthesiser() -> str | None:
    return shutil.which(SYNTHESISER)


async def _run(argv: list[str], *, stdin: bytes | None,
               timeout: float) -> tuple[int, bytes, bytes]:
    """Exit code, stdout and stderr. Past the timeout, or when the request goes away, the
    process is killed rather than left running."""
    try:
        process = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.DEVNULL if stdin is None else asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    except OSError as error:
        log.warning("speech synthesiser did not start", extra={"error": str(error)})
        raise SynthesisFailed("Bộ tổng hợp tiếng nói không chạy được trên máy chủ.") from None
    try:
        out, err = await asyncio.wait_for(process.communicate(stdin), timeout)
    except BaseException as stopped:
        if process.returncode is None:
            process.kill()
            await process.wait()
        if isinstance(stopped, TimeoutError):
            raise SynthesisFailed(
                "Bộ tổng hợp tiếng nói chạy quá thời gian cho phép.") from None
        raise
    return process.returncode or 0, out, err


async def voice(executable: str, *, timeout: float) -> str:
    if executable not in _voice_of:
        _, out, _ = await _run([executable, "--voices=vi"], stdin=None, timeout=timeout)
        # "Pty Language Age/Gender VoiceName File …": the language is the second column.
        listed = {line.split()[1].lower() for line in out.decode(errors="replace").splitlines()
                  if len(line.split()) > 1}
        _voice_of[executable] = next((v for v in VOICES if v in listed), VOICES[-1])
    return _voice_of[executable]


def _playable(path: Path) -> bool:
    try:
        with wave.open(str(path), "rb") as audio:
            return audio.getnframes() > 0 and audio.getframerate() > 0
    except (OSError, EOFError, wave.Error):
        return False


def _reused(target: Path) -> bool:
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        return False
    os.utime(target)  # kept for as long as it is asked for
    return True


def _kept(partial: Path, target: Path, *, succeeded: bool) -> bool:
    """The new file in place if it was made and plays; the partial one gone either way."""
    try:
        if not succeeded or not _playable(partial):
            return False
        os.replace(partial, target)
        return True
    finally:
        partial.unlink(missing_ok=True)


async def synthesise(text: str, *, cache_dir: Path, name: str, words_per_minute: int,
                     timeout: float) -> Path:
    """The WAV of `text` (made now, or the one made before from the same text)."""
    executable = synthesiser()
    if executable is None:
        raise SynthesiserMissing("Máy chủ chưa cài bộ tổng hợp tiếng nói (espeak-ng).")
    chosen = await voice(executable, timeout=timeout)
    rate = min(max(words_per_minute, RATE_RANGE[0]), RATE_RANGE[1])
    digest = hashlib.sha256(f"{chosen}\n{rate}\n{text}".encode()).hexdigest()[:16]
    target = cache_dir / f"{name}-{digest}.wav"
    if await asyncio.to_thread(_reused, target):
        return target
    gate = _gate()
    try:
        await asyncio.wait_for(gate.acquire(), timeout)
    except TimeoutError:
        raise SynthesisBusy("Máy chủ đang bận tổng hợp tiếng nói cho các buổi phát khác; "
                            "hãy thử lại sau ít phút.") from None
    try:
        if await asyncio.to_thread(_reused, target):  # made by a request before this one
            return target
        return await _make(executable, chosen, rate, text, target=target, timeout=timeout)
    finally:
        gate.release()


async def _make(executable: str, chosen: str, rate: int, text: str, *, target: Path,
                timeout: float) -> Path:
    # Written aside, then renamed: a reader never sees half a file, two writers never clash.
    partial = target.with_name(f".{target.stem}-{uuid.uuid4().hex}.part")
    argv = [executable, "-v", chosen, "-s", str(rate), "-b", "1", "-w", str(partial),
            "--stdin"]
    try:
        code, _, err = await _run(argv, stdin=text.encode(), timeout=timeout)
    except BaseException:
        await asyncio.to_thread(partial.unlink, missing_ok=True)
        raise
    if not await asyncio.to_thread(_kept, partial, target, succeeded=code == 0):
        log.warning("speech synthesis failed", extra={
            "code": code, "stderr": err.decode(errors="replace")[-2000:]})
        raise SynthesisFailed("Bộ tổng hợp tiếng nói không tạo được âm thanh.")
    return target


def prune(root: Path, *, keep_days: float) -> int:
    """Delete audio not asked for in `keep_days`, and parts left by a crash; how many."""
    if not root.is_dir():
        return 0
    cutoff = time.time() - keep_days * 86_400
    removed = 0
    for path in [*root.glob("*/*.wav"), *root.glob("*/.*.part")]:
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
