"""Finding the installed services by entry point, without importing any of them statically."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the runtime pulls in FastAPI and SQLAlchemy: not for `exemplar token`
    from .runtime import ServiceSpec

GROUP = "exemplar.services"


def installed() -> dict[str, ServiceSpec]:
    """Every installed service, in a stable order (nomination, review, publication, reporting
    when all four are present)."""
    specs = {ep.name: ep.load() for ep in entry_points(group=GROUP)}
    return dict(sorted(specs.items(), key=lambda kv: kv[1].port))


def get(name: str) -> ServiceSpec:
    specs = installed()
    if name not in specs:
        known = ", ".join(specs) or "none"
        raise KeyError(f"no service {name!r} is installed (installed: {known})")
    return specs[name]
