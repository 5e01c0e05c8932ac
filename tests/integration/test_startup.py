"""A service refuses to start on an invalid profile, and names what is wrong."""

from __future__ import annotations

from contextlib import AsyncExitStack

import pytest
import yaml

from exemplar.cli import account_token
from exemplar.profile import DEFAULT_PROFILE_PATH, ProfileError
from exemplar.testing import auth, eventually, run_service

from .helpers import NOMINATION


async def test_service_refuses_to_start_with_an_invalid_profile(tmp_path, key_dir):
    profile = yaml.safe_load(DEFAULT_PROFILE_PATH.read_text())
    profile["accounts"][0]["unit"] = "xa-khong-ton-tai"
    bad = tmp_path / "profile.yaml"
    bad.write_text(yaml.safe_dump(profile, allow_unicode=True))

    with pytest.raises(ProfileError, match="xa-khong-ton-tai"):
        async with run_service("review", database_url=f"sqlite+aiosqlite:///{tmp_path}/r.db",
                               nats_url="nats://127.0.0.1:1", key_dir=key_dir,
                               var_dir=tmp_path, profile_path=bad):
            pass


async def test_second_profile_runs_the_same_services(start_service, key_dir):
    """Nothing is hard-wired to Bù Gia Mập: the post-2025 Đồng Nai commune profile serves."""
    profile = DEFAULT_PROFILE_PATH.parent / "dong-nai-xa-2025.yaml"
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination", profile_path=profile)
        reporting = await start_service(stack, "reporting", profile_path=profile)
        officer = account_token("xa.officer", key_dir=key_dir, profile=profile)
        head = account_token("xa.vice-chair", key_dir=key_dir, profile=profile)
        response = await nomination.client.post(
            "/nominations", json={**NOMINATION, "year": 2025}, headers=auth(officer))
        assert response.status_code == 201, response.text
        assert response.json()["unit_name"] == "UBND xã Bù Gia Mập"
        sent = await nomination.client.post(f"/nominations/{response.json()['id']}/submit",
                                            headers=auth(head))
        assert sent.status_code == 200, sent.text

        viewer = auth(account_token("tinh.viewer", key_dir=key_dir, profile=profile))

        async def counted():
            answer = await reporting.client.get("/counts", params={"year": 2025},
                                                headers=viewer)
            return answer.json()

        assert await eventually(counted, what="counted") == [
            {"unit_id": "xa-bu-gia-map", "unit_name": "UBND xã Bù Gia Mập", "year": 2025,
             "submitted": 1}]

        # The old district's accounts do not exist in this profile.
        with pytest.raises(KeyError):
            account_token("dak-o.officer", key_dir=key_dir, profile=profile)
