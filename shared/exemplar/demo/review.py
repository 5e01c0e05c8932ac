"""The standing office appraises (one nomination returned, fixed and resubmitted), the Front
comments, the list is posted, the council votes with one member recused, the chair decides;
after publication the district escalates one exemplar and the chair revokes another."""

from __future__ import annotations

from datetime import timedelta

from ..clock import today
from .client import Demo

OFFICE, CHAIR, FRONT = "noi-vu.head", "ubnd.chair", "mttq.reviewer"
# The council of the default profile; phu-nghia.head sits for the commune Phú Nghĩa.
MEMBERS = ["ubnd.chair", "ubnd.vice-chair", "noi-vu.head", "vhtt.head", "mttq.head",
           "ldld.head", "phu-nghia.head"]
FACTS = {"disciplined": False, "under_investigation": False}


def case_of(demo: Demo, nomination_id: str, *, revision: int = 1,
            status: str | None = None) -> dict:
    def probe() -> dict | None:
        cases = demo.get("review", "/cases", OFFICE, params={"limit": 500})["items"]
        return next((c for c in cases if c["nomination_id"] == nomination_id
                     and c["revision"] >= revision
                     and (status is None or c["status"] == status)), None)

    return demo.wait_for(f"case of {nomination_id} rev {revision} {status or ''}", probe)


def nomination_status(demo: Demo, nomination_id: str, status: str, who: str) -> dict:
    def probe() -> dict | None:
        response = demo.call("GET", "nomination", f"/nominations/{nomination_id}", who)
        body = response.json()
        return {**body, "etag": response.headers.get("ETag")} if (
            body.get("status") == status) else None

    return demo.wait_for(f"nomination {nomination_id} {status}", probe)


def appraise(demo: Demo, case_id: str, note: str) -> None:
    demo.post("review", f"/cases/{case_id}/appraisal", OFFICE, {
        "outcome": "appraised",
        "findings": [{"achievement": 0, "verdict": "verified", "note": note}],
        "facts": FACTS})


def decide(demo: Demo, year: int) -> None:
    sent = demo.state["nominations"]
    cases = {key: case_of(demo, n["id"]) for key, n in sent.items()}
    demo.step(f"review: {len(cases)} cases opened from the submissions")

    appraise(demo, cases["hoa"]["id"], "Đã xác minh tại ấp 3")
    appraise(demo, cases["khanh"]["id"], "Đã xác minh với UBND xã Phú Nghĩa")
    demo.step("review: the standing office appraised Nguyễn Thị Hoa and Lê Văn Khánh")

    thinh = cases["thinh"]
    demo.post("review", f"/cases/{thinh['id']}/appraisal", OFFICE, {
        "outcome": "returned",
        "findings": [{"achievement": 0, "verdict": "overstated",
                      "note": "Chỉ 18 hộ thoát nghèo, không phải 30"}],
        "facts": FACTS, "reasons": ["Số hộ thoát nghèo bị kê khai quá thực tế"]})
    returned = nomination_status(demo, thinh["nomination_id"], "returned", "dak-o.officer")
    demo.call("PATCH", "nomination", f"/nominations/{thinh['nomination_id']}",
              "dak-o.officer", headers={"If-Match": returned["etag"]},
              json={"achievement_summary":
                    "Giúp 18 hộ đồng bào thoát nghèo bằng mô hình nuôi heo rừng."})
    demo.post("nomination", f"/nominations/{thinh['nomination_id']}/submit", "dak-o.head")
    case_of(demo, thinh["nomination_id"], revision=2, status="open")
    appraise(demo, thinh["id"], "Đã xác minh lại: 18 hộ")
    demo.step("review: Điểu Thị Thinh returned (overstated), fixed, resubmitted, appraised")

    for case in cases.values():
        demo.post("review", f"/cases/{case['id']}/comments", FRONT,
                  {"text": "Ủy ban MTTQ huyện đồng ý, đề nghị nhân rộng."})
    demo.step(f"review: the Front commented on {len(cases)} cases")

    days = demo.profile.thresholds.public_posting_days
    opens = (today() - timedelta(days=days + 1)).isoformat()  # already over
    ids = [c["id"] for c in cases.values()]
    demo.post("review", "/postings", OFFICE, {
        "title": f"Danh sách đề nghị khen thưởng năm {year}", "case_ids": ids,
        "opens_on": opens})
    demo.step(f"review: the list of {len(ids)} was posted for {days} days")

    session = demo.post("review", "/sessions", OFFICE, {
        "title": f"Phiên họp Hội đồng Thi đua – Khen thưởng năm {year}",
        "held_on": today().isoformat(), "case_ids": ids})
    recused = {item["case_id"]: {r["member"] for r in item["recused"]}
               for item in session["items"]}
    demo.post("review", f"/sessions/{session['id']}/open", CHAIR, {"present": MEMBERS})
    ballots = 0
    for case_id in ids:
        for member in MEMBERS:
            if member in recused.get(case_id, set()):
                continue
            demo.post("review", f"/sessions/{session['id']}/items/{case_id}/ballots", member,
                      {"choice": "abstain" if member == "ldld.head" else "yes"})
            ballots += 1
    demo.post("review", f"/sessions/{session['id']}/close", OFFICE)
    names = sorted(m for members in recused.values() for m in members)
    demo.step(f"review: the council voted ({ballots} ballots, recused: "
              f"{', '.join(names) or 'none'})")
    for case in cases.values():
        case_of(demo, case["nomination_id"], status="voted")

    decision = demo.post("review", "/decisions", OFFICE, {
        "number": "215/QĐ-UBND", "signed_on": today().isoformat(),
        "items": [{"case_id": case_id, "grant": True} for case_id in ids]})
    demo.post("review", f"/decisions/{decision['id']}/apply", CHAIR)
    for key, case in cases.items():
        unit = "phu-nghia" if key == "khanh" else "dak-o"
        nomination_status(demo, case["nomination_id"], "decided", f"{unit}.officer")
    demo.step(f"review: the chair signed decision 215/QĐ-UBND for {len(ids)} exemplars")
    demo.state["cases"] = cases


def after_publication(demo: Demo, year: int) -> None:
    cases = demo.state["cases"]
    demo.post("review", f"/cases/{cases['hoa']['id']}/escalation", OFFICE, {
        "proposed_award": "bang_khen_chu_tich_tinh", "note": "Tiêu biểu của huyện"})
    demo.step("review: the district escalated Nguyễn Thị Hoa to the province")
    khanh = cases["khanh"]
    demo.post("review", f"/cases/{khanh['id']}/revocation", CHAIR, {
        "number": "240/QĐ-UBND", "signed_on": today().isoformat(),
        "reason": "Phát hiện kê khai thành tích không đúng sau khi khen thưởng"})
    nomination_status(demo, khanh["nomination_id"], "revoked", "phu-nghia.officer")
    demo.step("review: the chair revoked Lê Văn Khánh's title (240/QĐ-UBND)")
