"""Prospects (nhân tố mới): registered once and announced, nurtured with a dated log, promoted
into a draft nomination carrying that log; other units see nothing, viewers write nothing."""

from __future__ import annotations

from datetime import timedelta

from exemplar.clock import today as vietnam_today  # the services' date, not the machine's
from exemplar.testing import auth, eventually

from ..helpers import stream_count

OFFICER, HEAD, OTHER = "dak-o.officer", "dak-o.head", "phu-nghia.officer"
STANDING, VIEWER = "noi-vu.officer", "tinh.viewer"
SUBJECT = "exemplar.nomination.prospect_registered.v1"

PROSPECT = {
    "subject": {"kind": "individual", "name": "Điểu Thị Hạnh", "gender": "female",
                "birth_year": 1990, "ethnicity": "S'tiêng",
                "workplace": "Thôn Bù Xia, xã Đắk Ơ"},
    "field": "nong_nghiep",
    "what": "Mô hình trồng tiêu hữu cơ kết hợp nuôi ong trên 2 ha.",
    "why": "Mô hình mới, dễ nhân rộng cho đồng bào dân tộc thiểu số trong xã.",
    "year": 2024,
}
PROMOTION = {"proposed_award": "lao_dong_tien_tien", "commendation_kind": "regular",
             "year": 2024}


async def register(client, bearer: str, **changes) -> dict:
    response = await client.post("/prospects", json={**PROSPECT, **changes},
                                 headers=auth(bearer))
    assert response.status_code == 201, response.text
    return response.json()


async def log_entry(client, bearer: str, prospect_id: str, kind: str, on: str, text: str):
    return await client.post(f"/prospects/{prospect_id}/log",
                             json={"kind": kind, "on": on, "text": text}, headers=auth(bearer))




async def announced(url: str) -> int:
    return await stream_count(url, SUBJECT)


async def test_registered_prospect_is_announced_once_and_readable(cluster, token,
                                                                  nats_server):
    client = cluster["nomination"].client
    response = await client.post("/prospects", json=PROSPECT, headers=auth(token(OFFICER)))
    assert response.status_code == 201, response.text
    prospect = response.json()
    assert response.headers["location"] == f"/prospects/{prospect['id']}"
    assert prospect["status"] == "nurturing" and prospect["unit_id"] == "xa-dak-o"
    assert prospect["subject"]["name"] == "Điểu Thị Hạnh" and prospect["subject_id"]
    assert prospect["nomination_id"] is None

    assert await eventually(lambda: announced(nats_server.url), what="announced") == 1
    assert await cluster["nomination"].runtime.relay.pending() == 0
    assert await announced(nats_server.url) == 1

    read = await client.get(f"/prospects/{prospect['id']}", headers=auth(token(HEAD)))
    assert read.status_code == 200 and read.json()["what"] == PROSPECT["what"]
    found = await client.get("/prospects", params={"q": "dieu thi hanh"},
                             headers=auth(token(OFFICER)))
    assert [p["id"] for p in found.json()["items"]] == [prospect["id"]]


async def test_unit_head_may_register_and_keep_the_log_too(cluster, token):
    client = cluster["nomination"].client
    prospect = await register(client, token(HEAD))
    response = await log_entry(client, token(HEAD), prospect["id"], "progress",
                               "2024-05-02", "Đã xây nhà kho phân hữu cơ.")
    assert response.status_code == 201, response.text
    assert response.json()["by"] == HEAD


async def test_nurturing_log_lists_each_kind_in_date_order(cluster, token):
    client = cluster["nomination"].client
    prospect = await register(client, token(OFFICER))
    written = [("progress", "2024-06-20", "Năng suất tiêu tăng 20 %."),
               ("support_material", "2024-03-12", "Hỗ trợ 50 cây giống và 10 thùng ong."),
               ("shortcoming", "2024-04-05", "Chưa ghi sổ sách thu chi."),
               ("support_moral", "2024-03-12", "Chủ tịch xã thăm hỏi, động viên.")]
    for kind, on, text in written:
        response = await log_entry(client, token(OFFICER), prospect["id"], kind, on, text)
        assert response.status_code == 201, response.text

    response = await client.get(f"/prospects/{prospect['id']}/log",
                                headers=auth(token(STANDING)))
    assert response.status_code == 200
    assert [(e["kind"], e["on"]) for e in response.json()] == [
        ("support_material", "2024-03-12"), ("support_moral", "2024-03-12"),
        ("shortcoming", "2024-04-05"), ("progress", "2024-06-20")]
    assert {e["by"] for e in response.json()} == {OFFICER}


