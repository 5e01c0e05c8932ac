"""Who pays a commendation's bonus: the unit whose head grants it, read off the tallies that
count by nominating unit. UBND huyện pays for the district's titles and its chairman's Giấy
khen whoever nominated them; a commune pays for its chairman's Giấy khen to its own people;
after the 2025 reorganisation the commune pays for everything it grants. An award whose
grantor cannot be found stays with the nominating unit, with the reason."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert

from exemplar.db import Database, service_metadata
from exemplar.profile import DEFAULT_PROFILE_PATH, load_profile
from reporting.projections.derive import grant
from reporting.projections.queries import commendation_counts
from reporting.projections.store import Tally

DISTRICT = load_profile()
COMMUNE = load_profile(DEFAULT_PROFILE_PATH.parent / "dong-nai-xa-2025.yaml")
SIGNED = date(2024, 11, 20)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database.open(f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", service_metadata())
    async with database.engine.begin() as conn:
        await conn.run_sync(Tally.__table__.create)
    yield database
    await database.close()


async def counted(db: Database, *rows: tuple[str, str, str, int], year: int = 2024) -> None:
    """(nominating unit, award, nominee kind, count): standing commendations as tallied."""
    async with db.sessions() as session:
        await session.execute(insert(Tally), [
            {"year": year, "unit_id": unit, "measure": "commended", "dimension": "grant",
             "value": grant(award, kind, SIGNED), "count": count}
            for unit, award, kind, count in rows])
        await session.commit()


async def paid(db: Database, profile, unit_ids=None, year: int = 2024) -> dict:
    async with db.sessions() as session:
        found = await commendation_counts(session, profile, year=year, unit_ids=unit_ids)
    return {(c.unit_id, c.award, c.nominee_kind): (c.count, c.unresolved) for c in found}


async def test_the_district_pays_for_its_titles_and_a_commune_for_its_giay_khen(db):
    await counted(db, ("xa-dak-o", "lao_dong_tien_tien", "individual", 3),
                  ("xa-phu-nghia", "lao_dong_tien_tien", "individual", 2),
                  ("phong-gddt", "giay_khen_chu_tich_huyen", "collective", 1),
                  ("xa-dak-o", "giay_khen_chu_tich_xa", "individual", 2),
                  ("tth-dak-o", "giay_khen_chu_tich_xa", "individual", 1),
                  ("xa-phu-nghia", "giay_khen_chu_tich_xa", "household", 1))

    assert await paid(db, DISTRICT) == {
        ("ubnd-huyen", "lao_dong_tien_tien", "individual"): (5, None),
        ("ubnd-huyen", "giay_khen_chu_tich_huyen", "collective"): (1, None),
        ("xa-dak-o", "giay_khen_chu_tich_xa", "individual"): (3, None),  # its radio's too
        ("xa-phu-nghia", "giay_khen_chu_tich_xa", "household"): (1, None)}
    assert await paid(db, DISTRICT, ["xa-dak-o"]) == {
        ("xa-dak-o", "giay_khen_chu_tich_xa", "individual"): (3, None)}
    assert await paid(db, DISTRICT, ["ubnd-huyen"]) == {
        ("ubnd-huyen", "lao_dong_tien_tien", "individual"): (5, None),
        ("ubnd-huyen", "giay_khen_chu_tich_huyen", "collective"): (1, None)}
    assert await paid(db, DISTRICT, ["phong-gddt", "hoi-phu-nu"]) == {}
    assert await paid(db, DISTRICT, year=2023) == {}


async def test_an_award_no_unit_grants_stays_with_the_nominator_and_says_why(db):
    await counted(db, ("phong-gddt", "giay_khen_chu_tich_xa", "individual", 1),  # no commune
                  ("hoi-phu-nu", "bang_khen_da_bo", "individual", 2))  # not in the profile

    found = await paid(db, DISTRICT)
    assert set(found) == {("phong-gddt", "giay_khen_chu_tich_xa", "individual"),
                          ("hoi-phu-nu", "bang_khen_da_bo", "individual")}
    count, reason = found["phong-gddt", "giay_khen_chu_tich_xa", "individual"]
    assert count == 1 and "Không xác định được cấp khen thưởng" in reason
    assert "phong-gddt" in reason
    count, reason = found["hoi-phu-nu", "bang_khen_da_bo", "individual"]
    assert count == 2 and "'bang_khen_da_bo'" in reason
    assert set(await paid(db, DISTRICT, ["phong-gddt"])) == {
        ("phong-gddt", "giay_khen_chu_tich_xa", "individual")}


async def test_after_the_reorganisation_the_commune_pays_for_everything_it_grants(db):
    await counted(db, ("xa-bu-gia-map", "lao_dong_tien_tien", "individual", 2),
                  ("tram-y-te", "chien_si_thi_dua_co_so", "individual", 1),
                  ("hoi-nong-dan-xa", "giay_khen_chu_tich_xa", "household", 1), year=2025)

    assert await paid(db, COMMUNE, ["xa-bu-gia-map"], year=2025) == {
        ("xa-bu-gia-map", "lao_dong_tien_tien", "individual"): (2, None),
        ("xa-bu-gia-map", "chien_si_thi_dua_co_so", "individual"): (1, None),
        ("xa-bu-gia-map", "giay_khen_chu_tich_xa", "household"): (1, None)}
    assert await paid(db, COMMUNE, ["tram-y-te"], year=2025) == {}
