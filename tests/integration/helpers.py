"""Small helpers the integration tests share."""

from __future__ import annotations

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
    return response.json()


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
