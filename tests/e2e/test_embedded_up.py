"""`exemplar up` (behind `./dev run`) as a newcomer runs it: real processes, real ports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from exemplar.testing import free_port

from ..integration.helpers import NOMINATION

READY = "All services are ready"


def start_up(var_dir: Path) -> tuple[subprocess.Popen, dict[str, int], list[str]]:
    ports = {name: free_port() for name in ("nomination", "review", "publication",
                                            "reporting")}
    env = {k: v for k, v in os.environ.items()
           if k != "NATS_URL" and not k.endswith("DATABASE_URL")}
    env.update({f"{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env["VAR_DIR"] = str(var_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "exemplar.cli", "up", "--nats-port", str(free_port())],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")),
                     daemon=True).start()
    return proc, ports, lines


def wait_for(predicate, timeout: float, what: str):
    """Poll `predicate` every 0.1 s until it is truthy, failing after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached within {timeout} s")


def test_up_starts_every_service_and_stops_cleanly_on_ctrl_c(tmp_path):
    proc, ports, lines = start_up(tmp_path / "var")
    try:
        wait_for(lambda: any(READY in line for line in lines) or proc.poll() is not None,
                 timeout=120, what="exemplar up ready")
        assert proc.poll() is None, "".join(lines)
        printed = "".join(lines)
        for port in ports.values():
            assert f"http://127.0.0.1:{port}" in printed
            assert httpx.get(f"http://127.0.0.1:{port}/health/ready").status_code == 200
        token = next(line.split(": ", 1)[1].strip() for line in lines
                     if line.startswith("demo token"))

        def cli_token(account: str) -> str:
            return subprocess.run(
                [sys.executable, "-m", "exemplar.cli", "token", account, "--dir",
                 str(tmp_path / "var" / "keys")], capture_output=True, text=True, check=True
            ).stdout.strip()

        nominations = f"http://127.0.0.1:{ports['nomination']}/nominations"
        # The printed token is a commune officer's: it reads its own commune's nominations.
        assert "demo token (binh-thang.officer)" in printed
        assert httpx.get(nominations, headers={"Authorization": f"Bearer {token}"}
                         ).status_code == 200
        created = httpx.post(nominations, json=NOMINATION,
                             headers={"Authorization": f"Bearer {cli_token('dak-o.officer')}"})
        assert created.status_code == 201, created.text
        sent = httpx.post(f"{nominations}/{created.json()['id']}/submit",
                          headers={"Authorization": f"Bearer {cli_token('dak-o.head')}"})
        assert sent.status_code == 200, sent.text
        reporting = f"http://127.0.0.1:{ports['reporting']}/counts"
        standing = cli_token("noi-vu.officer")
        counted = wait_for(lambda: httpx.get(reporting, params={"year": 2023}, headers={
            "Authorization": f"Bearer {standing}"}).json(), timeout=30, what="counted")
        assert counted == [{"unit_id": "xa-dak-o", "unit_name": "UBND xã Đắk Ơ",
                            "year": 2023, "submitted": 1}]
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)
    assert code == 0, "".join(lines)
    assert "stopped." in "".join(lines)
    for port in ports.values():
        try:
            httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1)
            raise AssertionError(f"port {port} still answers after Ctrl-C")
        except httpx.TransportError:
            pass
