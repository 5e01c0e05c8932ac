"""Production paths of the platform: OTLP export when an endpoint is set, OIDC tokens
verified against a JWKS URL, and log records that carry trace, event and correlation ids."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from exemplar import context
from exemplar.auth import TokenVerifier
from exemplar.telemetry import ContextFilter, tracer_provider


class Receiver(BaseHTTPRequestHandler):
    """Answers GET with `body` and records every POST path."""

    body: bytes = b"{}"
    posts: ClassVar[list[str]] = []

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.posts.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    handler = type("Handler", (Receiver,), {"posts": [], "body": b"{}"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_spans_are_exported_over_otlp_when_an_endpoint_is_set(receiver):
    handler, url = receiver
    provider = tracer_provider("review", otlp_endpoint=url)
    with provider.get_tracer("test").start_as_current_span("appraise"):
        pass
    assert provider.force_flush(10_000)
    provider.shutdown()
    assert handler.posts == ["/v1/traces"]


def test_nothing_is_exported_without_an_endpoint():
    provider = tracer_provider("review")
    assert provider._active_span_processor._span_processors == ()


def test_oidc_token_is_verified_against_the_providers_jwks(receiver):
    handler, url = receiver
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    handler.body = json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig",
                                         "alg": "RS256"}]}).encode()
    claims = {"sub": "dak-o.officer", "name": "Nguyễn Thị Nhàn", "unit": "xa-dak-o",
              "roles": ["unit_officer"], "iss": "https://sso.example.gov.vn",
              "aud": "exemplar", "exp": 4102444800}
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    verifier = TokenVerifier(issuer="https://sso.example.gov.vn", audience="exemplar",
                             jwks_url=f"{url}/jwks")

    principal = asyncio.run(verifier.verify(token))
    assert principal.unit == "xa-dak-o" and principal.roles == {"unit_officer"}

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other, algorithm="RS256", headers={"kid": "k1"})
    with pytest.raises(jwt.InvalidSignatureError):
        asyncio.run(verifier.verify(forged))


def test_log_records_carry_trace_event_and_correlation_ids():
    provider = tracer_provider("reporting")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "counted", None, None)
    event_token = context.event_id.set("e-1")
    correlation_token = context.correlation_id.set("c-1")
    try:
        with provider.get_tracer("test").start_as_current_span("count") as span:
            assert ContextFilter().filter(record)
    finally:
        context.event_id.reset(event_token)
        context.correlation_id.reset(correlation_token)
    assert record.trace_id == f"{span.get_span_context().trace_id:032x}"
    assert (record.event_id, record.correlation_id) == ("e-1", "c-1")
