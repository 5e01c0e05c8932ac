"""Council sessions: the agenda, attendance, recusal, a secret ballot with written votes from
absent members, quorum and thresholds from the profile, the tally and the minutes.

Who voted is known; how a member voted is found nowhere: not in any answer, the audit log,
the cases or the minutes."""

from __future__ import annotations

import asyncio
import io
import json

import docx
from sqlalchemy.dialects import postgresql, sqlite

from exemplar.events import NominationWithdrawnV1
from exemplar.testing import auth, eventually

from .helpers import CHAIR, FRONT, MEMBERS, OFFICE, arrange, get_case, open_case, publish

PHU_NGHIA = {"unit_id": "xa-phu-nghia", "unit_name": "UBND xã Phú Nghĩa"}
NAMES = {"ubnd.chair": "Trần Quốc Hưng", "ubnd.vice-chair": "Lê Thị Minh Thu",
         "noi-vu.head": "Nguyễn Văn Toàn", "vhtt.head": "Hoàng Minh Đức",
         "mttq.head": "Điểu Văn Bình", "ldld.head": "Trương Thị Ánh",
         "phu-nghia.head": "Bùi Văn Khải"}


async def _posted(review, token, **changes) -> str:
    case = await open_case(review, token, **changes)
    await arrange(review, case["id"], status="posted")
    return case["id"]


async def _schedule(review, token, case_ids: list[str], title="Phiên họp xét khen thưởng"):
    response = await review.client.post("/sessions", headers=auth(token(OFFICE)), json={
        "title": title, "held_on": "2024-12-20", "case_ids": case_ids})
    assert response.status_code == 201, response.text
    return response.json()


async def _open(review, token, session_id: str, present=MEMBERS) -> dict:
    response = await review.client.post(f"/sessions/{session_id}/open",
                                        headers=auth(token(CHAIR)), json={"present": present})
    assert response.status_code == 200, response.text
    return response.json()


async def _vote(review, token, session_id: str, case_id: str, who: str, choice: str):
    return await review.client.post(f"/sessions/{session_id}/items/{case_id}/ballots",
                                    headers=auth(token(who)), json={"choice": choice})


async def _votes(review, token, session_id, case_id, choices: dict[str, str]) -> None:
    for who, choice in choices.items():
        response = await _vote(review, token, session_id, case_id, who, choice)
        assert response.status_code == 201, response.text
        assert response.json() == {"recorded": True}


async def _close(review, token, session_id: str) -> dict:
    response = await review.client.post(f"/sessions/{session_id}/close",
                                        headers=auth(token(OFFICE)))
    assert response.status_code == 200, response.text
    return response.json()


async def _read(review, token, session_id: str, who: str = OFFICE) -> dict:
    response = await review.client.get(f"/sessions/{session_id}", headers=auth(token(who)))
    assert response.status_code == 200, response.text
    return response.json()


async def _audit(review, token) -> list[dict]:
    response = await review.client.get("/audit", params={"limit": 1000},
                                       headers=auth(token(OFFICE)))
    assert response.status_code == 200, response.text
    return response.json()


async def _minutes(review, token, session_id: str) -> str:
    response = await review.client.get(f"/sessions/{session_id}/minutes.docx",
                                       headers=auth(token(FRONT)))
    assert response.status_code == 200, response.text
    document = docx.Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _item(read: dict, case_id: str) -> dict:
    return next(i for i in read["items"] if i["case_id"] == case_id)


# scheduling and the agenda

async def test_member_of_the_nominating_commune_is_recused_when_the_case_is_scheduled(
        review, token):
    phu_nghia, dak_o = await _posted(review, token, **PHU_NGHIA), await _posted(review, token)
    session = await _schedule(review, token, [phu_nghia, dak_o])
    assert session["status"] == "scheduled" and session["quorum"] is None
    assert [i["position"] for i in session["items"]] == [1, 2]
    assert _item(session, phu_nghia)["recused"] == [{
        "member": "phu-nghia.head", "name": "Bùi Văn Khải",
        "reason": "thành viên thuộc đơn vị đề nghị"}]
    assert _item(session, dak_o)["recused"] == []
    assert _item(session, dak_o)["award_name"] == "Lao động tiên tiến"
    entries = await _audit(review, token)
    assert entries[-1]["action"] == "council_session.created"


