"""`exemplar up --demo`: the demo year seeded through the four services' HTTP APIs, as
separate processes, leaves data in every service; a second `--demo` on the same var dir
skips the seeding and still starts."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import docx
import httpx

from exemplar.demo.nominations import NOMINATIONS, YEAR
from exemplar.testing import free_port

from .test_embedded_up import wait_for

SERVICES = ("nomination", "review", "publication", "reporting")


def start(var_dir: Path, ports: dict[str, int]) -> tuple[subprocess.Popen, list[str]]:
    env = {k: v for k, v in os.environ.items()
           if k != "NATS_URL" and not k.endswith("DATABASE_URL")}
    env.update({f"{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env["VAR_DIR"] = str(var_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "exemplar.cli", "up", "--demo", "--nats-port",
         str(free_port())],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")),
                     daemon=True).start()
    return proc, lines


def stop(proc: subprocess.Popen, lines: list[str]) -> None:
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 0, "".join(lines)


def seeded(proc: subprocess.Popen, lines: list[str]) -> str:
    """Wait for the demo to finish (or fail); the output so far."""
    wait_for(lambda: any(line.startswith(("demo: done", "demo: already seeded",
                                          "demo: failed")) for line in lines)
             or proc.poll() is not None, timeout=150, what="the demo seeded")
    return "".join(lines)


def token(var_dir: Path, account: str) -> dict[str, str]:
    from exemplar.cli import account_token

    return {"Authorization": f"Bearer {account_token(account, key_dir=var_dir / 'keys')}"}


def test_demo_leaves_data_in_every_service_and_runs_once(tmp_path):
    var_dir = tmp_path / "var"
    ports = {name: free_port() for name in SERVICES}
    url = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    proc, lines = start(var_dir, ports)
    try:
        printed = seeded(proc, lines)
        assert "demo: done" in printed, printed
        assert proc.poll() is None, printed
        office = token(var_dir, "noi-vu.head")

        nominations = httpx.get(f"{url['nomination']}/nominations", headers=office,
                                params={"year": YEAR, "limit": 100}).json()["items"]
        names = {n["nominee"]["name"] for n in nominations}
        assert {body["nominee"]["name"] for _, _, body in NOMINATIONS} <= names
        assert len(nominations) == len(NOMINATIONS) + 2  # and the imported list's two

        cases = httpx.get(f"{url['review']}/cases", headers=office,
                          params={"limit": 500}).json()["items"]
        assert sorted(c["status"] for c in cases if c["status"] not in ("open",)) == [
            "decided", "decided", "revoked"], cases

        stories = httpx.get(f"{url['publication']}/stories", headers=office,
                            params={"limit": 500}).json()["items"]
        published = {(s["channel_id"], s["status"]) for s in stories}
        assert {("portal-guong-dien-hinh", "published"), ("radio-huyen", "published"),
                ("radio-dak-o", "published")} <= published, published
        assert ("portal-guong-dien-hinh", "withdrawn") in published  # the revoked one

        def totals(year: int) -> dict:
            return httpx.get(f"{url['reporting']}/dashboard", headers=office,
                             params={"year": year}).json()["totals"]

        assert {k: totals(YEAR)[k] for k in ("submitted", "commended", "revoked")} == {
            "submitted": 5, "commended": 2, "revoked": 1}
        # The demo's calendar puts its stories and its escalation in 2024 too.
        assert (totals(YEAR)["publicised"], totals(YEAR)["escalated"]) == (2, 1)
        quotas = httpx.get(f"{url['reporting']}/quotas", headers=office,
                           params={"year": YEAR}).json()
        met = {line["unit_id"] for line in quotas["lines"] if line["status"] == "met"}
        assert {"xa-dak-o", "ubnd-huyen"} <= met, quotas
        report = httpx.get(f"{url['reporting']}/reports/annual", headers=office,
                           params={"year": YEAR}, timeout=60)
        assert report.status_code == 200, report.text
        assert report.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml")
        assert docx.Document(io.BytesIO(report.content)).paragraphs
    finally:
        stop(proc, lines)

    again, lines = start(var_dir, ports)
    try:
        printed = seeded(again, lines)
        assert "demo: already seeded" in printed and again.poll() is None, printed
        nominations = httpx.get(f"{url['nomination']}/nominations", headers=office,
                                params={"year": YEAR, "limit": 100}).json()["items"]
        assert len(nominations) == len(NOMINATIONS) + 2
    finally:
        stop(again, lines)
