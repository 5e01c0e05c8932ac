"""Bearer tokens and the one error shape: what a caller of any service sees on failure."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated

import httpx
import jwt
import pytest
from fastapi import Depends, FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pydantic import BaseModel, Field

from exemplar.auth import (
    CurrentUser,
    Principal,
    TokenVerifier,
    ensure_keys,
    issue_token,
    require_roles,
)
from exemplar.errors import Conflict, InvalidTransition, NotFound, RuleViolation
from exemplar.web import install_error_handlers

ISSUER, AUDIENCE = "exemplar-test", "exemplar"
SHAPE = {"error", "detail", "trace_id"}


class Keys:
    def __init__(self, key_dir: Path) -> None:
        private, public = ensure_keys(key_dir)
        self.private, self.public = private.read_text(), public.read_text()

    def token(self, *, roles: list[str] = ("nominator",), ttl: timedelta = timedelta(hours=1),
              audience: str = AUDIENCE, issuer: str = ISSUER) -> str:
        return issue_token(private_key=self.private, sub="u-1", name="Trần Thị Bình",
                           unit="xa-dak-o", roles=list(roles), channels=["fanpage-xa"],
                           issuer=issuer, audience=audience, ttl=ttl)

    def verifier(self, *, audience: str = AUDIENCE) -> TokenVerifier:
        return TokenVerifier(issuer=ISSUER, audience=audience, public_key=self.public)


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    return Keys(tmp_path / "keys")


@pytest.fixture
def other_keys(tmp_path: Path) -> Keys:
    return Keys(tmp_path / "other-keys")


# -- tokens ----------------------------------------------------------------------------------

async def test_issued_token_verifies_to_its_principal(keys: Keys) -> None:
    principal = await keys.verifier().verify(keys.token(roles=["nominator", "reviewer"]))

    assert principal == Principal(sub="u-1", name="Trần Thị Bình", unit="xa-dak-o",
                                  roles=frozenset({"nominator", "reviewer"}),
                                  channels=frozenset({"fanpage-xa"}))


def test_key_pair_is_generated_once_and_the_private_key_is_owner_only(tmp_path: Path) -> None:
    private, public = ensure_keys(tmp_path / "keys")
    first = (private.read_bytes(), public.read_bytes())

    assert ensure_keys(tmp_path / "keys") == (private, public)
    assert (private.read_bytes(), public.read_bytes()) == first
    assert private.stat().st_mode & 0o077 == 0


async def test_expired_token_is_rejected(keys: Keys) -> None:
    with pytest.raises(jwt.ExpiredSignatureError):
        await keys.verifier().verify(keys.token(ttl=timedelta(seconds=-5)))


async def test_token_signed_by_another_key_is_rejected(keys: Keys, other_keys: Keys) -> None:
    with pytest.raises(jwt.InvalidSignatureError):
        await keys.verifier().verify(other_keys.token())


async def test_token_for_another_audience_is_rejected(keys: Keys) -> None:
    with pytest.raises(jwt.InvalidAudienceError):
        await keys.verifier().verify(keys.token(audience="someone-else"))


async def test_token_from_another_issuer_is_rejected(keys: Keys) -> None:
    with pytest.raises(jwt.InvalidIssuerError):
        await keys.verifier().verify(keys.token(issuer="evil"))


@pytest.mark.parametrize("garbage", ["", "not-a-token", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
async def test_garbage_token_is_rejected(keys: Keys, garbage: str) -> None:
    with pytest.raises(jwt.PyJWTError):
        await keys.verifier().verify(garbage)


async def test_unsigned_token_is_rejected(keys: Keys) -> None:
    unsigned = jwt.encode({"sub": "u-1", "iss": ISSUER, "aud": AUDIENCE, "exp": 2**40,
                           "roles": ["admin"]}, key=None, algorithm="none")
    with pytest.raises(jwt.PyJWTError):
        await keys.verifier().verify(unsigned)


def test_verifier_needs_a_key_or_a_jwks_url() -> None:
    with pytest.raises(ValueError, match="public key or a JWKS URL"):
        TokenVerifier(issuer=ISSUER, audience=AUDIENCE)


# -- a tiny app with the platform's auth and error handlers ----------------------------------

class Nominee(BaseModel):
    name: str = Field(min_length=2)


class Body(BaseModel):
    title: str = Field(min_length=3, max_length=20)
    year: int = Field(ge=2000, le=2100)
    nominee: Nominee


def build_app(verifier: TokenVerifier) -> FastAPI:
    app = FastAPI()
    app.state.runtime = SimpleNamespace(verifier=verifier)
    install_error_handlers(app)

    @app.get("/me")
    async def me(user: CurrentUser) -> dict:
        return {"sub": user.sub, "name": user.name, "roles": sorted(user.roles)}

    @app.post("/decisions")
    async def decide(user: Annotated[Principal, Depends(require_roles("council"))]) -> dict:
        return {"by": user.sub}

    @app.get("/missing")
    async def missing() -> None:
        raise NotFound("Không tìm thấy hồ sơ đề nghị.")

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("Hồ sơ đã bị người khác sửa; hãy tải lại.")

    @app.get("/transition")
    async def transition() -> None:
        raise InvalidTransition("Hồ sơ đã rút, không thể thẩm định.")

    @app.get("/rule")
    async def rule() -> None:
        raise RuleViolation("Hồ sơ chưa đủ điều kiện.",
                            fields={"evidence": "cần ít nhất một minh chứng"})

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    @app.post("/items")
    async def items(body: Body) -> dict:
        return body.model_dump()

    return app


@asynccontextmanager
async def client_for(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    # The 500 handler answers, then Starlette re-raises for the server to log: don't raise here.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test",
                                 timeout=10) as client:
        yield client


@pytest.fixture
async def client(keys: Keys) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(build_app(keys.verifier())) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response: httpx.Response, status: int, error: str) -> object:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == SHAPE, body
    assert body["error"] == error
    return body["detail"]


async def test_current_user_is_read_from_the_bearer_token(client, keys: Keys) -> None:
    response = await client.get("/me", headers=bearer(keys.token(roles=["reviewer"])))

    assert response.status_code == 200
    assert response.json() == {"sub": "u-1", "name": "Trần Thị Bình", "roles": ["reviewer"]}


async def test_request_without_token_is_401_with_a_bearer_challenge(client) -> None:
    response = await client.get("/me")

    detail = assert_error(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert detail == "Chưa xác thực: thiếu mã truy cập (Bearer)."


async def test_non_bearer_authorization_is_401(client) -> None:
    response = await client.get("/me", headers={"Authorization": "Basic dTpw"})

    assert_error(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_expired_token_is_401_saying_it_expired(client, keys: Keys) -> None:
    response = await client.get("/me", headers=bearer(keys.token(ttl=timedelta(seconds=-5))))

    detail = assert_error(response, 401, "unauthenticated")
    assert detail == "Mã truy cập đã hết hạn."
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("case", ["other-key", "other-audience", "garbage"])
async def test_invalid_token_is_401(client, keys: Keys, other_keys: Keys, case: str) -> None:
    token = {"other-key": other_keys.token(), "other-audience": keys.token(audience="x"),
             "garbage": "not.a.token"}[case]

    response = await client.get("/me", headers=bearer(token))

    detail = assert_error(response, 401, "unauthenticated")
    assert detail == "Mã truy cập không hợp lệ."


@pytest.mark.parametrize("roles", [["council"], ["admin"], ["nominator", "council"]])
async def test_required_role_or_admin_is_admitted(client, keys: Keys, roles) -> None:
    response = await client.post("/decisions", headers=bearer(keys.token(roles=roles)))

    assert response.status_code == 200
    assert response.json() == {"by": "u-1"}


@pytest.mark.parametrize("roles", [["nominator"], []])
async def test_other_roles_are_forbidden(client, keys: Keys, roles) -> None:
    response = await client.post("/decisions", headers=bearer(keys.token(roles=roles)))

    detail = assert_error(response, 403, "forbidden")
    assert detail == "Vai trò của bạn không được phép thực hiện thao tác này."


async def test_role_check_still_needs_a_token(client) -> None:
    response = await client.post("/decisions")

    assert_error(response, 401, "unauthenticated")


@pytest.mark.parametrize(("path", "status", "error", "detail"), [
    ("/missing", 404, "not_found", "Không tìm thấy hồ sơ đề nghị."),
    ("/conflict", 409, "conflict", "Hồ sơ đã bị người khác sửa; hãy tải lại."),
    ("/transition", 409, "invalid_transition", "Hồ sơ đã rút, không thể thẩm định."),
])
async def test_domain_errors_map_to_status_and_message(client, path, status, error,
                                                        detail) -> None:
    response = await client.get(path)

    assert assert_error(response, status, error) == detail
    assert response.json()["trace_id"] is None  # no span here: null, never a made-up id


async def test_rule_violation_is_422_naming_the_fields(client) -> None:
    response = await client.get("/rule")

    detail = assert_error(response, 422, "rule_violation")
    assert detail == {"message": "Hồ sơ chưa đủ điều kiện.",
                      "fields": {"evidence": "cần ít nhất một minh chứng"}}


async def test_invalid_body_is_422_naming_each_field_in_vietnamese(client) -> None:
    response = await client.post("/items", json={"title": "ab", "year": "năm nay",
                                                 "nominee": {"name": "X"}})

    detail = assert_error(response, 422, "invalid_input")
    assert detail == {"message": "Dữ liệu không hợp lệ.", "fields": {
        "title": "quá ngắn", "year": "phải là số nguyên", "nominee.name": "quá ngắn"}}


async def test_missing_and_out_of_range_fields_are_named(client) -> None:
    response = await client.post("/items", json={"title": "Gương sáng", "year": 1900})

    detail = assert_error(response, 422, "invalid_input")
    assert detail["fields"] == {"year": "giá trị quá nhỏ", "nominee": "bắt buộc phải có"}


async def test_malformed_json_body_is_422(client) -> None:
    response = await client.post("/items", content=b'{"title": ',
                                 headers={"Content-Type": "application/json"})

    detail = assert_error(response, 422, "invalid_input")
    assert detail["message"] == "Dữ liệu không hợp lệ."
    assert "JSON không hợp lệ" in detail["fields"].values()


async def test_unknown_path_is_404_in_vietnamese(client) -> None:
    response = await client.get("/no-such-thing")

    assert assert_error(response, 404, "not_found") == "Không tìm thấy."


async def test_wrong_method_is_405_in_vietnamese(client) -> None:
    response = await client.delete("/missing")

    assert assert_error(response, 405, "method_not_allowed") == "Phương thức không được hỗ trợ."


async def test_unexpected_error_is_500_without_leaking_the_exception(client) -> None:
    response = await client.get("/boom")

    detail = assert_error(response, 500, "internal_error")
    assert detail == "Lỗi hệ thống; hãy báo mã theo dõi (trace_id) cho quản trị."
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text


async def test_error_carries_the_trace_id_of_the_request(keys: Keys) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = build_app(keys.verifier())
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider)

    async with client_for(app) as client:
        responses = [await client.get("/boom"), await client.get("/missing")]

    server_traces = {f"{s.context.trace_id:032x}" for s in exporter.get_finished_spans()
                     if s.parent is None}
    trace_ids = [r.json()["trace_id"] for r in responses]
    assert [r.status_code for r in responses] == [500, 404]
    assert all(trace_ids), trace_ids
    assert set(trace_ids) == server_traces