async def test_agenda_refuses_unknown_and_unposted_cases_and_writes_nothing(review, token):
    posted = await _posted(review, token)
    still_open = (await open_case(review, token))["id"]
    before = await _audit(review, token)
    unknown = await review.client.post("/sessions", headers=auth(token(OFFICE)), json={
        "title": "Phiên họp", "held_on": "2024-12-20", "case_ids": [posted, "khong-co"]})
    assert unknown.status_code == 404
    assert "khong-co" in unknown.json()["detail"]["fields"]["case_ids"]
    early = await review.client.post("/sessions", headers=auth(token(OFFICE)), json={
        "title": "Phiên họp", "held_on": "2024-12-20", "case_ids": [still_open]})
    assert early.status_code == 409
    assert "chờ thẩm định" in early.json()["detail"]["message"]
    twice = await review.client.post("/sessions", headers=auth(token(OFFICE)), json={
        "title": "Phiên họp", "held_on": "2024-12-20", "case_ids": [posted, posted]})
    assert twice.status_code == 422
    assert (await review.client.get("/sessions", headers=auth(token(OFFICE)))).json() == []
    assert await _audit(review, token) == before


async def test_only_the_standing_office_schedules_a_session(review, token):
    posted = await _posted(review, token)
    for who in (CHAIR, "vhtt.head", FRONT, "dak-o.officer"):
        response = await review.client.post("/sessions", headers=auth(token(who)), json={
            "title": "Phiên họp", "held_on": "2024-12-20", "case_ids": [posted]})
        assert response.status_code == 403, who


async def test_a_case_sits_on_one_open_agenda_at_a_time(review, token):
    case_id = await _posted(review, token)
    first = await _schedule(review, token, [case_id], title="Phiên thứ nhất")
    second = await _schedule(review, token, [], title="Phiên thứ hai")
    again = await review.client.post("/sessions", headers=auth(token(OFFICE)), json={
        "title": "Phiên khác", "held_on": "2024-12-21", "case_ids": [case_id]})
    assert again.status_code == 409 and "Phiên thứ nhất" in again.json()["detail"]["message"]
    added = await review.client.post(f"/sessions/{second['id']}/agenda",
                                     headers=auth(token(OFFICE)), json={"case_id": case_id})
    assert added.status_code == 409
    removed = await review.client.delete(f"/sessions/{first['id']}/agenda/{case_id}",
                                         headers=auth(token(OFFICE)))
    assert removed.status_code == 200 and removed.json()["items"] == []
    added = await review.client.post(f"/sessions/{second['id']}/agenda",
                                     headers=auth(token(OFFICE)), json={"case_id": case_id})
    assert added.status_code == 201 and [i["case_id"] for i in added.json()["items"]] == [
        case_id]


async def test_agenda_adds_recuse_and_the_agenda_is_fixed_once_open(review, token):
    session = await _schedule(review, token, [])
    phu_nghia = await _posted(review, token, **PHU_NGHIA)
    added = await review.client.post(f"/sessions/{session['id']}/agenda",
                                     headers=auth(token(OFFICE)), json={"case_id": phu_nghia})
    assert [r["member"] for r in _item(added.json(), phu_nghia)["recused"]] == [
        "phu-nghia.head"]
    missing = await review.client.post(f"/sessions/{session['id']}/agenda",
                                       headers=auth(token(OFFICE)), json={"case_id": "x"})
    assert missing.status_code == 404
    await _open(review, token, session["id"])
    late = await _posted(review, token)
    refused = await review.client.post(f"/sessions/{session['id']}/agenda",
                                       headers=auth(token(OFFICE)), json={"case_id": late})
    assert refused.status_code == 409
    dropped = await review.client.delete(f"/sessions/{session['id']}/agenda/{phu_nghia}",
                                         headers=auth(token(OFFICE)))
    assert dropped.status_code == 409
    assert [i["case_id"] for i in (await _read(review, token, session["id"]))["items"]] == [
        phu_nghia]


