"""JWT bearer auth (PyJWT): an OIDC provider's JWKS in production, an embedded Ed25519 key
pair otherwise. Claims: sub, name, unit, roles, channels. Role checks are FastAPI dependencies.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .keys import EMBEDDED_ALGORITHM, ensure_keys, issue_token

__all__ = ["ensure_keys", "issue_token"]  # where callers have always found them

OIDC_ALGORITHMS = ["RS256", "ES256", "EdDSA"]


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
