"""A DOCX turned into PDF by LibreOffice (`soffice --headless --convert-to pdf`, Debian
package libreoffice-writer-nogui), where one is installed; never a PDF of our own making.

Each conversion runs in a temporary folder of its own with its own LibreOffice profile (two at
once would otherwise fight over the user's profile lock), as a subprocess through asyncio so
the event loop never waits on it, killed with its children past the timeout. At most
CONVERSIONS_AT_ONCE run in the process; a request waits its turn no longer than a conversion
may take, then is told to come back."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import tempfile
import weakref
from pathlib import Path

log = logging.getLogger(__name__)

CONVERTERS = ("soffice", "libreoffice")
# A conversion takes a core and ~150 MB for a second or two: one at a time, the rest wait.
CONVERSIONS_AT_ONCE = 1
TIMEOUT_SECONDS = 60.0

_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary())


class PdfUnavailable(Exception):
    """No PDF can be made now; the message is Vietnamese, for the user."""


class ConverterMissing(PdfUnavailable):
    pass


class ConversionFailed(PdfUnavailable):
    pass


def converter() -> str | None:
    return next(filter(None, (shutil.which(name) for name in CONVERTERS)), None)


def _gate() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Semaphore(CONVERSIONS_AT_ONCE)
    return gate


def _prepare(content: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bao-cao-"))
    (folder / "bao-cao.docx").write_bytes(content)
    return folder


def _result(folder: Path) -> bytes | None:
    pdf = folder / "bao-cao.pdf"
    data = pdf.read_bytes() if pdf.exists() else b""
    return data if data.startswith(b"%PDF") else None


def _kill(process: asyncio.subprocess.Process) -> None:
    """soffice starts soffice.bin under it: the whole group goes."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


async def _convert(executable: str, folder: Path, timeout: float) -> None:
    argv = [executable, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
            "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(folder),
            str(folder / "bao-cao.docx")]
    try:
        process = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, start_new_session=True)
    except OSError as error:
        log.warning("pdf converter did not start", extra={"error": str(error)})
        raise ConversionFailed("Bộ chuyển đổi PDF không chạy được trên máy chủ.") from None
    try:
        _, err = await asyncio.wait_for(process.communicate(), timeout)
    except BaseException as stopped:
        if process.returncode is None:
            _kill(process)
            await process.wait()
        if isinstance(stopped, TimeoutError):
            raise ConversionFailed("Chuyển đổi sang PDF quá thời gian cho phép.") from None
        raise
    if process.returncode:
        log.warning("pdf conversion failed", extra={
            "code": process.returncode, "stderr": err.decode(errors="replace")[-500:]})


def require_converter() -> str:
    executable = converter()
    if executable is None:
        raise ConverterMissing("Máy chủ chưa cài bộ chuyển đổi PDF (LibreOffice): chưa xuất "
                               "được bản PDF; hãy tải bản DOCX (format=docx).")
    return executable


async def to_pdf(content: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The PDF of a DOCX, or PdfUnavailable saying why not."""
    executable = require_converter()
    gate = _gate()
    try:
        async with asyncio.timeout(timeout):
            await gate.acquire()
    except TimeoutError:
        raise ConversionFailed("Máy chủ đang bận chuyển đổi báo cáo khác sang PDF; hãy thử "
                               "lại sau ít phút.") from None
    folder = None
    try:
        folder = await asyncio.to_thread(_prepare, content)
        await _convert(executable, folder, timeout)
        pdf = await asyncio.to_thread(_result, folder)
    finally:
        gate.release()
        if folder is not None:
            await asyncio.to_thread(shutil.rmtree, folder, True)
    if pdf is None:
        raise ConversionFailed("Không chuyển đổi được báo cáo sang PDF; hãy tải bản DOCX.")
    return pdf