async def test_bad_titles_dates_and_oversized_lists_are_refused_by_field_and_write_nothing(
        review, token):
    posted = await _posted(review, token)
    before = await _audit(review, token)
    good = {"title": "Phiên họp", "held_on": "2024-12-20", "case_ids": [posted]}
    for changes, field in [
            ({"title": "Phiên\x00họp"}, "title"), ({"title": "   "}, "title"),
            ({"held_on": "1999-12-31"}, "held_on"), ({"held_on": "2999-01-01"}, "held_on"),
            ({"case_ids": ["x" * 37]}, "case_ids.0"),
            ({"case_ids": [f"{i:036d}" for i in range(501)]}, "case_ids")]:
        response = await review.client.post("/sessions", headers=auth(token(OFFICE)),
                                            json={**good, **changes})
        assert response.status_code == 422, (changes, response.text)
        assert field in response.json()["detail"]["fields"], response.text
    control = await review.client.post("/sessions", headers=auth(token(OFFICE)),
                                       json={**good, "title": "Phiên\x00họp"})
    assert control.json()["detail"]["fields"]["title"] == "chứa ký tự điều khiển không hợp lệ"
    assert (await review.client.get("/sessions", headers=auth(token(OFFICE)))).json() == []
    assert await _audit(review, token) == before
    tidy = await review.client.post("/sessions", headers=auth(token(OFFICE)), json={
        **good, "title": "  Phie\u0302n ho\u0323p  "})  # decomposed, as some keyboards type
    assert tidy.status_code == 201 and tidy.json()["title"] == "Phiên họp"


async def test_oversized_attendance_and_a_control_character_in_a_reason_are_refused(
        review, token):
    case_id = await _posted(review, token)
    session = await _schedule(review, token, [case_id])
    before = await _audit(review, token)
    for present, field in [([*MEMBERS] * 72, "present"), (["x" * 101], "present.0")]:
        response = await review.client.post(f"/sessions/{session['id']}/open",
                                            headers=auth(token(CHAIR)), json={"present": present})
        assert response.status_code == 422, response.text
        assert field in response.json()["detail"]["fields"]
    assert (await _read(review, token, session["id"]))["status"] == "scheduled"
    assert await _audit(review, token) == before
    await _open(review, token, session["id"])
    before = await _audit(review, token)
    bad = await _declare(review, token, session["id"], case_id, "vhtt.head", reason="Lý do\x07")
    assert bad.status_code == 422 and "reason" in bad.json()["detail"]["fields"]
    assert _item(await _read(review, token, session["id"]), case_id)["recused"] == []
    assert await _audit(review, token) == before


async def test_a_stale_or_malformed_if_match_stops_the_opening(review, token):
    session = await _schedule(review, token, [await _posted(review, token)])
    read = await review.client.get(f"/sessions/{session['id']}", headers=auth(token(CHAIR)))
    etag = read.headers["ETag"]
    await review.client.post(f"/sessions/{session['id']}/agenda", headers=auth(token(OFFICE)),
                             json={"case_id": await _posted(review, token)})
    before = await _audit(review, token)
    stale = await review.client.post(f"/sessions/{session['id']}/open",
                                     headers={**auth(token(CHAIR)), "If-Match": etag},
                                     json={"present": MEMBERS})
    assert stale.status_code == 412 and "tải lại" in stale.json()["detail"]
    malformed = await review.client.post(f"/sessions/{session['id']}/open",
                                         headers={**auth(token(CHAIR)), "If-Match": "abc"},
                                         json={"present": MEMBERS})
    assert malformed.status_code == 412
    assert "If-Match" in malformed.json()["detail"]["fields"]
    assert (await _read(review, token, session["id"]))["status"] == "scheduled"
    assert await _audit(review, token) == before
    current = (await review.client.get(f"/sessions/{session['id']}",
                                       headers=auth(token(CHAIR)))).headers["ETag"]
    opened = await review.client.post(f"/sessions/{session['id']}/open",
                                      headers={**auth(token(CHAIR)), "If-Match": current},
                                      json={"present": MEMBERS})
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    assert opened.headers["ETag"] == opened.json()["etag"] != current


