"""Dossier documents: the cover request and the achievement report generated as DOCX in the
official layout, uploaded documents checked like evidence, and a library scoped to the unit."""

from __future__ import annotations

import io
import unicodedata

import docx
from docx.shared import Mm

from exemplar.testing import auth

from .test_evidence import draft, field_problem, pdf_bytes, stored_files

OFFICER, HEAD = "dak-o.officer", "dak-o.head"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
NOMINATION_SUMMARY = "Vận động 40 hộ chuyển đổi cây trồng"  # helpers.NOMINATION's


def docx_text(content: bytes) -> str:
    """Every paragraph's text, the table cells' included, one per line."""
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return "\n".join(lines)


async def generate(client, bearer: str, nomination_id: str, kind: str) -> dict:
    response = await client.post(f"/nominations/{nomination_id}/documents/{kind}",
                                 headers=auth(bearer))
    assert response.status_code == 201, response.text
    return response.json()


async def download(client, bearer: str, document_id: str) -> bytes:
    response = await client.get(f"/documents/{document_id}", headers=auth(bearer))
    assert response.status_code == 200, response.text
    return response.content


async def upload_document(client, bearer: str, content: bytes, name: str, **fields):
    return await client.post("/documents", files={"file": (name, content, "application/pdf")},
                             data=fields, headers=auth(bearer))


async def kinds_of(service, nomination_id: str) -> list[str]:
    from nomination.dossier import summary

    async with service.runtime.uow() as uow:
        return (await summary(uow.session, nomination_id))[1]


async def test_cover_request_is_generated_in_the_official_layout(cluster, token):
    client, officer = cluster["nomination"].client, token(OFFICER)
    nomination = await draft(client, officer)

    made = await generate(client, officer, nomination["id"], "to_trinh")
    content = await download(client, officer, made["id"])

    assert (made["kind"], made["generated"], made["nomination_id"]) == (
        "to_trinh", True, nomination["id"])
    assert made["filename"].endswith(".docx") and made["size"] == len(content)
    text = docx_text(content)
    assert unicodedata.is_normalized("NFC", text)
    for expected in (*MOTTO, "UBND XÃ ĐẮK Ơ", "UBND xã Đắk Ơ", "Số:", "/TTr-UBND",
                     "TỜ TRÌNH", "Nguyễn Thị Hoa", "Lao động tiên tiến", "Giới tính: Nữ",
                     "Năm sinh: 1985", "Dân tộc: Kinh", "Khen thưởng thường xuyên",
                     "Lĩnh vực: Kinh tế", "Chủ tịch UBND huyện Bù Gia Mập", "Nơi nhận:",
                     "CHỦ TỊCH", "Điểu Văn Lâm", "Đắk Ơ, ngày"):
        assert expected in text, expected
    assert NOMINATION_SUMMARY in text
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and section.left_margin >= Mm(30)
    assert document.styles["Normal"].font.name == "Times New Roman"



async def test_achievement_report_tells_a_collectives_details(cluster, token):
    client, officer = cluster["nomination"].client, token(OFFICER)
    nomination = await draft(client, officer, proposed_award="tap_the_lao_dong_tien_tien",
                             nominee={"kind": "collective", "name": "Tổ hợp tác Ấp Đắk Ơ",
                                      "member_count": 12, "head": "Điểu Thị Bích"})

    made = await generate(client, officer, nomination["id"], "bao_cao_thanh_tich")
    text = docx_text(await download(client, officer, made["id"]))

    for expected in (*MOTTO, "BÁO CÁO THÀNH TÍCH", "Tổ hợp tác Ấp Đắk Ơ",
                     "danh hiệu Tập thể lao động tiên tiến", "Số thành viên: 12",
                     "Người đứng đầu: Điểu Thị Bích", "II. THÀNH TÍCH ĐẠT ĐƯỢC",
                     NOMINATION_SUMMARY):
        assert expected in text, expected


async def test_regenerating_keeps_one_generated_document_of_a_kind(cluster, token):
    service = cluster["nomination"]
    client, officer = service.client, token(OFFICER)
    nomination = await draft(client, officer)

    first = await generate(client, officer, nomination["id"], "to_trinh")
    second = await generate(client, officer, nomination["id"], "to_trinh")

    listed = await client.get("/documents", params={"nomination_id": nomination["id"],
                                                    "kind": "to_trinh"}, headers=auth(officer))
    assert [d["id"] for d in listed.json()] == [second["id"]]
    assert (await client.get(f"/documents/{first['id']}",
                             headers=auth(officer))).status_code == 404
    assert len(stored_files(service)) == 1