async def test_promotion_makes_a_draft_nomination_carrying_the_history(cluster, token):
    client = cluster["nomination"].client
    prospect = await register(client, token(OFFICER))
    await log_entry(client, token(OFFICER), prospect["id"], "support_material", "2024-03-12",
                    "Hỗ trợ 50 cây giống.")
    await log_entry(client, token(OFFICER), prospect["id"], "progress", "2024-09-30",
                    "Thu hoạch vụ đầu, lãi 120 triệu đồng.")

    response = await client.post(f"/prospects/{prospect['id']}/promote", json=PROMOTION,
                                 headers=auth(token(HEAD)))
    assert response.status_code == 201, response.text
    draft = response.json()
    assert response.headers["location"] == f"/nominations/{draft['id']}"
    assert draft["status"] == "draft" and draft["source"] == "prospect"
    assert draft["prospect_id"] == prospect["id"]
    assert draft["subject_id"] == prospect["subject_id"]
    assert draft["nominee"]["name"] == "Điểu Thị Hạnh" and draft["field"] == "nong_nghiep"
    summary = draft["achievement_summary"]
    assert PROSPECT["what"] in summary
    assert "12/03/2024 – Hỗ trợ vật chất: Hỗ trợ 50 cây giống." in summary
    assert "30/09/2024 – Tiến bộ: Thu hoạch vụ đầu, lãi 120 triệu đồng." in summary

    nomination = await client.get(f"/nominations/{draft['id']}", headers=auth(token(OFFICER)))
    assert nomination.status_code == 200
    assert nomination.json()["prospect_id"] == prospect["id"]
    read = (await client.get(f"/prospects/{prospect['id']}", headers=auth(token(OFFICER))))
    assert read.json()["status"] == "promoted"
    assert read.json()["nomination_id"] == draft["id"]

    again = await client.post(f"/prospects/{prospect['id']}/promote", json=PROMOTION,
                              headers=auth(token(HEAD)))
    assert again.status_code == 409
    late = await log_entry(client, token(OFFICER), prospect["id"], "progress", "2024-10-01",
                           "Thêm một ghi nhận.")
    assert late.status_code == 409


async def test_promotion_with_its_own_summary_still_carries_the_log(cluster, token):
    client = cluster["nomination"].client
    prospect = await register(client, token(OFFICER))
    await log_entry(client, token(OFFICER), prospect["id"], "shortcoming", "2024-02-01",
                    "Chưa ghi sổ sách thu chi.")
    response = await client.post(
        f"/prospects/{prospect['id']}/promote", headers=auth(token(OFFICER)),
        json={**PROMOTION, "achievement_summary": "Tóm tắt do đơn vị viết."})
    assert response.status_code == 201, response.text
    summary = response.json()["achievement_summary"]
    assert summary.startswith("Tóm tắt do đơn vị viết.")
    assert "01/02/2024 – Hạn chế cần khắc phục: Chưa ghi sổ sách thu chi." in summary


async def test_rejected_promotion_leaves_the_prospect_nurturing(cluster, token):
    client = cluster["nomination"].client
    prospect = await register(client, token(OFFICER))
    response = await client.post(f"/prospects/{prospect['id']}/promote",
                                 json={**PROMOTION, "proposed_award": "huan_chuong_khong_co"},
                                 headers=auth(token(OFFICER)))
    assert response.status_code == 422
    assert "proposed_award" in response.json()["detail"]["fields"]
    read = await client.get(f"/prospects/{prospect['id']}", headers=auth(token(OFFICER)))
    assert read.json()["status"] == "nurturing" and read.json()["nomination_id"] is None
    assert (await client.get("/nominations", headers=auth(token(OFFICER)))).json()["total"] == 0


async def test_dropped_prospect_takes_no_entries_and_no_promotion(cluster, token):
    client = cluster["nomination"].client
    prospect = await register(client, token(OFFICER))
    response = await client.post(f"/prospects/{prospect['id']}/drop",
                                 json={"reason": "Gia đình chuyển đi nơi khác."},
                                 headers=auth(token(HEAD)))
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "dropped"
    assert response.json()["drop_reason"] == "Gia đình chuyển đi nơi khác."

    late = await log_entry(client, token(OFFICER), prospect["id"], "progress", "2024-05-01",
                           "Ghi nhận muộn.")
    assert late.status_code == 409 and "đã dừng bồi dưỡng" in late.json()["detail"]
    promoted = await client.post(f"/prospects/{prospect['id']}/promote", json=PROMOTION,
                                 headers=auth(token(HEAD)))
    assert promoted.status_code == 409