# opening

async def test_opening_names_whoever_is_not_a_council_member_and_changes_nothing(
        review, token):
    session = await _schedule(review, token, [await _posted(review, token)])
    before = await _audit(review, token)
    response = await review.client.post(
        f"/sessions/{session['id']}/open", headers=auth(token(OFFICE)),
        json={"present": ["ubnd.chair", "noi-vu.officer", "mttq.reviewer"]})
    assert response.status_code == 422
    fields = response.json()["detail"]["fields"]["present"]
    assert "noi-vu.officer" in fields and "mttq.reviewer" in fields and "ubnd.chair" not in fields
    assert (await _read(review, token, session["id"]))["status"] == "scheduled"
    assert await _audit(review, token) == before


async def test_opening_takes_attendance_and_quorum_and_a_session_opens_once(review, token):
    session = await _schedule(review, token, [await _posted(review, token)])
    opened = await _open(review, token, session["id"], present=MEMBERS[:5])
    assert opened["status"] == "open"
    assert opened["quorum"] == {"present": 5, "members": 7, "quorum_share": 2 / 3, "met": True}
    assert [m["member"] for m in opened["members"] if m["present"]] == MEMBERS[:5]
    again = await review.client.post(f"/sessions/{session['id']}/open",
                                     headers=auth(token(CHAIR)), json={"present": MEMBERS})
    assert again.status_code == 409
    front = await review.client.post(f"/sessions/{session['id']}/open",
                                     headers=auth(token(FRONT)), json={"present": MEMBERS})
    assert front.status_code == 403


# recusal

async def test_recused_member_cannot_vote_and_is_named_in_the_session_and_the_minutes(
        review, token):
    case_id = await _posted(review, token, **PHU_NGHIA)
    session = await _schedule(review, token, [case_id])
    await _open(review, token, session["id"])
    refused = await _vote(review, token, session["id"], case_id, "phu-nghia.head", "yes")
    assert refused.status_code == 403
    assert "thành viên thuộc đơn vị đề nghị" in refused.json()["detail"]
    await _votes(review, token, session["id"], case_id, {m: "yes" for m in MEMBERS[:4]})
    closed = await _close(review, token, session["id"])
    item = _item(closed, case_id)
    assert [r["name"] for r in item["recused"]] == ["Bùi Văn Khải"]
    assert (item["tally"]["eligible"], item["tally"]["base"], item["tally"]["yes"]) == (6, 6, 4)
    assert item["tally"]["passed"] is True
    assert "phu-nghia.head" not in [b["member"] for b in item["ballots"]]
    text = await _minutes(review, token, session["id"])
    assert "Bùi Văn Khải (thành viên thuộc đơn vị đề nghị)" in text


async def test_declared_conflict_recuses_the_member_before_they_vote(review, token):
    case_id = await _posted(review, token)
    session = await _schedule(review, token, [case_id])
    await _open(review, token, session["id"])
    declared = await review.client.post(
        f"/sessions/{session['id']}/items/{case_id}/conflict", headers=auth(token("vhtt.head")),
        json={"reason": "Người được đề nghị là người thân"})
    assert declared.status_code == 200, declared.text
    assert _item(declared.json(), case_id)["recused"] == [{
        "member": "vhtt.head", "name": "Hoàng Minh Đức",
        "reason": "Người được đề nghị là người thân"}]
    refused = await _vote(review, token, session["id"], case_id, "vhtt.head", "yes")
    assert refused.status_code == 403 and "người thân" in refused.json()["detail"]
    await _votes(review, token, session["id"], case_id, {"ldld.head": "yes"})
    before = await _audit(review, token)
    late = await review.client.post(
        f"/sessions/{session['id']}/items/{case_id}/conflict", headers=auth(token("ldld.head")),
        json={"reason": "Nhớ ra sau khi bỏ phiếu"})
    assert late.status_code == 409
    assert await _audit(review, token) == before
    entry = next(e for e in before if e["action"] == "council_session.conflict_declared")
    assert entry["actor"] == "vhtt.head" and entry["data"]["case_id"] == case_id


