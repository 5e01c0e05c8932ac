"""The embedded key pair and the tokens it signs (PyJWT, Ed25519): used by `exemplar up`,
`exemplar token` and the tests, without loading the web framework."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

EMBEDDED_ALGORITHM = "EdDSA"
PRIVATE_KEY, PUBLIC_KEY = "private.pem", "public.pem"


def ensure_keys(key_dir: Path, *, wait: float = 10.0) -> tuple[Path, Path]:
    """The embedded key pair, generated once. The private key is created owner-only and
    exclusively, so processes starting together agree on one pair."""
    key_dir.mkdir(parents=True, exist_ok=True)
    private, public = key_dir / PRIVATE_KEY, key_dir / PUBLIC_KEY
    try:
        fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        deadline = time.monotonic() + wait  # another process is writing the pair
        while not public.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return private, public
    key = Ed25519PrivateKey.generate()
    with os.fdopen(fd, "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    partial = public.with_suffix(".tmp")
    partial.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    partial.replace(public)  # readers see the whole key or none
    return private, public


def issue_token(*, private_key: str, sub: str, name: str, unit: str, roles: list[str],
                channels: list[str] | None = None, issuer: str, audience: str,
                ttl: timedelta = timedelta(hours=12)) -> str:
    at = datetime.now(UTC)
    claims = {"sub": sub, "name": name, "unit": unit, "roles": list(roles),
              "channels": list(channels or []), "iss": issuer, "aud": audience,
              "iat": at, "exp": at + ttl}
    return jwt.encode(claims, private_key, algorithm=EMBEDDED_ALGORITHM)
