"""The standing office posts appraised cases for the public: each moves to `posted` and is
announced once; the public page (no login) shows only what appraisal verified."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from typing import ClassVar

from exemplar.clock import today
from exemplar.events import NominationWithdrawnV1
from exemplar.testing import auth, eventually

from ..helpers import stream_count, stream_events
from .helpers import FRONT, OFFICE, arrange, case_of, get_case, open_case, publish

POSTED = "exemplar.review.posted.v1"
VERIFIED = ["Vận động 40 hộ chuyển đổi cây trồng"]
UNVERIFIED = "Thu nhập bình quân của ấp tăng 25 %"


async def appraised_case(review, token, **changes) -> dict:
    """A case appraisal has passed, with its first achievement verified, the second not."""
    case = await open_case(review, token, **changes)
    await arrange(review, case["id"], status="appraised", verified_claims=VERIFIED)
    return case


async def post_list(review, token, case_ids: list[str], **body) -> dict:
    response = await review.client.post(
        "/postings", json={"title": "Công khai danh sách đề nghị khen thưởng năm 2024",
                           "case_ids": case_ids, **body}, headers=auth(token(OFFICE)))
    assert response.status_code == 201, response.text
    return response.json()


async def posted_events(review, count: int) -> list[dict]:
    url = review.runtime.settings.nats_url
    await eventually(lambda: _at_least(url, count), what=f"{count} posted events")
    return await stream_events(url, POSTED)


async def _at_least(url: str, count: int) -> bool:
    return await stream_count(url, POSTED) >= count


async def audit_actions(review, token) -> list[str]:
    response = await review.client.get("/audit", params={"limit": 1000},
                                       headers=auth(token(OFFICE)))
    assert response.status_code == 200, response.text
    return [e["action"] for e in response.json()]


class StrictPage(HTMLParser):
    """Well-formed HTML: every element closed in order, ids unique, every label's target
    present, every header cell scoped."""

    VOID: ClassVar = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr",
                      "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.ids: list[str] = []
        self.label_targets: list[str] = []
        self.unscoped_th = 0
        self.problems: list[str] = []
        self.doctype = ""
        self.html_lang = None
        self.charset = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "html":
            self.html_lang = found.get("lang")
        if tag == "meta" and "charset" in found:
            self.charset = found["charset"]
        if tag == "label":
            self.label_targets.append(found.get("for"))
        if tag == "th" and "scope" not in found:
            self.unscoped_th += 1
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()


def strict(page: str) -> StrictPage:
    parser = StrictPage()
    parser.feed(page)
    parser.close()
    assert parser.doctype.lower() == "doctype html"
    assert parser.html_lang == "vi" and parser.charset == "utf-8"
    assert parser.problems == [] and parser.open == []
    assert len(parser.ids) == len(set(parser.ids))
    assert all(target in parser.ids for target in parser.label_targets)
    assert parser.unscoped_th == 0
    return parser


# -- posting -----------------------------------------------------------------------------------

async def test_posting_appraised_cases_moves_each_to_posted_and_announces_it_once(
        review, token):
    first = await appraised_case(review, token)
    second = await appraised_case(review, token, nominee={"name": "Trần Văn Bình",
                                                          "gender": "male"})
    posting = await post_list(review, token, [first["id"], second["id"]])
    opens = today()
    assert posting["opens_on"] == opens.isoformat()
    assert posting["closes_on"] == (opens + timedelta(days=4)).isoformat()  # 5 days, inclusive
    assert posting["window"] == "open"
    assert [c["id"] for c in posting["cases"]] == [first["id"], second["id"]]
    for case_id in (first["id"], second["id"]):
        case = await get_case(review, token, case_id)
        assert (case["status"], case["posting_id"]) == ("posted", posting["id"])
    events = await posted_events(review, 2)
    assert sorted(e["subject"] for e in events) == sorted(
        [first["nomination_id"], second["nomination_id"]])
    assert {(e["data"]["opens_on"], e["data"]["closes_on"]) for e in events} == {
        (posting["opens_on"], posting["closes_on"])}
    assert await stream_count(review.runtime.settings.nats_url, POSTED) == 2
    assert (await audit_actions(review, token)).count("posting.created") == 1


async def test_a_posting_already_made_on_the_notice_board_is_recorded_with_its_dates(
        review, token):
    case = await appraised_case(review, token)
    opened = today() - timedelta(days=10)
    posting = await post_list(review, token, [case["id"]], opens_on=opened.isoformat())
    assert posting["closes_on"] == (opened + timedelta(days=4)).isoformat()
    assert posting["window"] == "closed"
    read = await review.client.get(f"/postings/{posting['id']}", headers=auth(token(FRONT)))
    assert read.status_code == 200 and read.json()["cases"][0]["status"] == "posted"


async def test_opening_day_too_far_ahead_or_back_is_422_and_posts_nothing(review, token):
    case = await appraised_case(review, token)
    for day in (today() + timedelta(days=31), today() - timedelta(days=61)):
        response = await review.client.post(
            "/postings", json={"title": "Đợt 1", "case_ids": [case["id"]],
                               "opens_on": day.isoformat()}, headers=auth(token(OFFICE)))
        assert response.status_code == 422, response.text
        assert "opens_on" in response.json()["detail"]["fields"]
    bad = await review.client.post("/postings", json={"title": "", "case_ids": []},
                                   headers=auth(token(OFFICE)))
    assert bad.status_code == 422
    assert bad.json()["detail"]["fields"] == {"title": "bắt buộc phải có",
                                              "case_ids": "phải có từ 1 đến 500 hồ sơ"}
    assert (await get_case(review, token, case["id"]))["status"] == "appraised"


async def test_posting_a_case_not_yet_appraised_is_409_naming_it_and_writes_nothing(
        review, token):
    ready = await appraised_case(review, token)
    unready = await open_case(review, token, nominee={"name": "Trần Văn Bình",
                                                      "gender": "male"})
    before = await audit_actions(review, token)
    response = await review.client.post(
        "/postings", json={"title": "Đợt 1", "case_ids": [ready["id"], unready["id"]]},
        headers=auth(token(OFFICE)))
    assert response.status_code == 409, response.text
    assert "Trần Văn Bình" in response.json()["detail"]["message"]
    assert "chờ thẩm định" in response.json()["detail"]["message"]
    listed = await review.client.get("/postings", headers=auth(token(OFFICE)))
    assert listed.json() == {"items": [], "total": 0}
    unchanged = await get_case(review, token, ready["id"])
    assert (unchanged["status"], unchanged["posting_id"]) == ("appraised", None)
    assert await audit_actions(review, token) == before
    # Posting the ready case alone now announces it once: the refused call staged nothing.
    await post_list(review, token, [ready["id"]])
    events = await posted_events(review, 1)
    assert [e["subject"] for e in events] == [ready["nomination_id"]]


async def test_posting_an_unknown_case_is_404_naming_it(review, token):
    ready = await appraised_case(review, token)
    response = await review.client.post(
        "/postings", json={"title": "Đợt 1", "case_ids": [ready["id"], "khong-co"]},
        headers=auth(token(OFFICE)))
    assert response.status_code == 404
    assert "khong-co" in response.json()["detail"]["message"]
    assert (await get_case(review, token, ready["id"]))["status"] == "appraised"


async def test_only_the_standing_office_posts_and_units_do_not_read_postings(review, token):
    case = await appraised_case(review, token)
    for who in ("dak-o.officer", FRONT, "ubnd.chair"):
        response = await review.client.post(
            "/postings", json={"title": "Đợt 1", "case_ids": [case["id"]]},
            headers=auth(token(who)))
        assert response.status_code == 403, who
    assert (await review.client.get("/postings", headers=auth(token("dak-o.officer")))
            ).status_code == 403
    assert (await review.client.get("/postings", headers=auth(token(FRONT)))).status_code == 200
    assert (await get_case(review, token, case["id"]))["status"] == "appraised"


# -- the public pages --------------------------------------------------------------------------

async def test_public_page_shows_the_verified_achievements_in_vietnamese_without_login(
        review, token):
    case = await appraised_case(review, token)
    posting = await post_list(review, token, [case["id"]])
    sent = await review.client.post(
        f"/public/postings/{posting['id']}/feedback",
        json={"kind": "comment", "case_id": case["id"], "name": "Lê Văn Tám",
              "contact": "0912 345 678", "text": "Chị Hoa rất nhiệt tình với bà con."})
    assert sent.status_code == 202, sent.text
    response = await review.client.get(f"/public/postings/{posting['id']}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    strict(page)
    for shown in ("Nguyễn Thị Hoa", "UBND xã Đắk Ơ", "Kinh tế", "Lao động tiên tiến",
                  VERIFIED[0], "đang nhận ý kiến", f"{today():%d/%m/%Y}",
                  'method="post"', "<caption>"):
        assert shown in page, shown
    for hidden in (UNVERIFIED, "0912 345 678", "Lê Văn Tám", "rất nhiệt tình"):
        assert hidden not in page, hidden


async def test_public_page_escapes_what_it_shows(review, token):
    case = await open_case(review, token, nominee={"name": "Hoa <b>đậm</b>"})
    await arrange(review, case["id"], status="appraised",
                  verified_claims=['<script>alert("x")</script> & 40 hộ'])
    posting = await post_list(review, token, [case["id"]], title="Đợt <i>1</i>")
    page = (await review.client.get(f"/public/postings/{posting['id']}")).text
    strict(page)
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 40 hộ" in page
    assert "Hoa &lt;b&gt;đậm&lt;/b&gt;" in page


async def test_a_withdrawn_case_leaves_the_public_page_but_stays_on_the_record(
        review, token):
    kept = await appraised_case(review, token)
    gone = await appraised_case(review, token, nominee={"name": "Trần Văn Bình",
                                                        "gender": "male"})
    posting = await post_list(review, token, [kept["id"], gone["id"]])
    await publish(review.runtime.settings.nats_url, NominationWithdrawnV1(
        nomination_id=gone["nomination_id"], revision=1, unit_id="xa-dak-o", year=2024,
        reason="Đơn vị rút hồ sơ", withdrawn_by="dak-o.head"))
    await case_of(review, token, gone["nomination_id"], status="withdrawn")
    page = (await review.client.get(f"/public/postings/{posting['id']}")).text
    assert "Nguyễn Thị Hoa" in page and "Trần Văn Bình" not in page
    record = (await review.client.get(f"/postings/{posting['id']}",
                                      headers=auth(token(OFFICE)))).json()
    assert {c["id"]: c["status"] for c in record["cases"]} == {kept["id"]: "posted",
                                                                gone["id"]: "withdrawn"}
    complaint = await review.client.post(
        f"/public/postings/{posting['id']}/feedback",
        json={"kind": "complaint", "case_id": gone["id"], "name": "Lê Văn Tám",
              "contact": "0912 345 678", "text": "Khiếu nại"})
    assert complaint.status_code == 422 and "case_id" in complaint.json()["detail"]["fields"]


async def test_public_index_lists_open_and_recently_closed_postings(review, token):
    def on(days: int) -> str:
        return (today() + timedelta(days=days)).isoformat()

    titles = {"Đợt đang mở": on(0), "Đợt vừa kết thúc": on(-20), "Đợt đã lâu": on(-40),
              "Đợt sắp tới": on(3)}
    for title, opens_on in titles.items():
        case = await appraised_case(review, token)
        await post_list(review, token, [case["id"]], title=title, opens_on=opens_on)
    response = await review.client.get("/public/postings")
    assert response.status_code == 200
    page = response.text
    strict(page)
    assert "Đợt đang mở" in page and "Đợt vừa kết thúc" in page
    assert "Đợt đã lâu" not in page and "Đợt sắp tới" not in page
    assert page.index("Đợt đang mở") < page.index("Đợt vừa kết thúc")


async def test_a_scheduled_posting_shows_its_dates_but_not_yet_its_list(review, token):
    case = await appraised_case(review, token)
    opens = today() + timedelta(days=3)
    posting = await post_list(review, token, [case["id"]], opens_on=opens.isoformat())
    assert posting["window"] == "scheduled"
    page = (await review.client.get(f"/public/postings/{posting['id']}")).text
    strict(page)
    assert f"{opens:%d/%m/%Y}" in page and "chưa đến thời gian công khai" in page
    assert "Nguyễn Thị Hoa" not in page and "<form" not in page


async def test_unknown_posting_is_a_404_page_in_vietnamese(review):
    response = await review.client.get("/public/postings/khong-co")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    strict(response.text)
    assert "Không tìm thấy đợt công khai" in response.text