async def test_document_kinds_tell_what_the_dossier_holds(cluster, token):
    service = cluster["nomination"]
    client, officer = service.client, token(OFFICER)
    nomination = await draft(client, officer)
    assert await kinds_of(service, nomination["id"]) == []

    await generate(client, officer, nomination["id"], "to_trinh")
    await generate(client, officer, nomination["id"], "to_trinh")
    minutes = await upload_document(client, officer, pdf_bytes(), "Biên bản họp xét.pdf",
                                    kind="bien_ban_hop_xet", nomination_id=nomination["id"])
    assert minutes.status_code == 201, minutes.text
    assert (minutes.json()["generated"], minutes.json()["title"]) == (
        False, "Biên bản họp xét thi đua, khen thưởng")

    assert await kinds_of(service, nomination["id"]) == ["bien_ban_hop_xet", "to_trinh"]
    gone = await client.delete(f"/documents/{minutes.json()['id']}", headers=auth(officer))
    assert gone.status_code == 204
    assert await kinds_of(service, nomination["id"]) == ["to_trinh"]


async def test_uploaded_document_is_checked_and_a_bad_one_writes_nothing(cluster, token):
    service = cluster["nomination"]
    client, officer = service.client, token(OFFICER)
    nomination = await draft(client, officer)

    fake = await upload_document(client, officer, "chỉ là chữ".encode(), "bien-ban.pdf",
                                 kind="bien_ban_hop_xet", nomination_id=nomination["id"])
    unknown = await upload_document(client, officer, pdf_bytes(), "x.pdf", kind="thu_khong_co")
    unnamed = await upload_document(client, officer, pdf_bytes(), "x.pdf")
    not_generated = await client.post(
        f"/nominations/{nomination['id']}/documents/bien_ban_hop_xet", headers=auth(officer))

    assert fake.status_code == 422 and "file" in field_problem(fake)
    for response in (unknown, unnamed, not_generated):
        assert response.status_code == 422 and "kind" in field_problem(response)
    assert (await client.get("/documents", headers=auth(officer))).json() == []
    assert stored_files(service) == []


async def test_library_is_the_units_own_until_the_nomination_is_submitted(cluster, token):
    client, officer = cluster["nomination"].client, token(OFFICER)
    nomination = await draft(client, officer)
    report = await generate(client, officer, nomination["id"], "bao_cao_thanh_tich")
    library = await upload_document(client, officer, pdf_bytes(), "ke-hoach.pdf",
                                    kind="bien_ban_hop_xet")
    assert library.status_code == 201 and library.json()["nomination_id"] is None
    other, standing = token("phu-nghia.officer"), token("noi-vu.officer")

    for reader in (other, standing):
        assert (await client.get("/documents", headers=auth(reader))).json() == []
        assert (await client.get(f"/documents/{report['id']}",
                                 headers=auth(reader))).status_code == 404
    assert (await client.post(f"/nominations/{nomination['id']}/documents/to_trinh",
                              headers=auth(other))).status_code == 404
    assert (await client.post(f"/nominations/{nomination['id']}/documents/to_trinh",
                              headers=auth(token("tinh.viewer")))).status_code == 403

    submit = await client.post(f"/nominations/{nomination['id']}/submit",
                               headers=auth(token(HEAD)))
    assert submit.status_code == 200, submit.text
    seen = await client.get("/documents", headers=auth(standing))
    assert [d["id"] for d in seen.json()] == [report["id"]]  # not the unit's own library
    assert await download(client, standing, report["id"])
    late = await client.post(f"/nominations/{nomination['id']}/documents/to_trinh",
                             headers=auth(officer))
    assert late.status_code == 409


async def test_generated_report_lists_each_claim_with_its_evidence(cluster, token):
    client, officer = cluster["nomination"].client, token(OFFICER)
    nomination = await draft(client, officer)
    added = await client.post(f"/nominations/{nomination['id']}/evidence", files={
        "file": ("Giấy công nhận sáng kiến.pdf", pdf_bytes(), "application/pdf")},
        headers=auth(officer))
    cited = await client.patch(
        f"/nominations/{nomination['id']}", headers={
            **auth(officer), "If-Match": f'"{nomination["version"]}"'},
        json={"claims": [{"criterion": "tc1", "claim": "Có sáng kiến được công nhận",
                          "evidence_ids": [added.json()["id"]]}]})
    assert cited.status_code == 200, cited.text

    made = await generate(client, officer, nomination["id"], "bao_cao_thanh_tich")
    text = docx_text(await download(client, officer, made["id"]))

    for expected in ("Có sáng kiến được công nhận", "tc1", "Giấy công nhận sáng kiến.pdf",
                     "NGƯỜI BÁO CÁO THÀNH TÍCH", "I. SƠ LƯỢC LÝ LỊCH"):
        assert expected in text, expected
