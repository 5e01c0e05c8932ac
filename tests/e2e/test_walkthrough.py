"""The README's walkthrough, executed as written: the plan's year across nats-server and the
four services as separate processes (started by the README's run command), through their
HTTP APIs only, for the Bù Gia Mập district and for a post-2025 commune of Đồng Nai; and once
more with services killed (SIGKILL) mid-scenario, which must end with the same figures."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import re
import shlex
import signal
import subprocess
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import docx
import httpx
import pytest
from sqlalchemy.engine import make_url

from exemplar.testing import free_port, pg_execute

from .test_embedded_up import wait_for

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("nomination", "review", "publication", "reporting")
SCRIPT_TIMEOUT = 240


@dataclass(frozen=True)
class Cast:
    """A profile and who plays each part of the walkthrough in it (the README's defaults are
    the Bù Gia Mập profile's)."""

    profile: str | None
    year: int
    parts: dict[str, str] = field(default_factory=dict)
    met: frozenset[tuple[str, str]] = frozenset()  # quota lines (unit, quota) met at the end
    missed: frozenset[tuple[str, str]] = frozenset()  # and missed; all others are at risk


BU_GIA_MAP = Cast(None, 2024, met=frozenset({
    ("xa-dak-o", "publicised"), ("phong-vhtt", "publicised"), ("ubnd-huyen", "escalated")}))
DONG_NAI = Cast(
    str(ROOT / "shared/exemplar/profiles/dong-nai-xa-2025.yaml"), 2025, {
        "OFFICER": "xa.officer", "HEAD": "xa.vice-chair", "AGENCY": "tram-y-te.head",
        "OFFICE": "vhxh.head", "CHAIR": "xa.chair", "FRONT": "mttq.reviewer",
        "MEMBERS": "xa.chair xa.vice-chair vhxh.head mttq.head tram-y-te.head",
        "EDITORS": "portal-xa:trang.editor radio-xa:tth.editor"},
    met=frozenset({("xa-bu-gia-map", "publicised"), ("tram-y-te", "publicised"),
                   ("xa-bu-gia-map", "escalated")}),
    # The commune before the reorganisation had until its last day, 30/6/2025.
    missed=frozenset({("xa-bu-gia-map-cu", "publicised")}))


def walkthrough() -> tuple[list[str], list[str]]:
    """The README section's `sh` blocks: the run command's arguments, and the steps."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Walkthrough", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    run = shlex.split(blocks[0])
    assert run[:2] == ["./dev", "run"], blocks[0]
    return run[2:], blocks[1:]


def arguments(run: list[str], var_dir: Path, year: int) -> list[str]:
    """The README's run arguments with this test's folder and the cast's year."""
    out = list(run)
    out[out.index("--var-dir") + 1] = str(var_dir)
    as_of = out.index("--as-of") + 1
    out[as_of] = out[as_of].replace("2024", str(year))
    return out


class System:
    """`./dev run …` as the README starts it, on free ports, in a folder of its own."""

    def __init__(self, tmp: Path, cast: Cast):
        self.var_dir, self.cast = tmp / "var", cast
        self.ports = {name: free_port() for name in SERVICES}
        self.url = {name: f"http://127.0.0.1:{port}" for name, port in self.ports.items()}
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("NATS_URL", "PROFILE_PATH", "EXEMPLAR_CLOCK_SHIFT")
                    and not k.endswith("DATABASE_URL")}
        if cast.profile:
            self.env["PROFILE_PATH"] = cast.profile
        self.env.update({f"{name.upper()}_PORT": str(p) for name, p in self.ports.items()})
        self.databases: dict[str, str] = {}
        self.lines: list[str] = []
        self.proc: subprocess.Popen | None = None

    def start(self, run: list[str]) -> None:
        self.databases = postgres_databases()  # CI: PostgreSQL; else SQLite under var/
        self.env.update({f"{name.upper()}_DATABASE_URL": url
                         for name, url in self.databases.items()})
        self.proc = subprocess.Popen(
            ["./dev", "run", *arguments(run, self.var_dir, self.cast.year),
             "--nats-port", str(free_port())],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        threading.Thread(target=lambda: self.lines.extend(iter(self.proc.stdout.readline, "")),
                         daemon=True).start()
        wait_for(lambda: any("All services are ready" in line for line in self.lines)
                 or self.proc.poll() is not None, timeout=120, what="exemplar up")
        assert self.proc.poll() is None, "".join(self.lines)

    def stop(self) -> None:
        try:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGINT)
                try:
                    self.proc.wait(timeout=60)
                except subprocess.TimeoutExpired:  # then no child may outlive the test
                    self.proc.kill()
                    for pid_file in (self.var_dir / "run").glob("*.pid"):
                        with contextlib.suppress(ProcessLookupError, ValueError):
                            os.kill(int(pid_file.read_text()), signal.SIGKILL)
        finally:
            drop_databases(self.databases)
            self.databases = {}

    def restarts(self) -> list[str]:
        """The services `exemplar up` had to start again, in order."""
        return [line.split()[0] for line in self.lines if "; restarted (pid" in line]

    def script_env(self) -> dict[str, str]:
        return {**self.env, "VAR_DIR": str(self.var_dir), "YEAR": str(self.cast.year),
                "N": self.url["nomination"], "R": self.url["review"],
                "P": self.url["publication"], "REP": self.url["reporting"],
                **self.cast.parts}

    def token(self, account: str) -> dict[str, str]:
        from exemplar.cli import account_token

        token = account_token(account, key_dir=self.var_dir / "keys",
                              profile=self.cast.profile)
        return {"Authorization": f"Bearer {token}"}

    def get(self, service: str, path: str, who: str, **params) -> httpx.Response:
        response = httpx.get(f"{self.url[service]}{path}", headers=self.token(who),
                             params=params, timeout=60)
        assert response.status_code == 200, response.text
        return response


