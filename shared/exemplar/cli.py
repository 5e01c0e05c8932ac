"""The `exemplar` command: up, serve, migrate, token, keys, replay, dlq list, dlq replay."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Annotated

import typer

from . import services  # light: loads services only when asked

app = typer.Typer(help="Exemplar: chạy và quản trị hệ thống điển hình tiên tiến.",
                  no_args_is_help=True, add_completion=False)
dlq = typer.Typer(help="Dead letters: events a consumer gave up on.", no_args_is_help=True)
app.add_typer(dlq, name="dlq")

VarDir = Annotated[Path, typer.Option(envvar="VAR_DIR", help="data folder")]
NatsUrl = Annotated[str | None, typer.Option(
    help="NATS server (default: NATS_URL, else the one `exemplar up` started)")]


def database_url(service: str, var_dir: Path, *, alone: bool = False) -> str:
    """`<SERVICE>_DATABASE_URL`; `DATABASE_URL` too when one service is meant (`alone`);
    else SQLite under var/. Four services never share one database."""
    url = os.environ.get(f"{service.upper()}_DATABASE_URL")
    if not url and alone:
        url = os.environ.get("DATABASE_URL")
    from .config import ServiceSettings

    return ServiceSettings(service_name=service, var_dir=var_dir,
                           database_url=url or "").resolved_database_url()


@app.command()
def up(var_dir: VarDir = Path("var"),
       nats_port: Annotated[int, typer.Option(help="port of the embedded nats-server")] = 4322,
       token_account: Annotated[str | None, typer.Option(
           help="account of the demo token (default: the profile's first unit officer)")] =
       None,
       demo: Annotated[bool, typer.Option(
           help="seed a demo year for Bù Gia Mập through the APIs (once per var dir; a new "
                "folder then runs on the demo's calendar, from 02/12/2024)")] = False,
       as_of: Annotated[str | None, typer.Option(
           help="rehearsal: every service's calendar starts on this date (YYYY-MM-DD) and "
                "runs on from there; kept in the var dir")] = None) -> None:
    """Start nats-server and the four services, wait until ready, stop all on Ctrl-C; a
    service that dies is restarted."""
    from datetime import date

    from .embedded import run_embedded

    try:
        first_day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {as_of}",
                                 param_hint="--as-of") from None
    raise typer.Exit(run_embedded(var_dir=var_dir, nats_port=nats_port,
                                  token_account=token_account, demo=demo, as_of=first_day))


@app.command()
def serve(service: str, host: str = "127.0.0.1", port: Annotated[int | None, typer.Option()]
          = None) -> None:
    """Run one service (its settings come from the environment)."""
    import uvicorn

    from .config import ServiceSettings
    from .rehearsal import CalendarError, check_process

    spec = services.get(service)
    os.environ["SERVICE_NAME"] = spec.name
    try:  # said plainly here; the app refuses too, for any other way of starting it
        check_process(ServiceSettings().var_dir)
    except (CalendarError, ValueError) as exc:
        typer.echo(f"exemplar serve {service}: {exc}", err=True)
        raise typer.Exit(2) from None
    uvicorn.run(spec.app, factory=True, host=host, port=port or spec.port,
                log_config=None, timeout_graceful_shutdown=10)


@app.command()
def migrate(service_names: Annotated[list[str] | None, typer.Argument(
        metavar="[SERVICE]...", help="default: every installed service")] = None,
        var_dir: VarDir = Path("var")) -> None:
    """Upgrade each service's database to the newest migration."""
    from .migrations import upgrade

    names = service_names or list(services.installed())
    for name in names:
        spec = services.get(name)
        url = database_url(name, var_dir, alone=len(names) == 1)
        upgrade(spec.migrations, url)
        typer.echo(f"{name}: migrated")


@app.command()
def keys(key_dir: Annotated[Path, typer.Option("--dir")] = Path("var/keys")) -> None:
    """Create the embedded signing key pair if it does not exist."""
    from .keys import ensure_keys

    _, public = ensure_keys(key_dir)
    typer.echo(str(public))


def account_token(account: str, *, key_dir: Path, profile: Path | str | None = None,
                  hours: float = 12.0) -> str:
    """A token for an account of the profile, signed with the embedded key."""
    from datetime import timedelta

    from .config import ServiceSettings
    from .keys import ensure_keys, issue_token
    from .profile import load_profile

    acct = load_profile(profile).account(account)
    settings = ServiceSettings()
    private, _ = ensure_keys(key_dir)
    return issue_token(private_key=private.read_text(), sub=acct.id, name=acct.name,
                       unit=acct.unit, roles=list(acct.roles), channels=list(acct.channels),
                       issuer=settings.auth_issuer, audience=settings.auth_audience,
                       ttl=timedelta(hours=hours))


