"""Who may see what: tokens, roles and units; bad input writes nothing."""

from __future__ import annotations

from exemplar.testing import auth

from .helpers import NOMINATION, submit


async def test_request_without_token_is_unauthenticated(cluster):
    response = await cluster["nomination"].client.post("/nominations", json=NOMINATION)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["error"] == "unauthenticated" and "mã truy cập" in body["detail"]
    assert set(body) == {"error", "detail", "trace_id"}


async def test_forged_token_is_rejected(cluster, token, tmp_path):
    from exemplar.auth import ensure_keys, issue_token

    other_private, _ = ensure_keys(tmp_path / "other-keys")
    forged = issue_token(private_key=other_private.read_text(), sub="x", name="x",
                         unit="xa-dak-o", roles=["admin"], issuer="exemplar-embedded",
                         audience="exemplar")
    response = await cluster["nomination"].client.get("/nominations", headers=auth(forged))
    assert response.status_code == 401


async def test_unit_officer_cannot_see_another_units_nomination(cluster, token):
    mine = await submit(cluster["nomination"], token)
    client = cluster["nomination"].client
    other = auth(token("phu-nghia.officer"))

    response = await client.get(f"/nominations/{mine['id']}", headers=other)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert (await client.get("/nominations", headers=other)).json()["items"] == []

    own = await client.get(f"/nominations/{mine['id']}", headers=auth(token("dak-o.officer")))
    assert own.status_code == 200 and own.json()["unit_id"] == "xa-dak-o"
    standing = await client.get(f"/nominations/{mine['id']}",
                                headers=auth(token("noi-vu.officer")))
    assert standing.status_code == 200


async def test_role_without_the_right_is_forbidden(cluster, token):
    response = await cluster["nomination"].client.post(
        "/nominations", json=NOMINATION, headers=auth(token("tinh.viewer")))
    assert response.status_code == 403
    cases = await cluster["review"].client.get("/cases", headers=auth(token("cong-ttdt.editor")))
    assert cases.status_code == 403


async def test_invalid_nomination_gets_field_errors_in_vietnamese_and_writes_nothing(
        cluster, token):
    client = cluster["nomination"].client
    officer = auth(token("dak-o.officer"))
    bad = {**NOMINATION, "year": "năm nay", "nominee": {"kind": "individual"}}
    response = await client.post("/nominations", json=bad, headers=officer)
    assert response.status_code == 422
    fields = response.json()["detail"]["fields"]
    assert fields["year"] == "phải là số nguyên"
    assert fields["nominee.name"] == "bắt buộc phải có"

    unknown = {**NOMINATION, "proposed_award": "huan_chuong_khong_co", "field": "thien_van"}
    response = await client.post("/nominations", json=unknown, headers=officer)
    assert response.status_code == 422
    assert set(response.json()["detail"]["fields"]) == {"proposed_award", "field"}

    gone = {**NOMINATION, "year": 2026}  # the district's communes ended on 2025-06-30
    response = await client.post("/nominations", json=gone, headers=officer)
    assert response.status_code == 422
    assert "không tồn tại trong năm 2026" in response.json()["detail"]["message"]

    assert (await client.get("/nominations", headers=officer)).json()["items"] == []
    assert await cluster["nomination"].runtime.relay.pending() == 0


async def test_health_reports_nats_outage(cluster, nats_server):
    client = cluster["review"].client
    assert (await client.get("/health/live")).status_code == 200
    ready = await client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok",
                                                                  "nats": "ok"}
    nats_server.stop()
    from exemplar.testing import eventually

    async def unready():
        response = await client.get("/health/ready")
        return response if response.status_code == 503 else None

    response = await eventually(unready, what="ready turns 503")
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["nats"] == "fail"
    assert (await client.get("/health/live")).status_code == 200