async def _declare(review, token, session_id: str, case_id: str, who: str,
                   reason="Người được đề nghị là người thân"):
    return await review.client.post(f"/sessions/{session_id}/items/{case_id}/conflict",
                                     headers=auth(token(who)), json={"reason": reason})


async def test_a_conflict_declared_while_the_member_votes_never_lets_both_stand(
        review, token):
    case_ids = [await _posted(review, token) for _ in range(5)]
    session = await _schedule(review, token, case_ids)
    await _open(review, token, session["id"])
    others = [m for m in MEMBERS if m != "vhtt.head"]
    for case_id in case_ids:  # everyone votes at once; one member also steps aside
        declared, voted, *rest = await asyncio.gather(
            _declare(review, token, session["id"], case_id, "vhtt.head"),
            _vote(review, token, session["id"], case_id, "vhtt.head", "yes"),
            *(_vote(review, token, session["id"], case_id, m, "yes") for m in others))
        assert (declared.status_code, voted.status_code) in {(200, 403), (409, 201)}, (
            declared.text, voted.text)
        assert [r.status_code for r in rest] == [201] * len(others)
    closed = await _close(review, token, session["id"])
    for case_id in case_ids:
        item = _item(closed, case_id)
        recused = {r["member"] for r in item["recused"]}
        voters = {b["member"] for b in item["ballots"]}
        assert ("vhtt.head" in recused) != ("vhtt.head" in voters)
        assert not recused & voters
        assert item["tally"]["voters"] == len(voters) <= item["tally"]["eligible"]


async def test_ballots_racing_the_close_are_either_counted_or_refused(review, token):
    case_ids = [await _posted(review, token) for _ in range(2)]
    session = await _schedule(review, token, case_ids)
    await _open(review, token, session["id"])
    closed, *voted = await asyncio.gather(
        review.client.post(f"/sessions/{session['id']}/close", headers=auth(token(CHAIR))),
        *(_vote(review, token, session["id"], case_id, m, "yes")
          for m in MEMBERS for case_id in case_ids))
    assert closed.status_code == 200, closed.text
    assert {r.status_code for r in voted} <= {201, 409}, [r.text for r in voted]
    late = [r.json()["detail"]["message"] for r in voted if r.status_code == 409]
    assert all("ngoài phiên họp" in message for message in late)
    counted = sum(r.status_code == 201 for r in voted)
    tallies = [_item(closed.json(), case_id)["tally"] for case_id in case_ids]
    assert sum(t["voters"] for t in tallies) == sum(t["yes"] for t in tallies) == counted
    entries = [e for e in await _audit(review, token) if e["action"] == "ballot.cast"]
    assert len(entries) == counted


# refused ballots write nothing

async def test_vote_outside_an_open_session_is_refused_and_writes_nothing(review, token):
    case_id = await _posted(review, token)
    session = await _schedule(review, token, [case_id])
    before = await _audit(review, token)
    early = await _vote(review, token, session["id"], case_id, "ubnd.chair", "yes")
    assert early.status_code == 409 and "ngoài phiên họp" in early.json()["detail"]["message"]
    assert await _audit(review, token) == before
    await _open(review, token, session["id"])
    await _close(review, token, session["id"])
    before = await _audit(review, token)
    late = await _vote(review, token, session["id"], case_id, "ubnd.chair", "yes")
    assert late.status_code == 409 and "ngoài phiên họp" in late.json()["detail"]["message"]
    assert await _audit(review, token) == before
    item = _item(await _read(review, token, session["id"]), case_id)
    assert item["ballots"] == [] and item["tally"]["voters"] == 0


