"""A list carries its dossier: document files sent beside the list (one field per document
kind) land on every nomination of the list and in their `submitted` events, the list itself
as their `danh_sach_de_nghi`; a bad file refuses the whole list and leaves nothing behind; a
request past its size limits is refused as it arrives (413), before the form is parsed."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from exemplar.events import NominationSubmittedV1
from exemplar.profile.loader import DEFAULT_PROFILE_PATH
from exemplar.testing import auth, eventually

from ..helpers import stream_events
from ..review.helpers import OFFICE, case_of
from .test_evidence import DOCX, docx_bytes, pdf_bytes, stored_files
from .test_lists import FORM, HEAD, OFFICER, csv_file, people, scalar, stored

TO_TRINH = pdf_bytes("Tờ trình đề nghị khen thưởng")
MINUTES = docx_bytes("Biên bản họp xét thi đua")
DOSSIER = {"to_trinh": ("to-trinh.pdf", TO_TRINH, "application/pdf"),
           "bien_ban_hop_xet": ("bien-ban.docx", MINUTES, DOCX)}
KINDS = ["bien_ban_hop_xet", "danh_sach_de_nghi", "to_trinh"]
SMALL_LIMIT = 4096  # evidence_max_bytes of the small-limit profile


async def send(svc, bearer: str, content: bytes, dossier: dict, form: dict = FORM,
               **headers):
    files = [("file", ("danh-sach.csv", content, "text/csv")), *dossier.items()]
    return await svc.client.post("/nomination-lists", files=files, data=form,
                                 headers={**auth(bearer), **headers}, timeout=60)


async def documents_of(svc, bearer: str, nomination_id: str) -> list[dict]:
    response = await svc.client.get("/documents", params={"nomination_id": nomination_id},
                                    headers=auth(bearer))
    assert response.status_code == 200, response.text
    return response.json()


async def test_dossier_lands_on_every_nomination_and_in_their_submitted_events(
        cluster, token, nats_server):
    nomination = cluster["nomination"]
    content = csv_file(people(3))
    response = await send(nomination, token(HEAD), content, DOSSIER)

    assert response.status_code == 201, response.text
    ids = response.json()["nomination_ids"]
    digests = {"to_trinh": hashlib.sha256(TO_TRINH).hexdigest(),
               "bien_ban_hop_xet": hashlib.sha256(MINUTES).hexdigest(),
               "danh_sach_de_nghi": hashlib.sha256(content).hexdigest()}
    for nomination_id in ids:
        listed = await documents_of(nomination, token(OFFICER), nomination_id)
        assert sorted(d["kind"] for d in listed) == KINDS
        assert {d["kind"]: d["sha256"] for d in listed} == digests
        assert all(not d["generated"] and d["nomination_id"] == nomination_id for d in listed)
    titles = {d["kind"]: (d["title"], d["filename"]) for d in listed}
    assert titles["to_trinh"] == ("Tờ trình đề nghị khen thưởng", "to-trinh.pdf")
    assert titles["danh_sach_de_nghi"][1] == "danh-sach.csv"
    # One stored copy per file, whatever the number of nominations pointing at it.
    assert len(stored_files(nomination)) == 3
    assert await scalar(nomination, "SELECT count(DISTINCT storage_path) FROM document") == 3
    by_kind = {d["kind"]: d["id"] for d in listed}
    for kind, expected in (("to_trinh", TO_TRINH), ("danh_sach_de_nghi", content)):
        download = await nomination.client.get(f"/documents/{by_kind[kind]}",
                                               headers=auth(token(OFFICER)))
        assert download.status_code == 200 and download.content == expected

    async def published() -> bool:
        return len(await stream_events(nats_server.url, NominationSubmittedV1.type)) == 3

    await eventually(published, what="the three submitted events")
    events = await stream_events(nats_server.url, NominationSubmittedV1.type)
    assert {e["data"]["nomination_id"]: e["data"]["documents"] for e in events} == {
        i: KINDS for i in ids}


async def test_a_list_without_dossier_files_still_carries_itself(cluster, token):
    nomination = cluster["nomination"]
    response = await send(nomination, token(HEAD), csv_file(people(2)), {})

    assert response.status_code == 201, response.text
    for nomination_id in response.json()["nomination_ids"]:
        listed = await documents_of(nomination, token(OFFICER), nomination_id)
        assert [d["kind"] for d in listed] == ["danh_sach_de_nghi"]


@pytest.fixture
def small_limit_profile(tmp_path: Path) -> Path:
    """The default profile, with uploads of at most SMALL_LIMIT bytes."""
    data = yaml.safe_load(DEFAULT_PROFILE_PATH.read_text(encoding="utf-8"))
    data["thresholds"]["evidence_max_bytes"] = SMALL_LIMIT
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return profile


BAD = {  # case → (dossier files, text fields, the field the answer must name)
    "text renamed .pdf": ({"to_trinh": ("to-trinh.pdf", "Chỉ là văn bản.".encode(),
                                        "application/pdf")}, {}, "to_trinh"),
    "extension against content": ({"bien_ban_hop_xet": ("bien-ban.pdf", MINUTES, DOCX)}, {},
                                  "bien_ban_hop_xet"),
    "empty": ({"to_trinh": ("to-trinh.pdf", b"", "application/pdf")}, {}, "to_trinh"),
    "unknown kind": ({"giay_chung_nhan": ("gcn.pdf", TO_TRINH, "application/pdf")}, {},
                     "giay_chung_nhan"),
    "kind sent as text": ({}, {"bien_ban_hop_xet": "bien-ban.pdf"}, "bien_ban_hop_xet"),
    "a second list file": ({"file": ("ds2.csv", csv_file(people(1)), "text/csv")}, {},
                           "file"),
    # The list is its nominations' danh_sach_de_nghi: a second one is refused, not added.
    "the list's own kind": ({"danh_sach_de_nghi": ("ds.pdf", TO_TRINH, "application/pdf")},
                            {}, "danh_sach_de_nghi"),
}


@pytest.mark.parametrize("case", list(BAD))
async def test_a_bad_dossier_file_refuses_the_whole_list_and_writes_nothing(
        start_service, token, case):
    dossier, fields, named = BAD[case]
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination")
        good = {"to_trinh": DOSSIER["to_trinh"]} if named != "to_trinh" else {}
        response = await send(nomination, token(HEAD), csv_file(people(3)),
                              {**good, **dossier}, form={**FORM, **fields})

        assert response.status_code == 422, response.text
        body = response.json()
        assert body["error"] == "invalid_list"
        errors = body["detail"]["errors"]
        assert [e["field"] for e in errors] == [named]
        assert errors[0]["message"] and "không dòng nào được ghi" in body["detail"]["message"]
        assert await stored(nomination) == (0, 0, 0)
        assert await scalar(nomination, "SELECT count(*) FROM document") == 0
        assert stored_files(nomination) == []


async def test_a_failed_commit_leaves_no_dossier_file_behind(start_service, token):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination", run_relay=False)
        engine = nomination.runtime.db.engine
        async with engine.begin() as conn:  # the outbox insert, at commit, will fail
            await conn.execute(text("ALTER TABLE outbox RENAME TO outbox_away"))
        try:
            with pytest.raises(DBAPIError, match="outbox"):
                await send(nomination, token(HEAD), csv_file(people(2)), DOSSIER)
        finally:
            async with engine.begin() as conn:
                await conn.execute(text("ALTER TABLE outbox_away RENAME TO outbox"))

        assert await stored(nomination) == (0, 0, 0)
        assert await scalar(nomination, "SELECT count(*) FROM document") == 0
        assert stored_files(nomination) == []


async def test_a_retry_with_the_same_dossier_answers_with_the_same_list(start_service, token):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination", run_relay=False)
        content, key = csv_file(people(2)), {"Idempotency-Key": "ds-hs-1"}
        first = await send(nomination, token(HEAD), content, DOSSIER, **key)
        again = await send(nomination, token(HEAD), content, DOSSIER, **key)

        assert first.status_code == again.status_code == 201, again.text
        assert again.json() == first.json()
        assert await stored(nomination) == (2, 1, 2)
        assert await scalar(nomination, "SELECT count(*) FROM document") == 2 * 3
        assert len(stored_files(nomination)) == 3
        other = {**DOSSIER, "to_trinh": ("to-trinh.pdf", pdf_bytes("Tờ trình khác"),
                                         "application/pdf")}
        changed = await send(nomination, token(HEAD), content, other, **key)
        assert changed.status_code == 422
        assert "Idempotency-Key" in changed.json()["detail"]["fields"]
        assert await scalar(nomination, "SELECT count(*) FROM document") == 2 * 3


async def test_an_imported_nomination_with_its_dossier_passes_appraisal(cluster, token):
    nomination, review = cluster["nomination"], cluster["review"]
    rows = people(2)
    with_dossier = await send(nomination, token(HEAD), csv_file(rows[:1]), DOSSIER)
    without = await send(nomination, token(HEAD), csv_file(rows[1:]), {})
    assert with_dossier.status_code == without.status_code == 201, without.text

    async def appraise(listed) -> tuple[int, dict]:
        [nomination_id] = listed.json()["nomination_ids"]
        case = await case_of(review, token, nomination_id)
        response = await review.client.post(f"/cases/{case['id']}/appraisal", json={
            "outcome": "appraised",
            "findings": [{"achievement": i, "verdict": "verified", "note": "Đã xác minh"}
                         for i in range(len(case["achievements"]))],
            "facts": {"disciplined": False, "under_investigation": False}},
            headers=auth(token(OFFICE)))
        return response.status_code, response.json()

    status, body = await appraise(with_dossier)
    assert status == 200, body
    assert body["status"] == "appraised"
    status, body = await appraise(without)
    assert status == 422
    assert "Danh sách đề nghị" not in body["detail"]["fields"]["dossier_complete"]
    assert "Tờ trình" in body["detail"]["fields"]["dossier_complete"]


class Body:
    """A multipart body sent in chunks without a Content-Length (unless one is declared),
    counting how much of it the service read."""

    def __init__(self, content: bytes, dossier: dict, chunk: int = 16 * 1024) -> None:
        files = [("file", ("danh-sach.csv", content, "text/csv")), *dossier.items()]
        encoded = httpx.Request("POST", "http://x", files=files, data=FORM)
        self.content_type = encoded.headers["Content-Type"]
        self.data, self.chunk, self.read = encoded.read(), chunk, 0

    async def chunks(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.data), self.chunk):
            self.read = start + self.chunk
            yield self.data[start:start + self.chunk]

    async def send(self, svc, bearer: str, **headers):
        return await svc.client.post("/nomination-lists", content=self.chunks(), headers={
            **auth(bearer), "Content-Type": self.content_type, **headers}, timeout=60)


def too_large(response) -> dict:
    """The fields a 413 names, once its message is checked."""
    assert response.status_code == 413, response.text
    detail = response.json()["detail"]
    assert "vượt quá dung lượng" in detail["message"]
    return detail["fields"]


async def nothing_written(svc) -> None:
    assert await stored(svc) == (0, 0, 0)
    assert await scalar(svc, "SELECT count(*) FROM document") == 0
    assert stored_files(svc) == []


async def test_a_declared_length_past_the_cap_is_refused_before_the_body_is_read(
        start_service, token):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination", run_relay=False)
        body = Body(csv_file(people(2)), DOSSIER)
        # A valid list and dossier: only the declared length can refuse it.
        response = await body.send(nomination, token(HEAD), **{"Content-Length": str(2**40)})

        assert "body" in too_large(response)
        assert body.read == 0
        await nothing_written(nomination)
        accepted = await body.send(nomination, token(HEAD))
        assert accepted.status_code == 201, accepted.text


async def test_a_dossier_file_past_its_limit_is_refused_while_it_streams(
        start_service, token, small_limit_profile):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination", profile_path=small_limit_profile,
                                         run_relay=False)
        big = pdf_bytes("x" * 1024 * 1024)  # 256 × the limit
        huge = {"to_trinh": ("to-trinh.pdf", big, "application/pdf")}
        declared = await send(nomination, token(HEAD), csv_file(people(2)), huge)
        streamed = Body(csv_file(people(2)), huge, chunk=1024)
        response = await streamed.send(nomination, token(HEAD))

        for answer in (declared, response):
            assert too_large(answer) == {"to_trinh": f"vượt quá {SMALL_LIMIT} byte"}
        # Refused a chunk past the limit, not after spooling the megabyte.
        assert streamed.read < len(streamed.data) - len(big) + SMALL_LIMIT + 2 * 1024
        await nothing_written(nomination)


async def test_more_dossier_files_than_a_list_may_carry_are_refused(start_service, token):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination", run_relay=False)
        files = [("to_trinh", (f"to-trinh-{i}.pdf", TO_TRINH, "application/pdf"))
                 for i in range(21)]
        response = await nomination.client.post(
            "/nomination-lists", data=FORM, headers=auth(token(HEAD)), timeout=60,
            files=[("file", ("danh-sach.csv", csv_file(people(1)), "text/csv")), *files])

        assert "quá nhiều tệp" in too_large(response)["to_trinh"]
        await nothing_written(nomination)
