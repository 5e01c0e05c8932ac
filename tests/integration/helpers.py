"""Small helpers the integration tests share."""

from __future__ import annotations

import asyncio
import json

import nats

from exemplar.testing import auth

NOMINATION = {
    "nominee": {"kind": "individual", "name": "Nguyễn Thị Hoa", "gender": "female",
                "birth_year": 1985, "ethnicity": "Kinh", "position": "Trưởng ấp",
                "workplace": "Ấp 3, xã Đắk Ơ"},
    "field": "kinh_te",
    "proposed_award": "lao_dong_tien_tien",
    "commendation_kind": "regular",
    "year": 2023,
    "achievement_summary": "Vận động 40 hộ chuyển đổi cây trồng, thu nhập tăng 25 %.",
}


async def create(nomination, bearer: str, **changes) -> dict:
    """A draft, as a unit officer writes it."""
    response = await nomination.client.post("/nominations", json={**NOMINATION, **changes},
                                            headers=auth(bearer))
    assert response.status_code == 201, response.text
    return response.json()


async def submit(nomination, token, unit: str = "dak-o", **changes) -> dict:
    """Drafted by the unit's officer, sent by its head: what review receives."""
    draft = await create(nomination, token(f"{unit}.officer"), **changes)
    response = await nomination.client.post(f"/nominations/{draft['id']}/submit",
                                            headers=auth(token(f"{unit}.head")))
    assert response.status_code == 200, response.text
    return response.json()


async def cases(review, bearer: str) -> list[dict]:
    response = await review.client.get("/cases", params={"limit": 500}, headers=auth(bearer))
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def pending(publication, bearer: str) -> list[dict]:
    response = await publication.client.get("/pending", params={"limit": 500},
                                            headers=auth(bearer))
    assert response.status_code == 200, response.text
    return response.json()


async def counts(reporting, bearer: str, year: int = 2023) -> dict[str, int]:
    response = await reporting.client.get("/counts", params={"year": year},
                                          headers=auth(bearer))
    assert response.status_code == 200, response.text
    return {row["unit_id"]: row["submitted"] for row in response.json()}


async def stream_events(url: str, subject: str) -> list[dict]:
    """Every envelope on `subject` in the EXEMPLAR stream, in order."""
    nc = await nats.connect(url, connect_timeout=5)
    js = nc.jetstream()
    try:
        state = (await asyncio.wait_for(js.stream_info("EXEMPLAR"), 5)).state
        found = []
        for seq in range(state.first_seq, state.last_seq + 1) if state.messages else ():
            msg = await asyncio.wait_for(js.get_msg("EXEMPLAR", seq), 5)
            if msg.subject == subject:
                found.append(json.loads(msg.data))
        return found
    finally:
        await nc.close()


async def stream_count(url: str, subject: str) -> int:
    """How many messages on `subject` the EXEMPLAR stream holds."""
    nc = await nats.connect(url, connect_timeout=5)
    try:
        info = await asyncio.wait_for(
            nc.jetstream().stream_info("EXEMPLAR", subjects_filter=subject), 5)
    finally:
        await nc.close()
    return (info.state.subjects or {}).get(subject, 0)
