"""Who reads which figures: the standing office, the chair and the province's viewer every
unit's; a unit's staff their own unit's (another unit answers 404); finance none of these."""

from __future__ import annotations

import pytest

from exemplar.testing import auth

from .steps import ADMIN, ALL_EVENTS, CHAIR, FINANCE, OFFICE, get, send, settled
from .test_quotas import OWING, scripted_year

FIGURES = [("/quotas", {"year": 2024, "on": "2024-11-01"}), ("/dashboard", {"year": 2024}),
           ("/dashboard/exemplars", {"from_year": 2023, "to_year": 2024}),
           ("/counts", {"year": 2024})]
WIDE = [OFFICE, "noi-vu.officer", CHAIR, "tinh.viewer", ADMIN]


@pytest.fixture
async def year(reporting):
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, *scripted_year())
    await settled(nats_url, *ALL_EVENTS)
    return reporting


async def ask(reporting, path: str, bearer: str | None, **params):
    headers = auth(bearer) if bearer else {}
    return await reporting.client.get(path, params=params, headers=headers)


def quota_units(table: dict) -> set[tuple[str, str]]:
    return {(line["unit_id"], line["quota"]) for line in table["lines"]}


@pytest.mark.parametrize("account", WIDE)
async def test_wide_readers_see_every_units_lines(year, token, account):
    """noi-vu.officer is also a unit officer: the standing office role wins."""
    bearer = token(account)
    every = {(u, "publicised") for u in OWING} | {("ubnd-huyen", "escalated")}
    quotas = await get(year, "/quotas", bearer, year=2024, on="2024-11-01")
    assert quota_units(quotas) == every
    dashboard = await get(year, "/dashboard", bearer, year=2024)
    assert dashboard["unit_id"] is None and quota_units(dashboard["quotas"]) == every
    assert dashboard["totals"]["commended"] == 7
    assert len(await get(year, "/counts", bearer, year=2024)) == 9
    # and any one unit, when asked
    one = await get(year, "/quotas", bearer, year=2024, on="2024-11-01",
                    unit_id="xa-phu-nghia")
    assert quota_units(one) == {("xa-phu-nghia", "publicised")}
    assert one["lines"][0]["status"] == "at_risk"


@pytest.mark.parametrize("account", ["dak-o.officer", "dak-o.head"])
async def test_a_unit_sees_only_its_own_line_and_figures(year, token, account):
    bearer = token(account)
    quotas = await get(year, "/quotas", bearer, year=2024, on="2024-11-01")
    assert quota_units(quotas) == {("xa-dak-o", "publicised")}
    assert quotas["summary"] == {"met": 1, "at_risk": 0, "missed": 0}
    assert await get(year, "/quotas", bearer, year=2024, on="2024-11-01",
                     unit_id="xa-dak-o") == quotas
    dashboard = await get(year, "/dashboard", bearer, year=2024)
    assert dashboard["unit_id"] == "xa-dak-o"
    assert quota_units(dashboard["quotas"]) == {("xa-dak-o", "publicised")}
    assert dashboard["totals"] == {"submitted": 1, "withdrawn": 0, "commended": 1,
                                   "rejected": 0, "revoked": 0, "publicised": 1,
                                   "escalated": 1, "stories": 1}
    assert [c["channel_id"] for c in dashboard["publications_by_channel"]] == \
        ["portal-guong-dien-hinh"]
    assert await get(year, "/dashboard/exemplars", bearer, from_year=2023, to_year=2024) == [
        {"field_id": "kinh_te", "field_name": "Kinh tế", "by_year": {"2023": 0, "2024": 1},
         "total": 1}]
    assert await get(year, "/counts", bearer, year=2024) == [
        {"unit_id": "xa-dak-o", "unit_name": "UBND xã Đắk Ơ", "year": 2024, "submitted": 1}]


async def test_a_unit_asking_for_another_unit_gets_not_found(year, token):
    bearer = token("dak-o.officer")
    for path, params in FIGURES[:3]:
        response = await ask(year, path, bearer, **params, unit_id="xa-phu-nghia")
        assert response.status_code == 404, (path, response.text)
        assert response.json()["detail"] == {
            "message": "Không tìm thấy đơn vị 'xa-phu-nghia'.",
            "fields": {"unit_id": "xa-phu-nghia"}}
    # /counts takes no unit: always the caller's own
    response = await ask(year, "/counts", bearer, year=2024, unit_id="xa-phu-nghia")
    assert {c["unit_id"] for c in response.json()} == {"xa-dak-o"}


async def test_an_unknown_unit_is_not_found_for_anyone(year, token):
    for path, params in FIGURES[:3]:
        for account in (OFFICE, CHAIR):
            response = await ask(year, path, token(account), **params, unit_id="xa-khong-co")
            assert response.status_code == 404, (path, account)


async def test_a_commune_counts_its_radio_stations_nominations(year, token):
    bearer = token("binh-thang.officer")
    dashboard = await get(year, "/dashboard", bearer, year=2024)
    assert (dashboard["totals"]["submitted"], dashboard["totals"]["publicised"]) == (1, 1)
    [line] = dashboard["quotas"]["lines"]
    assert (line["unit_id"], line["achieved"], line["status"]) == ("xa-binh-thang", 1, "met")
    assert await get(year, "/counts", bearer, year=2024) == [
        {"unit_id": "tth-binh-thang", "unit_name": "Trạm truyền thanh xã Bình Thắng",
         "year": 2024, "submitted": 1}]


async def test_finance_and_roles_without_figures_are_refused(year, token):
    for account in (FINANCE, "cong-ttdt.editor", "mttq.reviewer"):
        for path, params in FIGURES:
            response = await ask(year, path, token(account), **params)
            assert response.status_code == 403, (account, path)


async def test_no_token_is_unauthorised(year):
    for path, params in FIGURES:
        assert (await ask(year, path, None, **params)).status_code == 401, path
