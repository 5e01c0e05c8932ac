"""JWT bearer auth (PyJWT): an OIDC provider's JWKS in production, an embedded Ed25519 key
pair otherwise. Claims: sub, name, unit, roles, channels. Role checks are FastAPI dependencies.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

EMBEDDED_ALGORITHM = "EdDSA"
OIDC_ALGORITHMS = ["RS256", "ES256", "EdDSA"]
PRIVATE_KEY, PUBLIC_KEY = "private.pem", "public.pem"


@dataclass(frozen=True)
class Principal:
    sub: str
    name: str
    unit: str
    roles: frozenset[str]
    channels: frozenset[str] = field(default_factory=frozenset)

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class TokenVerifier:
    """Checks signature, expiry, issuer and audience; returns the principal."""

    def __init__(self, *, issuer: str, audience: str, public_key: str | None = None,
                 jwks_url: str | None = None) -> None:
        if not public_key and not jwks_url:
            raise ValueError("auth needs a public key or a JWKS URL")
        self.issuer, self.audience = issuer, audience
        self._key = public_key
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True) if jwks_url else None

    async def verify(self, token: str) -> Principal:
        if self._jwks is not None:  # the client fetches over HTTP: keep it off the loop
            key = (await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)).key
            algorithms = OIDC_ALGORITHMS
        else:
            key, algorithms = self._key, [EMBEDDED_ALGORITHM]
        claims = jwt.decode(token, key, algorithms=algorithms, audience=self.audience,
                            issuer=self.issuer,
                            options={"require": ["exp", "sub", "iss", "aud"]})
        return Principal(sub=claims["sub"], name=claims.get("name", claims["sub"]),
                         unit=claims.get("unit", ""), roles=frozenset(claims.get("roles", [])),
                         channels=frozenset(claims.get("channels", [])))


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


_bearer = HTTPBearer(auto_error=False)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def current_user(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(401, "Chưa xác thực: thiếu mã truy cập (Bearer).", _CHALLENGE)
    verifier: TokenVerifier = request.app.state.runtime.verifier
    try:
        return await verifier.verify(credentials.credentials)
    except jwt.ExpiredSignatureError:
        raise HTTPException(401, "Mã truy cập đã hết hạn.", _CHALLENGE) from None
    except (jwt.PyJWTError, ValueError):
        raise HTTPException(401, "Mã truy cập không hợp lệ.", _CHALLENGE) from None


CurrentUser = Annotated[Principal, Depends(current_user)]


def require_roles(*roles: str):
    """A dependency admitting a user with any of `roles` (admin always)."""

    async def check(user: CurrentUser) -> Principal:
        if not user.has_any(*roles, "admin"):
            raise HTTPException(403, "Vai trò của bạn không được phép thực hiện thao tác này.")
        return user

    return check