def postgres_databases() -> dict[str, str]:
    """With TEST_DATABASE_URL, a new database per service on that server, which
    `exemplar up` migrates as it would any configured one."""
    admin = os.environ.get("TEST_DATABASE_URL")
    if not admin:
        return {}
    run = uuid.uuid4().hex[:8]
    urls: dict[str, str] = {}
    try:
        for name in SERVICES:
            database = f"exemplar_e2e_{run}_{name}"
            asyncio.run(pg_execute(admin, f'CREATE DATABASE "{database}"'))
            urls[name] = make_url(admin).set(database=database).render_as_string(False)
    except BaseException:
        drop_databases(urls)
        raise
    return urls


def drop_databases(urls: dict[str, str]) -> None:
    admin = os.environ.get("TEST_DATABASE_URL")
    failed = []
    for url in urls.values():
        database = make_url(url).database
        try:
            asyncio.run(pg_execute(admin, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        except Exception as exc:  # try the others; say which stayed
            failed.append(f"{database}: {exc}")
    assert not failed, failed


def script(steps: list[str], kills: dict[int, str]) -> str:
    """One bash script of the blocks (the setup is step 0, then the README's numbered
    steps); after step i, `kill_and_wait SERVICE` where asked."""
    parts = ["set -euo pipefail", KILL_AND_WAIT]
    for i, step in enumerate(steps):
        parts.append(f"echo '== step {i}'")
        parts.append(step)
        if i in kills:
            parts.append(f"kill_and_wait {kills[i]}")
    return "\n".join(parts) + "\n"


# SIGKILL the service's process (its pid from var/run), then wait until `exemplar up` has
# started it again and it answers ready; the walkthrough goes on at once.
KILL_AND_WAIT = r"""
kill_and_wait() {
  old=$(cat "$VAR_DIR/run/$1.pid"); kill -9 "$old"; echo "killed $1 ($old)"
  for _ in $(seq 240); do
    new=$(cat "$VAR_DIR/run/$1.pid" 2>/dev/null || true)
    port_var="$(echo "$1" | tr a-z A-Z)_PORT"
    if [ -n "$new" ] && [ "$new" != "$old" ] && \
       curl -sf "http://127.0.0.1:${!port_var}/health/ready" >/dev/null; then
      echo "restarted $1 ($new)"; return 0
    fi
    sleep 0.25
  done
  echo "$1 did not come back" >&2; return 1
}
"""


def play(tmp: Path, cast: Cast, kills: dict[int, str] | None = None) -> tuple[System, str]:
    run, steps = walkthrough()
    system = System(tmp, cast)
    try:
        system.start(run)
        done = subprocess.run(["bash", "-c", script(steps, kills or {})], cwd=ROOT,
                              env=system.script_env(),
                              capture_output=True, text=True, timeout=SCRIPT_TIMEOUT)
    except BaseException:
        system.stop()
        raise
    if done.returncode != 0:
        system.stop()
        pytest.fail(f"walkthrough failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n"
                    f"exemplar up:\n{''.join(system.lines)}")
    return system, done.stdout


def figures(system: System) -> dict:
    """What the year ends with: reporting's totals and quota table, the cases' and the
    stories' states, the nominations' statuses (ids left out: they differ per run)."""
    office = system.cast.parts.get("OFFICE", "noi-vu.head")
    year = system.cast.year
    dashboard = system.get("reporting", "/dashboard", office, year=year).json()
    quotas = system.get("reporting", "/quotas", office, year=year).json()
    cases = system.get("review", "/cases", office, year=year, limit=500).json()["items"]
    stories = system.get("publication", "/stories", office, limit=500).json()["items"]
    nominations = system.get("nomination", "/nominations", office, year=year,
                             limit=100).json()["items"]
    return {
        "totals": dashboard["totals"],
        "quotas": sorted((q["unit_id"], q["quota"], q["achieved"], q["status"])
                         for q in quotas["lines"]),
        "cases": sorted(c["status"] for c in cases),
        "stories": sorted((s["channel_id"], s["status"]) for s in stories),
        "nominations": sorted((n["nominee"]["name"], n["status"]) for n in nominations),
    }


def check_year(system: System, printed: str) -> dict:
    """The acceptance of one run: the quota table, the yearly report, one trace."""
    cast, office = system.cast, system.cast.parts.get("OFFICE", "noi-vu.head")
    assert system.restarts() == [], system.lines  # no service died along the way
    seen = figures(system)
    assert {k: seen["totals"][k] for k in ("submitted", "commended", "revoked", "publicised",
                                           "escalated")} == {
        "submitted": 4, "commended": 3, "revoked": 1, "publicised": 3, "escalated": 1}, seen
    status = {(unit, quota): status for unit, quota, _, status in seen["quotas"]}
    assert {line for line, s in status.items() if s == "met"} == cast.met, seen["quotas"]
    assert {line for line, s in status.items() if s == "missed"} == cast.missed, seen
    # On 2 December the year's quotas are not yet due: every other line is at risk.
    assert {s for line, s in status.items()
            if line not in cast.met | cast.missed} == {"at_risk"}, seen["quotas"]
    assert seen["cases"] == ["decided", "decided", "decided", "revoked"], seen

    report = system.get("reporting", "/reports/annual", office, year=cast.year)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(report.content)).paragraphs)
    assert f"năm {cast.year}" in text.lower(), text[:2000]

    named = {n["nominee"]["name"]: n for n in system.get(
        "nomination", "/nominations", office, year=cast.year, limit=100).json()["items"]}
    hoa, thinh = named["Nguyễn Thị Hoa"], named["Điểu Thị Thinh"]
    assert (hoa["status"], thinh["status"]) == ("decided", "revoked")
    # The revocation took down every story of the revoked title, and only those.
    revoked = system.get("publication", "/stories", office, nomination_id=thinh["id"],
                         limit=500).json()["items"]
    assert revoked and {s["status"] for s in revoked} == {"withdrawn"}, revoked
    kept = system.get("publication", "/stories", office, nomination_id=hoa["id"],
                      limit=500).json()["items"]
    # (channels without an editor in the walkthrough keep their drafts)
    assert {s["status"] for s in kept} - {"draft"} == {"published"}, kept
    timeline = system.get("reporting", f"/nominations/{hoa['id']}/timeline", office).json()
    kinds = [e["type"].split(".")[-2] for e in timeline]
    assert {"submitted", "appraised", "posted", "decided", "escalated",
            "published"} <= set(kinds), kinds
    # One trace from the submission through appraisal, the council and the decision to
    # every story: each step was its own request, and they all continue the submission's.
    traces = {e["trace_id"] for e in timeline}
    assert len(traces) == 1 and None not in traces, timeline
    assert traces.pop() in printed  # the README's last command shows it
    return seen