async def test_second_vote_is_refused_and_the_first_stands(review, token):
    case_id = await _posted(review, token)
    session = await _schedule(review, token, [case_id])
    await _open(review, token, session["id"])
    await _votes(review, token, session["id"], case_id, {"ubnd.chair": "yes"})
    before = await _audit(review, token)
    again = await _vote(review, token, session["id"], case_id, "ubnd.chair", "no")
    assert again.status_code == 409 and "đã bỏ phiếu" in again.json()["detail"]["message"]
    assert await _audit(review, token) == before
    tally = _item(await _close(review, token, session["id"]), case_id)["tally"]
    assert (tally["yes"], tally["no"], tally["abstain"], tally["voters"]) == (1, 0, 0, 1)


async def test_only_council_members_vote(review, token):
    case_id = await _posted(review, token)
    session = await _schedule(review, token, [case_id])
    await _open(review, token, session["id"])
    before = await _audit(review, token)
    for who in ("noi-vu.officer", FRONT, "admin", "dak-o.officer"):
        response = await _vote(review, token, session["id"], case_id, who, "yes")
        assert response.status_code == 403, who
    unknown = await _vote(review, token, session["id"], "khong-co", "ubnd.chair", "yes")
    assert unknown.status_code == 404
    bad = await _vote(review, token, session["id"], case_id, "ubnd.chair", "maybe")
    assert bad.status_code == 422
    assert await _audit(review, token) == before
    assert _item(await _read(review, token, session["id"]), case_id)["ballots"] == []


# the tally

async def test_under_quorum_nothing_passes_even_with_every_ballot_yes(review, token):
    case_id = await _posted(review, token)
    session = await _schedule(review, token, [case_id])
    opened = await _open(review, token, session["id"], present=MEMBERS[:3])
    assert opened["quorum"]["met"] is False
    await _votes(review, token, session["id"], case_id, {m: "yes" for m in MEMBERS})
    tally = _item(await _close(review, token, session["id"]), case_id)["tally"]
    assert (tally["yes"], tally["share"], tally["quorum_met"]) == (7, 1.0, False)
    assert (tally["passed"], tally["result"]) == (False, "failed")
    case = await get_case(review, token, case_id)
    assert (case["status"], case["council_result"]) == ("voted", "failed")


async def test_under_threshold_fails(review, token):
    case_id = await _posted(review, token)
    session = await _schedule(review, token, [case_id])
    await _open(review, token, session["id"])
    await _votes(review, token, session["id"], case_id,
                 dict(zip(MEMBERS, ["yes"] * 3 + ["no"] * 4, strict=True)))
    tally = _item(await _close(review, token, session["id"]), case_id)["tally"]
    assert (tally["share"], tally["threshold"], tally["passed"]) == (3 / 7, 0.5, False)
    assert (await get_case(review, token, case_id))["council_result"] == "failed"


async def test_passing_item_moves_the_case_to_voted_with_passed(review, token):
    case_id = await _posted(review, token)
    session = await _schedule(review, token, [case_id])
    await _open(review, token, session["id"])
    before = await review.client.get(f"/sessions/{session['id']}", headers=auth(token(CHAIR)))
    assert _item(before.json(), case_id)["tally"] is None
    await _votes(review, token, session["id"], case_id,
                 dict(zip(MEMBERS, ["yes"] * 4 + ["abstain"] * 3, strict=True)))
    closed = await _close(review, token, session["id"])
    assert closed["status"] == "closed"
    assert _item(closed, case_id)["tally"]["result_name"] == "Đạt"
    case = await get_case(review, token, case_id)
    assert (case["status"], case["council_result"]) == ("voted", "passed")
    moved = [e for e in await _audit(review, token) if e["action"] == "case.voted"]
    assert [(e["entity_id"], e["data"]["council_result"]) for e in moved] == [
        (case_id, "passed")]
    again = await review.client.post(f"/sessions/{session['id']}/close",
                                     headers=auth(token(CHAIR)))
    assert again.status_code == 409
    assert again.json()["detail"]["fields"] == {
        "session_id": "phiên họp ở trạng thái “đã kết thúc”"}


