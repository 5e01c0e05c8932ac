"""Bulk lists: a CSV or XLSX of many nominees lands whole, submitted, with one event per row;
a bad file or row is refused with row-numbered Vietnamese errors and writes nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from contextlib import AsyncExitStack
from pathlib import Path

import openpyxl
import pytest
import yaml
from sqlalchemy import JSON, text
from sqlalchemy.exc import DBAPIError

from exemplar.events import NominationSubmittedV1
from exemplar.profile.loader import DEFAULT_PROFILE_PATH
from exemplar.testing import auth, eventually

from ..helpers import stream_count

HEAD, OFFICER, OTHER_HEAD, STANDING = "dak-o.head", "dak-o.officer", "phu-nghia.head", \
    "noi-vu.officer"
HEADERS = ["STT", "Loại đối tượng", "Họ và tên / Tên tập thể", "Giới tính", "Năm sinh",
           "Dân tộc", "Chức vụ", "Số thành viên", "Tỷ lệ nữ", "Danh hiệu/Hình thức",
           "Thành tích"]
PERSON = ["1", "cá nhân", "Nguyễn Thị Hoa", "Nữ", "1985", "Kinh", "Trưởng ấp", "", "",
          "lao_dong_tien_tien", "Vận động 40 hộ chuyển đổi cây trồng."]
TEAM = ["2", "tập thể", "Tổ hợp tác cao su ấp 3", "", "", "", "", "12", "40%",
        "Tập thể lao động tiên tiến", "Vượt 20 % sản lượng mủ."]
FORM = {"year": "2024", "field": "kinh_te"}


def people(n: int) -> list[list[str]]:
    return [[str(i), "ca_nhan", f"Điểu Văn {i}", "Nam" if i % 2 else "Nữ", str(1960 + i % 40),
             "S'tiêng", "", "", "", "lao_dong_tien_tien", f"Hoàn thành tốt nhiệm vụ {i}."]
            for i in range(1, n + 1)]


def csv_file(rows: list[list], headers: list[str] = HEADERS, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_file(rows: list[list], headers: list[str] = HEADERS) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(svc, bearer: str, content: bytes, name: str = "danh-sach.csv",
                 form: dict = FORM, **headers):
    return await svc.client.post("/nomination-lists", files={"file": (name, content)},
                                 data=form, headers={**auth(bearer), **headers}, timeout=120)


async def scalar(svc, sql: str, **params):
    async with svc.runtime.db.engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar_one()


async def stored(svc) -> tuple[int, int, int]:
    """(nominations, lists, outbox rows) in the nomination database."""
    return (await scalar(svc, "SELECT count(*) FROM nomination"),
            await scalar(svc, "SELECT count(*) FROM nomination_list"),
            await scalar(svc, "SELECT count(*) FROM outbox"))




async def test_csv_list_lands_submitted_and_every_consumer_gets_each_row(
        cluster, token, nats_server):
    nomination = cluster["nomination"]
    content = csv_file([PERSON, TEAM, *people(3)], delimiter=";")
    response = await upload(nomination, token(HEAD), content)

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["row_count"], body["rows"], body["unit_id"]) == (5, [2, 3, 4, 5, 6], "xa-dak-o")
    assert len(set(body["nomination_ids"])) == 5
    assert await stored(nomination) == (5, 1, 5)
    assert await scalar(nomination, "SELECT count(*) FROM nomination WHERE list_id = :id AND "
                        "status = 'submitted' AND revision = 1 AND source = 'list'",
                        id=body["id"]) == 5
    async with nomination.runtime.db.engine.connect() as conn:
        team = (await conn.execute(text("SELECT nominee FROM nomination WHERE nominee_name = :n")
                                   .columns(nominee=JSON), {"n": TEAM[2]})).scalar_one()
    assert (team["kind"], team["member_count"], team["women_share"]) == ("collective", 12, 0.4)

    async def everywhere() -> bool:
        cases = await cluster["review"].client.get("/cases", params={"year": 2024},
                                                   headers=auth(token(STANDING)))
        counts = await cluster["reporting"].client.get("/counts", params={"year": 2024},
                                                       headers=auth(token(STANDING)))
        return (cases.json()["total"] == 5 and {r["unit_id"]: r["submitted"] for r in counts.json()}
                == {"xa-dak-o": 5})

    await eventually(everywhere, what="review and reporting hold the 5 nominations")
    assert await stream_count(nats_server.url, NominationSubmittedV1.type) == 5


async def test_xlsx_list_with_english_headers_and_blank_rows_lands(cluster, token):
    nomination = cluster["nomination"]
    headers = ["kind", "name", "gender", "birth_year", "award", "achievement", "field"]
    rows = [["individual", "Trần Văn Bình", "male", 1979, "lao_dong_tien_tien", "Tốt.",
             "nong_nghiep"], [None] * 7,
            ["household", "Hộ ông Điểu Lếp", None, None, "giay_khen_chu_tich_huyen",
             "Hiến 300 m² đất làm đường.", None]]
    response = await upload(nomination, token(HEAD), xlsx_file(rows, headers), "ds.xlsx")

    assert response.status_code == 201, response.text
    assert response.json()["rows"] == [2, 4]
    fields = await scalar(nomination, "SELECT count(*) FROM nomination WHERE field = "
                          "'nong_nghiep' OR (field = 'kinh_te' AND nominee_kind = 'household')")
    assert fields == 2  # a cell overrides the form's field; an empty one takes it

    async def reviewed() -> bool:
        cases = await cluster["review"].client.get("/cases", headers=auth(token(STANDING)))
        return cases.json()["total"] == 2

    await eventually(reviewed, what="review opens both cases")


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "không phải bảng tính")
    return out.getvalue()


def _replace(row: list, index: int, value) -> list:
    return [*row[:index], value, *row[index + 1:]]


BAD = {  # case → (file, name, (row, column) the answer must name)
    "missing column": (csv_file([PERSON[:-1]], HEADERS[:-1]), "a.csv", (1, "Thành tích")),
    "unknown column": (csv_file([[*PERSON, "x"]], [*HEADERS, "Ghi chú"]), "a.csv",
                       (1, "Ghi chú")),
    "bad gender": (csv_file([PERSON, _replace(PERSON, 3, "Nan")]), "a.csv", (3, "Giới tính")),
    "unknown award": (csv_file([_replace(PERSON, 9, "huan_chuong_khong_co")]), "a.csv",
                      (2, "Danh hiệu/Hình thức")),
    "award of another kind": (csv_file([_replace(TEAM, 9, "lao_dong_tien_tien")]), "a.csv",
                              (2, "Danh hiệu/Hình thức")),
    "over-long name": (csv_file([_replace(PERSON, 2, "A" * 201)]), "a.csv",
                       (2, "Họ và tên / Tên tập thể")),
    "non-numeric birth year": (csv_file([PERSON, PERSON, _replace(PERSON, 4, "năm 85")]),
                               "a.csv", (4, "Năm sinh")),
    "individual without gender": (csv_file([_replace(PERSON, 3, "")]), "a.csv",
                                  (2, "Giới tính")),
    "same person twice": (csv_file([PERSON, PERSON]), "a.csv", (3, "Họ và tên / Tên tập thể")),
    "xlsx broken row": (xlsx_file([PERSON, [*PERSON[:2], None, *PERSON[3:7], "mười", *TEAM[8:]]]),
                        "a.xlsx", (3, "Họ và tên / Tên tập thể")),
    "more cells than headers": (csv_file([[*PERSON, " 5 %"]]), "a.csv",
                                (2, "(cột không có tiêu đề)")),
    "zip that is no workbook": (_zip(), "a.xlsx", (None, "file")),
    "binary named .csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "a.csv",
                          (None, "file")),
    "empty file": (b"", "a.csv", (None, "file")),
    "header only": (csv_file([]), "a.csv", (2, "file")),
}


@pytest.mark.parametrize("case", list(BAD))
async def test_bad_list_names_row_and_column_and_writes_nothing(cluster, token, case):
    nomination = cluster["nomination"]
    content, name, (row, column) = BAD[case]
    response = await upload(nomination, token(HEAD), content, name)

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_list"
    assert {"row": row, "field": column} in [
        {"row": e["row"], "field": e["field"]} for e in body["detail"]["errors"]]
    assert all(e["message"] for e in body["detail"]["errors"])
    assert await stored(nomination) == (0, 0, 0)
    assert await scalar(nomination, "SELECT count(*) FROM subject") == 0


async def test_every_bad_row_is_reported_at_once_in_vietnamese(cluster, token):
    rows = [_replace(PERSON, 4, "x"), PERSON, _replace(_replace(PERSON, 3, "?"), 2, "B")]
    response = await upload(cluster["nomination"], token(HEAD), csv_file(rows))

    assert response.status_code == 422
    errors = response.json()["detail"]["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(2, "Năm sinh"), (4, "Giới tính")]
    assert errors[0]["message"] == "phải là số nguyên"
    assert "Nam, Nữ hoặc Khác" in errors[1]["message"]


async def test_list_of_5000_rows_lands_in_one_transaction_with_its_events(
        start_service, token, nats_server):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination")
        response = await upload(nomination, token(HEAD), csv_file(people(5000)))

        assert response.status_code == 201, response.text
        assert response.json()["row_count"] == 5000
        assert await stored(nomination) == (5000, 1, 5000)
        assert await scalar(nomination, "SELECT count(DISTINCT subject_id) FROM nomination "
                            "WHERE status = 'submitted'") == 5000

        async def published() -> bool:
            return await stream_count(nats_server.url, NominationSubmittedV1.type) == 5000

        await eventually(published, timeout=60, interval=0.5, what="5000 events in the stream")


async def test_a_write_failing_at_the_last_statement_leaves_nothing(start_service, token):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination", run_relay=False)
        engine = nomination.runtime.db.engine
        async with engine.begin() as conn:  # the outbox insert, the last one, will fail
            await conn.execute(text("ALTER TABLE outbox RENAME TO outbox_away"))
        try:  # a 500 for a client; the in-process transport raises the error itself
            with pytest.raises(DBAPIError, match="outbox"):
                await upload(nomination, token(HEAD), csv_file(people(50)))
        finally:
            async with engine.begin() as conn:
                await conn.execute(text("ALTER TABLE outbox_away RENAME TO outbox"))

        assert await stored(nomination) == (0, 0, 0)
        assert await scalar(nomination, "SELECT count(*) FROM subject") == 0


async def test_same_idempotency_key_answers_with_the_same_list(cluster, token):
    nomination = cluster["nomination"]
    content = csv_file(people(3))
    first = await upload(nomination, token(HEAD), content, **{"Idempotency-Key": "ds-1"})
    again = await upload(nomination, token(HEAD), content, **{"Idempotency-Key": "ds-1"})

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert await stored(nomination) == (3, 1, 3)
    other = await upload(nomination, token(HEAD), csv_file(people(4)),
                         **{"Idempotency-Key": "ds-1"})
    assert other.status_code == 422


async def test_a_second_list_finds_the_units_known_subjects(cluster, token):
    nomination = cluster["nomination"]
    for year in ("2023", "2024"):
        response = await upload(nomination, token(HEAD), csv_file(people(4)),
                                form={**FORM, "year": year})
        assert response.status_code == 201, response.text

    assert await scalar(nomination, "SELECT count(*) FROM subject") == 4
    assert await scalar(nomination, "SELECT count(DISTINCT subject_id) FROM nomination") == 4


async def test_lists_are_seen_by_their_unit_only_and_imported_by_its_head(cluster, token):
    nomination = cluster["nomination"]
    listed = (await upload(nomination, token(HEAD), csv_file(people(2)))).json()

    own = await nomination.client.get(f"/nomination-lists/{listed['id']}",
                                      headers=auth(token(OFFICER)))
    assert own.status_code == 200 and own.json()["nomination_ids"] == listed["nomination_ids"]
    mine = await nomination.client.get("/nomination-lists", headers=auth(token(OFFICER)))
    assert [x["id"] for x in mine.json()] == [listed["id"]]

    other = auth(token(OTHER_HEAD))
    assert (await nomination.client.get(f"/nomination-lists/{listed['id']}",
                                        headers=other)).status_code == 404
    assert (await nomination.client.get("/nomination-lists", headers=other)).json() == []
    refused = await upload(nomination, token(OFFICER), csv_file(people(2)))
    assert refused.status_code == 403
    assert await stored(nomination) == (2, 1, 2)


async def test_templates_carry_the_headers_and_an_empty_template_is_refused(cluster, token):
    client, bearer = cluster["nomination"].client, auth(token(OFFICER))
    template = await client.get("/nomination-lists/template.csv", headers=bearer)
    assert template.status_code == 200
    header = template.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:2] == ["Loại đối tượng", "Họ và tên / Tên tập thể"] and "Thành tích" in header

    xlsx = await client.get("/nomination-lists/template.xlsx", headers=bearer)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == header

    response = await upload(cluster["nomination"], token(HEAD), template.content)
    assert response.status_code == 422
    assert "không có dòng dữ liệu" in response.json()["detail"]["message"]


@pytest.fixture
def three_row_profile(tmp_path: Path) -> Path:
    """The default profile, with lists of at most 3 rows."""
    data = yaml.safe_load(DEFAULT_PROFILE_PATH.read_text(encoding="utf-8"))
    data["thresholds"]["import_max_rows"] = 3
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return profile


async def test_list_longer_than_the_profile_allows_is_refused(start_service, token,
                                                              three_row_profile):
    async with AsyncExitStack() as stack:
        nomination = await start_service(stack, "nomination", profile_path=three_row_profile)
        response = await upload(nomination, token(HEAD), csv_file(people(4)))

        assert response.status_code == 422
        assert response.json()["detail"]["errors"][0]["row"] == 5
        assert "hơn 3 dòng" in response.json()["detail"]["message"]
        assert await stored(nomination) == (0, 0, 0)