async def test_another_units_prospect_is_not_found(cluster, token):
    client = cluster["nomination"].client
    prospect = await register(client, token(OFFICER))
    other = auth(token(OTHER))
    base = f"/prospects/{prospect['id']}"
    assert (await client.get(base, headers=other)).status_code == 404
    assert (await client.get(f"{base}/log", headers=other)).status_code == 404
    written = await log_entry(client, token(OTHER), prospect["id"], "progress", "2024-05-01",
                              "Không phải đơn vị mình.")
    assert written.status_code == 404
    assert (await client.post(f"{base}/promote", json=PROMOTION,
                              headers=other)).status_code == 404
    assert (await client.get("/prospects", headers=other)).json()["total"] == 0

    for reader in (STANDING, VIEWER):
        assert (await client.get(base, headers=auth(token(reader)))).status_code == 200
        listed = await client.get("/prospects", headers=auth(token(reader)))
        assert [p["id"] for p in listed.json()["items"]] == [prospect["id"]]


async def test_viewer_cannot_write(cluster, token):
    client = cluster["nomination"].client
    prospect = await register(client, token(OFFICER))
    viewer = auth(token(VIEWER))
    assert (await client.post("/prospects", json=PROSPECT, headers=viewer)).status_code == 403
    written = await log_entry(client, token(VIEWER), prospect["id"], "progress", "2024-05-01",
                              "Người xem không được ghi.")
    assert written.status_code == 403
    assert (await client.post(f"/prospects/{prospect['id']}/promote", json=PROMOTION,
                              headers=viewer)).status_code == 403
    log = await client.get(f"/prospects/{prospect['id']}/log", headers=viewer)
    assert log.json() == []


async def test_bad_input_gets_vietnamese_field_errors_and_writes_nothing(cluster, token,
                                                                        nats_server):
    client = cluster["nomination"].client
    officer = auth(token(OFFICER))
    unknown = await client.post("/prospects", headers=officer, json={
        **PROSPECT, "field": "thien_van", "subject": {"kind": "individual", "name": "Lò Văn A"}})
    assert unknown.status_code == 422
    assert unknown.json()["detail"]["fields"] == {
        "field": "lĩnh vực 'thien_van' không có trong danh mục",
        "subject.gender": "bắt buộc với cá nhân", "subject.birth_year": "bắt buộc với cá nhân"}
    empty = await client.post("/prospects", headers=officer, json={**PROSPECT, "what": " "})
    assert empty.status_code == 422
    assert empty.json()["detail"]["fields"] == {"what": "quá ngắn"}
    unlinked = await client.post("/prospects", headers=officer,
                                 json={**PROSPECT, "movement_id": "khong-co-phong-trao"})
    assert unlinked.status_code == 422
    assert unlinked.json()["detail"]["fields"] == {"movement_id": "không tồn tại"}
    assert (await client.get("/prospects", headers=officer)).json()["total"] == 0
    assert (await client.get("/subjects", headers=officer)).json() == []
    assert await cluster["nomination"].runtime.relay.pending() == 0
    assert await announced(nats_server.url) == 0

    prospect = await register(client, token(OFFICER))
    future = (vietnam_today() + timedelta(days=2)).isoformat()
    response = await log_entry(client, token(OFFICER), prospect["id"], "progress", future,
                               "Chưa xảy ra.")
    assert response.status_code == 422
    assert response.json()["detail"]["fields"] == {"on": "ngày ghi nhận không được ở tương lai"}
    response = await log_entry(client, token(OFFICER), prospect["id"], "progress",
                               "2024-05-01", "   ")
    assert response.status_code == 422
    assert response.json()["detail"]["fields"] == {"text": "quá ngắn"}
    response = await log_entry(client, token(OFFICER), prospect["id"], "khen_mieng",
                               "2024-05-01", "Loại không có.")
    assert response.status_code == 422 and "kind" in response.json()["detail"]["fields"]
    log = await client.get(f"/prospects/{prospect['id']}/log", headers=officer)
    assert log.json() == []