async def test_written_ballots_from_absent_members_count(review, token):
    case_id = await _posted(review, token)
    session = await _schedule(review, token, [case_id])
    await _open(review, token, session["id"], present=MEMBERS[:5])
    await _votes(review, token, session["id"], case_id, {
        "ubnd.chair": "yes", "noi-vu.head": "yes", "ldld.head": "yes", "phu-nghia.head": "yes"})
    read = await _read(review, token, session["id"])
    assert {b["member"]: b["written"] for b in _item(read, case_id)["ballots"]} == {
        "ubnd.chair": False, "noi-vu.head": False, "ldld.head": True, "phu-nghia.head": True}
    tally = _item(await _close(review, token, session["id"]), case_id)["tally"]
    assert (tally["yes"], tally["voters"], tally["base"], tally["passed"]) == (4, 4, 7, True)
    text = await _minutes(review, token, session["id"])
    assert "Vắng mặt, có phiếu bằng văn bản (2): Trương Thị Ánh, Bùi Văn Khải." in text
    assert "(trong đó 2 phiếu bằng văn bản)" in text


async def test_case_withdrawn_during_the_session_is_skipped_at_the_close(review, token):
    case = await open_case(review, token)
    await arrange(review, case["id"], status="posted")
    session = await _schedule(review, token, [case["id"]])
    await _open(review, token, session["id"])
    await publish(review.runtime.settings.nats_url, NominationWithdrawnV1(
        nomination_id=case["nomination_id"], revision=1, unit_id="xa-dak-o", year=2024,
        reason="Đơn vị rút hồ sơ", withdrawn_by="dak-o.head"))

    async def withdrawn() -> bool:
        return (await get_case(review, token, case["id"]))["status"] == "withdrawn"

    await eventually(withdrawn, what="the withdrawal")
    item = _item(await _close(review, token, session["id"]), case["id"])
    assert item["tally"]["result"] == "withdrawn"
    after = await get_case(review, token, case["id"])
    assert (after["status"], after["council_result"]) == ("withdrawn", None)


# secrecy