@app.command()
def token(account: str,
          key_dir: Annotated[Path, typer.Option("--dir")] = Path("var/keys"),
          profile: Annotated[Path | None, typer.Option(envvar="PROFILE_PATH")] = None,
          hours: float = 12.0) -> None:
    """Print a bearer token for ACCOUNT of the profile (embedded default only)."""
    try:
        typer.echo(account_token(account, key_dir=key_dir, profile=profile, hours=hours))
    except KeyError as exc:
        typer.echo(str(exc.args[0] if exc.args else exc), err=True)
        raise typer.Exit(2) from None


@app.command()
def replay(url: Annotated[str, typer.Option(help="the reporting service")] =
           "http://127.0.0.1:8004",
           account: Annotated[str, typer.Option(help="an admin account of the profile")] =
           "admin",
           key_dir: Annotated[Path, typer.Option("--dir")] = Path("var/keys"),
           profile: Annotated[Path | None, typer.Option(envvar="PROFILE_PATH")] = None,
           timeout: Annotated[float, typer.Option(help="seconds to wait for the end")] =
           3600.0) -> None:
    """Rebuild reporting's projections from the whole stream and wait until it is done."""
    import time

    import httpx

    bearer = account_token(account, key_dir=key_dir, profile=profile)
    headers = {"Authorization": f"Bearer {bearer}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        try:
            answer = client.post("/admin/replay")
        except httpx.HTTPError as exc:
            typer.echo(f"reporting at {url} does not answer: {exc}", err=True)
            raise typer.Exit(1) from None
        if answer.status_code != 202:
            typer.echo(f"{answer.status_code}: {answer.text}", err=True)
            raise typer.Exit(1)
        deadline = time.monotonic() + timeout
        status = answer.json()
        while status["state"] == "running" and time.monotonic() < deadline:
            time.sleep(0.5)  # polling a running server, not waiting for a fixed time
            status = client.get("/admin/replay").json()
    typer.echo(f"{status['state']}: read {status['read']}, applied {status['applied']}, "
               f"skipped {status['skipped']}, failed {status['failed']}, "
               f"last sequence {status['last_sequence']}")
    if status["state"] != "finished":
        if status.get("error"):
            typer.echo(status["error"], err=True)
        raise typer.Exit(1)


def default_nats_url() -> str:
    """NATS_URL, else the one `exemplar up` started (var/nats.url), else the local default."""
    if os.environ.get("NATS_URL"):
        return os.environ["NATS_URL"]
    written = Path(os.environ.get("VAR_DIR", "var")) / "nats.url"
    return written.read_text().strip() if written.exists() else "nats://127.0.0.1:4222"


async def _with_bus(nats_url: str | None, work):
    from .bus import NatsBus
    from .config import ServiceSettings

    nats_url = nats_url or default_nats_url()
    settings = ServiceSettings()
    bus = NatsBus(nats_url, name="exemplar-cli", stream=settings.stream_name,
                  dlq_stream=settings.dlq_stream_name)
    try:
        await bus.start(wait=5)
    except TimeoutError:
        typer.echo(f"NATS at {nats_url} does not answer", err=True)
        raise typer.Exit(1) from None
    try:
        return await work(bus)
    finally:
        await bus.close()


@dlq.command("list")
def dlq_list(nats_url: NatsUrl = None) -> None:
    """List dead letters: sequence, consumer, subject, event id, deliveries, error."""
    letters = asyncio.run(_with_bus(nats_url, lambda bus: bus.dead_letters()))
    if not letters:
        typer.echo("no dead letters")
    for d in letters:
        typer.echo(f"{d.sequence}\t{d.consumer}\t{d.subject}\t{d.msg_id}\t"
                   f"deliveries={d.deliveries}\t{d.error}")


@dlq.command("replay")
def dlq_replay(sequences: Annotated[list[int] | None, typer.Argument()] = None,
               all_: Annotated[bool, typer.Option("--all")] = False,
               nats_url: NatsUrl = None) -> None:
    """Deliver dead letters again (by sequence, or --all) and remove them from the DLQ."""
    async def work(bus):
        seqs = [d.sequence for d in await bus.dead_letters()] if all_ else (sequences or [])
        if not seqs:
            typer.echo("nothing to replay (give sequences or --all)", err=True)
            raise typer.Exit(2)
        for seq in seqs:
            try:
                letter = await bus.replay(seq)
            except KeyError:
                typer.echo(f"{seq}: no such dead letter", err=True)
                raise typer.Exit(1) from None
            typer.echo(f"{seq}: replayed to {letter.subject}")

    asyncio.run(_with_bus(nats_url, work))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
