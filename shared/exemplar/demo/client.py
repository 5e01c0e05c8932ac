"""The demo's HTTP client: bearer tokens per account, checked calls, polling with a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from ..profile import load_profile

TIMEOUT = httpx.Timeout(30.0, connect=5.0)
WAIT = 60.0  # how long an event may take to cross services


class DemoError(RuntimeError):
    pass


class Demo:
    def __init__(self, urls: dict[str, str], *, key_dir: Path,
                 profile: Path | str | None = None, echo: Callable[[str], None] = print):
        self.urls, self.key_dir, self.profile_path, self.echo = urls, key_dir, profile, echo
        self.profile = load_profile(profile)
        self.http = httpx.Client(timeout=TIMEOUT)
        self._tokens: dict[str, str] = {}
        self.state: dict[str, Any] = {}  # what one step leaves for the next

    def __enter__(self) -> Demo:
        return self

    def __exit__(self, *_) -> None:
        self.http.close()

    def token(self, account: str) -> str:
        if account not in self._tokens:
            from ..cli import account_token

            self._tokens[account] = account_token(account, key_dir=self.key_dir,
                                                  profile=self.profile_path)
        return self._tokens[account]

    def call(self, method: str, service: str, path: str, who: str, *, expect=(200, 201),
             headers: dict | None = None, **kwargs) -> httpx.Response:
        response = self.http.request(
            method, f"{self.urls[service]}{path}",
            headers={"Authorization": f"Bearer {self.token(who)}", **(headers or {})},
            **kwargs)
        if response.status_code not in (expect if isinstance(expect, tuple) else (expect,)):
            raise DemoError(f"{method} {service}{path} as {who}: {response.status_code} "
                            f"{response.text[:500]}")
        return response

    def get(self, service: str, path: str, who: str, **kwargs) -> Any:
        return self.call("GET", service, path, who, **kwargs).json()

    def post(self, service: str, path: str, who: str, body: dict | None = None,
             **kwargs) -> Any:
        if "files" not in kwargs and "data" not in kwargs:
            kwargs["json"] = body or {}
        response = self.call("POST", service, path, who, **kwargs)
        return response.json() if response.content else {}

    def wait_for(self, what: str, probe: Callable[[], Any], timeout: float = WAIT) -> Any:
        """Poll `probe` until it returns something truthy, failing after `timeout`."""
        deadline = time.monotonic() + timeout
        delay = 0.1
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline:
                raise DemoError(f"{what}: not reached within {timeout:.0f} s")
            time.sleep(delay)
            delay = min(delay * 1.5, 1.0)

    def step(self, text: str) -> None:
        self.echo(f"demo: {text}")
