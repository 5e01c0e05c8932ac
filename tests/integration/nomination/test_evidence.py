"""Evidence files: checked by content, limited in size, content-addressed on disk, and only
the nomination's own unit may change them while it is a draft or returned."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from contextlib import AsyncExitStack
from pathlib import Path

import docx
import yaml

from exemplar.demo.nominations import pdf_bytes  # one small real PDF, shared with the demo
from exemplar.profile import DEFAULT_PROFILE_PATH
from exemplar.testing import auth

from ..helpers import NOMINATION

OFFICER, HEAD = "dak-o.officer", "dak-o.head"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# -- small real files, made here -----------------------------------------------------------------

def png_bytes() -> bytes:
    """A 1×1 grey PNG: signature, IHDR, IDAT, IEND with their CRCs."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    """A 1×1 grey baseline JPEG: one quantisation table, one-symbol Huffman tables, and
    a scan of one block (DC difference 0, then end of block)."""
    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body
    huffman = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1, for symbol 0
    return (b"\xff\xd8"
            + segment(0xDB, b"\x00" + bytes([1] * 64))
            + segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
            + segment(0xC4, b"\x00" + huffman) + segment(0xC4, b"\x10" + huffman)
            + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x3f" + b"\xff\xd9")


def docx_bytes(text: str = "Biên bản họp xét thi đua") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- helpers -----------------------------------------------------------------------------------

async def draft(client, bearer: str, **changes) -> dict:
    response = await client.post("/nominations", json={**NOMINATION, **changes},
                                 headers=auth(bearer))
    assert response.status_code == 201, response.text
    return response.json()


async def upload(client, bearer: str, nomination_id: str, name: str, content: bytes,
                 content_type: str, **fields):
    return await client.post(f"/nominations/{nomination_id}/evidence",
                             files={"file": (name, content, content_type)}, data=fields,
                             headers=auth(bearer))


def stored_files(service) -> list[Path]:
    root = service.runtime.settings.resolved_storage_dir()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def field_problem(response) -> dict:
    return response.json()["detail"]["fields"]


# -- tests -------------------------------------------------------------------------------------

async def test_each_accepted_type_is_kept_with_its_checksum_and_size(cluster, token):
    service = cluster["nomination"]
    client, officer = service.client, token(OFFICER)
    nomination = await draft(client, officer)
    files = {"pdf": ("Giấy chứng nhận.pdf", pdf_bytes(), "application/pdf"),
             "png": ("ảnh.png", png_bytes(), "image/png"),
             "jpeg": ("hiện trường.JPG", jpeg_bytes(), "image/jpeg"),
             "docx": ("biên bản.docx", docx_bytes(), DOCX)}

    for kind, (name, content, content_type) in files.items():
        response = await upload(client, officer, nomination["id"], name, content,
                                content_type, note="Bản chụp")
        assert response.status_code == 201, response.text
        body = response.json()
        assert (body["kind"], body["filename"], body["note"]) == (kind, name, "Bản chụp")
        assert body["sha256"] == hashlib.sha256(content).hexdigest()
        assert body["size"] == len(content)
        root = service.runtime.settings.resolved_storage_dir()
        kept = root / "evidence" / "xa-dak-o" / body["sha256"][:2] / body["sha256"]
        assert kept.read_bytes() == content

        download = await client.get(f"/nominations/{nomination['id']}/evidence/{body['id']}",
                                    headers=auth(officer))
        assert download.status_code == 200 and download.content == content
        assert download.headers["content-type"].startswith(content_type)
        assert download.headers["content-disposition"].startswith("attachment;")

    listed = await client.get(f"/nominations/{nomination['id']}/evidence",
                              headers=auth(officer))
    assert sorted(e["kind"] for e in listed.json()) == ["docx", "jpeg", "pdf", "png"]

    from nomination.dossier import summary, unknown_evidence

    async with service.runtime.uow() as uow:
        assert (await summary(uow.session, nomination["id"]))[0] == 4
        first = listed.json()[0]["id"]
        assert await unknown_evidence(uow.session, nomination["id"],
                                      [first, "khong-co", first]) == ["khong-co"]


async def test_text_renamed_pdf_is_refused_naming_the_file_and_nothing_is_kept(cluster, token):
    service = cluster["nomination"]
    client, officer = service.client, token(OFFICER)
    nomination = await draft(client, officer)

    response = await upload(client, officer, nomination["id"], "thanh-tich.pdf",
                            "Đây chỉ là văn bản thường.".encode(), "application/pdf")

    assert response.status_code == 422, response.text
    assert "PDF, JPEG, PNG" in field_problem(response)["file"]
    listed = await client.get(f"/nominations/{nomination['id']}/evidence",
                              headers=auth(officer))
    assert listed.json() == []
    assert stored_files(service) == []


async def test_name_or_declared_type_disagreeing_with_the_content_is_refused(cluster, token):
    service = cluster["nomination"]
    client, officer = service.client, token(OFFICER)
    nomination = await draft(client, officer)

    renamed = await upload(client, officer, nomination["id"], "anh.pdf", png_bytes(),
                           "application/pdf")
    mislabelled = await upload(client, officer, nomination["id"], "anh.png", png_bytes(),
                               "application/pdf")

    assert renamed.status_code == 422 and "'.pdf'" in field_problem(renamed)["file"]
    assert mislabelled.status_code == 422
    assert "application/pdf" in field_problem(mislabelled)["file"]
    assert stored_files(service) == []


def small_limit_profile(tmp_path: Path, limit: int) -> Path:
    profile = yaml.safe_load(DEFAULT_PROFILE_PATH.read_text())
    profile["thresholds"] = {**profile.get("thresholds", {}), "evidence_max_bytes": limit}
    path = tmp_path / "small-files.yaml"
    path.write_text(yaml.safe_dump(profile, allow_unicode=True))
    return path


def multipart(name: str, content: bytes, content_type: str) -> tuple[bytes, str]:
    boundary = "ranh-gioi-0123456789"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").encode()
    return (head + content + f"\r\n--{boundary}--\r\n".encode(),
            f"multipart/form-data; boundary={boundary}")


async def test_file_over_the_profile_limit_is_refused_and_nothing_is_kept(
        start_service, token, tmp_path):
    async with AsyncExitStack() as stack:
        service = await start_service(stack, "nomination",
                                      profile_path=small_limit_profile(tmp_path, 2000))
        client, officer = service.client, token(OFFICER)
        nomination = await draft(client, officer)
        url = f"/nominations/{nomination['id']}/evidence"
        big = pdf_bytes() + b"%" + b"x" * 3000 + b"\n"

        declared = await upload(client, officer, nomination["id"], "lon.pdf", big,
                                "application/pdf")
        body, content_type = multipart("lon.pdf", big, "application/pdf")

        async def chunks():  # no Content-Length: the limit is found while streaming
            for start in range(0, len(body), 512):
                yield body[start:start + 512]

        streamed = await client.post(url, content=chunks(), headers={
            **auth(officer), "Content-Type": content_type})
        huge = await upload(client, officer, nomination["id"], "rat-lon.pdf",
                            b"%PDF-" + b"x" * 200_000, "application/pdf")

        for response in (declared, streamed, huge):
            assert response.status_code == 413, response.text
            assert "file" in field_problem(response)
        assert (await client.get(url, headers=auth(officer))).json() == []
        assert stored_files(service) == []
        small = await upload(client, officer, nomination["id"], "nho.pdf", pdf_bytes(),
                             "application/pdf")
        assert small.status_code == 201, small.text


async def test_another_units_officer_finds_nothing(cluster, token):
    client = cluster["nomination"].client
    nomination = await draft(client, token(OFFICER))
    added = await upload(client, token(OFFICER), nomination["id"], "a.png", png_bytes(),
                         "image/png")
    url = f"/nominations/{nomination['id']}/evidence"
    other = token("phu-nghia.officer")

    assert (await client.get(url, headers=auth(other))).status_code == 404
    assert (await client.get(f"{url}/{added.json()['id']}",
                             headers=auth(other))).status_code == 404
    assert (await upload(client, other, nomination["id"], "b.png", png_bytes(),
                         "image/png")).status_code == 404
    assert (await client.delete(f"{url}/{added.json()['id']}",
                                headers=auth(other))).status_code == 404


async def test_viewer_may_not_add_evidence(cluster, token):
    client = cluster["nomination"].client
    nomination = await draft(client, token(OFFICER))

    response = await upload(client, token("tinh.viewer"), nomination["id"], "a.png",
                            png_bytes(), "image/png")

    assert response.status_code == 403


async def test_submitted_nomination_takes_no_more_evidence(cluster, token):
    service = cluster["nomination"]
    client, officer = service.client, token(OFFICER)
    nomination = await draft(client, officer)
    kept = await upload(client, officer, nomination["id"], "a.pdf", pdf_bytes(),
                        "application/pdf")
    submit = await client.post(f"/nominations/{nomination['id']}/submit",
                               headers=auth(token(HEAD)))
    assert submit.status_code == 200, submit.text

    late = await upload(client, officer, nomination["id"], "b.png", png_bytes(), "image/png")
    removal = await client.delete(
        f"/nominations/{nomination['id']}/evidence/{kept.json()['id']}", headers=auth(officer))

    assert late.status_code == 409 and removal.status_code == 409
    assert "đã gửi" in late.json()["detail"]
    standing = await client.get(f"/nominations/{nomination['id']}/evidence",
                                headers=auth(token("noi-vu.officer")))
    assert [e["id"] for e in standing.json()] == [kept.json()["id"]]
    assert len(stored_files(service)) == 1


async def test_removed_evidence_leaves_a_shared_file_for_the_other_row(cluster, token):
    service = cluster["nomination"]
    client, officer = service.client, token(OFFICER)
    first, second = await draft(client, officer), await draft(client, officer)
    a = (await upload(client, officer, first["id"], "a.pdf", pdf_bytes(),
                      "application/pdf")).json()
    b = (await upload(client, officer, second["id"], "b.pdf", pdf_bytes(),
                      "application/pdf")).json()
    assert a["sha256"] == b["sha256"] and len(stored_files(service)) == 1

    gone = await client.delete(f"/nominations/{first['id']}/evidence/{a['id']}",
                               headers=auth(officer))
    assert gone.status_code == 204
    assert len(stored_files(service)) == 1  # still the second nomination's
    await client.delete(f"/nominations/{second['id']}/evidence/{b['id']}",
                        headers=auth(officer))
    assert stored_files(service) == []
    assert (await client.get(f"/nominations/{first['id']}/evidence/{a['id']}",
                             headers=auth(officer))).status_code == 404


async def test_upload_without_a_file_part_names_the_file(cluster, token):
    client, officer = cluster["nomination"].client, token(OFFICER)
    nomination = await draft(client, officer)
    url = f"/nominations/{nomination['id']}/evidence"

    only_note = await client.post(url, files={"note": (None, "chỉ có ghi chú")},
                                  headers=auth(officer))
    as_json = await client.post(url, json={"file": "x"}, headers=auth(officer))
    stray = await client.post(url, files={"file": ("a.png", png_bytes(), "image/png"),
                                          "owner": (None, "x")}, headers=auth(officer))

    assert only_note.status_code == 422 and "file" in field_problem(only_note)
    assert as_json.status_code == 422 and "multipart" in field_problem(as_json)["file"]
    assert stray.status_code == 422 and "owner" in field_problem(stray)
    assert stored_files(cluster["nomination"]) == []


async def test_evidence_a_claim_cites_cannot_be_removed(cluster, token):
    client, officer = cluster["nomination"].client, token(OFFICER)
    nomination = await draft(client, officer)
    added = (await upload(client, officer, nomination["id"], "chứng nhận.pdf", pdf_bytes(),
                          "application/pdf")).json()
    cited = await client.patch(
        f"/nominations/{nomination['id']}", headers={
            **auth(officer), "If-Match": f'"{nomination["version"]}"'},
        json={"claims": [{"criterion": "tc1", "claim": "Có sáng kiến được công nhận",
                          "evidence_ids": [added["id"]]}]})
    assert cited.status_code == 200, cited.text

    removal = await client.delete(f"/nominations/{nomination['id']}/evidence/{added['id']}",
                                  headers=auth(officer))

    assert removal.status_code == 409 and "tc1" in removal.json()["detail"]