@pytest.fixture(scope="module")
def bu_gia_map(tmp_path_factory):
    system, printed = play(tmp_path_factory.mktemp("bu-gia-map"), BU_GIA_MAP)
    try:
        yield check_year(system, printed), printed
    finally:
        system.stop()


def test_the_year_in_bu_gia_map(bu_gia_map):
    seen, printed = bu_gia_map
    assert "is recused from case" in printed  # the council's automatic recusal happened
    assert ("Nguyễn Thị Hoa", "decided") in seen["nominations"]
    assert ("Điểu Thị Thinh", "revoked") in seen["nominations"]
    channels = {channel for channel, status in seen["stories"] if status == "published"}
    assert {"portal-guong-dien-hinh", "radio-huyen", "radio-dak-o"} <= channels


def test_the_same_year_in_a_dong_nai_commune(tmp_path):
    system, printed = play(tmp_path, DONG_NAI)
    try:
        seen = check_year(system, printed)
        channels = {channel for channel, status in seen["stories"] if status == "published"}
        assert {"portal-xa", "radio-xa"} <= channels
    finally:
        system.stop()


def test_services_killed_mid_year_lose_nothing(tmp_path, bu_gia_map):
    """SIGKILL the nomination service right after the submissions (README step 2), review
    right after the decision and the escalation (step 6: their events may still sit in its
    outbox) and reporting while the stories are being counted (step 7): the year ends
    exactly as without the kills."""
    without, _ = bu_gia_map
    system, printed = play(tmp_path, BU_GIA_MAP,
                           kills={2: "nomination", 6: "review", 7: "reporting"})
    try:
        assert system.restarts() == ["nomination", "review", "reporting"], system.lines
        assert printed.count("killed ") == 3, printed
        assert figures(system) == without
    finally:
        system.stop()