def _choices_beside_members(value, path="") -> list[str]:
    """Every place in a JSON answer where a member stands next to a choice."""
    found = []
    if isinstance(value, dict):
        texts = {v for v in value.values() if isinstance(v, str)}
        if "choice" in value or (texts & (set(MEMBERS) | set(NAMES.values()))
                                 and texts & {"yes", "no", "abstain"}):
            found.append(path)
        for key, inner in value.items():
            found += _choices_beside_members(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            found += _choices_beside_members(inner, f"{path}[{i}]")
    return found


async def test_no_answer_audit_entry_or_minutes_reveal_how_a_member_voted(review, token):
    case_id = await _posted(review, token)
    session = await _schedule(review, token, [case_id])
    await _open(review, token, session["id"], present=MEMBERS[:6])
    choices = {"ubnd.chair": "yes", "ubnd.vice-chair": "no", "noi-vu.head": "abstain",
               "vhtt.head": "yes", "mttq.head": "no", "ldld.head": "yes",
               "phu-nghia.head": "yes"}  # the last one absent: a written ballot
    for who, choice in choices.items():
        response = await _vote(review, token, session["id"], case_id, who, choice)
        assert response.status_code == 201 and response.json() == {"recorded": True}
        assert choice not in response.text
    during = await _read(review, token, session["id"], who="vhtt.head")
    assert _item(during, case_id)["tally"] is None
    assert '"yes"' not in json.dumps(during) and '"abstain"' not in json.dumps(during)
    closed = await _close(review, token, session["id"])
    tally = _item(closed, case_id)["tally"]
    assert (tally["yes"], tally["no"], tally["abstain"], tally["voters"]) == (4, 2, 1, 7)
    answers = {"session": await _read(review, token, session["id"]),
               "audit": await _audit(review, token),
               "case": await get_case(review, token, case_id)}
    assert _choices_beside_members(answers) == []
    ballots = [e for e in answers["audit"] if e["action"] == "ballot.cast"]
    assert sorted(e["actor"] for e in ballots) == sorted(choices)
    assert all(set(e["data"]) == {"case_id", "member", "written"} for e in ballots)
    assert all(set(b) == {"member", "name", "written"}
               for b in _item(answers["session"], case_id)["ballots"])
    text = await _minutes(review, token, session["id"])
    assert "Tán thành: 4; không tán thành: 2; không biểu quyết: 1." in text
    for line in text.splitlines():
        if any(name in line for name in NAMES.values()):
            assert not any(w in line.lower() for w in ("tán thành", "không biểu quyết")), line


def test_a_ballot_moves_its_counter_with_the_same_statement_for_every_choice():
    from review.council.store import COUNT_BALLOT, AgendaItem, ballot_params

    for dialect in (postgresql.dialect(), sqlite.dialect()):
        compiled = {str(COUNT_BALLOT.compile(dialect=dialect)) for _ in range(3)}
        assert len(compiled) == 1
    item = AgendaItem(session_id="s", case_id="c", version=3)
    params = [ballot_params(item, choice) for choice in ("yes", "no", "abstain")]
    assert {tuple(sorted(p)) for p in params} == {tuple(sorted(params[0]))}
    assert [(p["add_yes"], p["add_no"], p["add_abstain"]) for p in params] == [
        (1, 0, 0), (0, 1, 0), (0, 0, 1)]
    assert {p["seen"] for p in params} == {3}


# reading and the minutes

async def test_the_council_and_the_front_read_sessions_units_do_not(review, token):
    session = await _schedule(review, token, [await _posted(review, token)])
    for who in (OFFICE, CHAIR, "vhtt.head", FRONT):
        assert (await _read(review, token, session["id"], who=who))["id"] == session["id"]
    for who in ("dak-o.officer", "tinh.viewer"):
        response = await review.client.get(f"/sessions/{session['id']}",
                                           headers=auth(token(who)))
        assert response.status_code == 403, who
    listed = (await review.client.get("/sessions", headers=auth(token(FRONT)))).json()
    assert [(s["id"], s["items"]) for s in listed] == [(session["id"], 1)]
    missing = await review.client.get("/sessions/khong-co", headers=auth(token(OFFICE)))
    assert missing.status_code == 404


async def test_minutes_exist_only_once_closed_and_carry_the_letterhead_and_results(
        review, token):
    case_id = await _posted(review, token)
    session = await _schedule(review, token, [case_id])
    early = await review.client.get(f"/sessions/{session['id']}/minutes.docx",
                                    headers=auth(token(OFFICE)))
    assert early.status_code == 409
    await _open(review, token, session["id"], present=MEMBERS[:5])
    await _votes(review, token, session["id"], case_id, {m: "yes" for m in MEMBERS[:4]})
    await _close(review, token, session["id"])
    text = await _minutes(review, token, session["id"])
    for expected in ("BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
                     "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG HUYỆN BÙ GIA MẬP",
                     "UBND HUYỆN BÙ GIA MẬP", "Bù Gia Mập, ngày 20 tháng 12 năm 2024",
                     "Nguyễn Thị Hoa – UBND xã Đắk Ơ", "Đề nghị: Lao động tiên tiến",
                     "Vắng mặt, không có phiếu (2): Trương Thị Ánh, Bùi Văn Khải.",
                     "Tỷ lệ tán thành: 57,14%", "trên 50,00%", "Kết quả: ĐẠT",
                     "THƯ KÝ", "Nguyễn Văn Toàn", "CHỦ TỊCH HỘI ĐỒNG", "Trần Quốc Hưng"):
        assert expected in text, expected
