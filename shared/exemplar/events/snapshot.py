"""Rewrite the JSON-schema snapshots of the event catalog: `python -m exemplar.events.snapshot`.

Run it only after deciding a schema change is compatible (fields added, none removed or
retyped); a breaking change is a new class and subject with the next major version (`.v2`).
"""

from __future__ import annotations

import json
from pathlib import Path

from . import schema_snapshots


def snapshot_dir() -> Path:
    """Where the snapshots live: one `<subject>.json` per event."""
    return Path(__file__).with_name("schemas")


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_snapshots(directory: Path | None = None) -> list[Path]:
    directory = directory or snapshot_dir()
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for subject, schema in schema_snapshots().items():
        path = directory / f"{subject}.json"
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_snapshots():
        print(path)
