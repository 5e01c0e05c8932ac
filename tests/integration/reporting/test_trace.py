"""One trace follows a nomination from its submission to its story on the portal: the
timeline shows the same trace id for every step, though each step was a request of its own
(the unit's head, the standing office, the chair, the portal's editor)."""

from __future__ import annotations

from exemplar.clock import today
from exemplar.testing import auth, eventually

from ..publication.steps import PORTAL_EDITOR, stories_of, to_published
from ..review.helpers import CHAIR, arrange, case_of
from ..review.test_full_path import _post, _submitted_with_dossier
from .steps import OFFICE

STEPS = ["exemplar.nomination.submitted.v1", "exemplar.review.appraised.v1",
         "exemplar.review.decided.v1", "exemplar.publication.published.v1"]


async def test_one_trace_covers_a_nomination_from_submitted_to_published(cluster, token):
    nomination, review = cluster["nomination"], cluster["review"]
    publication, reporting = cluster["publication"], cluster["reporting"]
    await eventually(reporting.app.state.replayer.current, what="the replay at start")
    sent = await _submitted_with_dossier(nomination, token)
    case_id = (await case_of(review, token, sent["id"]))["id"]
    await _post(review, token, f"/cases/{case_id}/appraisal", {
        "outcome": "appraised",
        "findings": [{"achievement": 0, "verdict": "verified", "note": "Đã xác minh tại ấp"}],
        "facts": {"disciplined": False, "under_investigation": False}})
    # Posting and the council are the full path's to prove: here the case has been voted on.
    await arrange(review, case_id, status="voted", council_result="passed")
    decision = await _post(review, token, "/decisions", {
        "number": "126/QĐ-UBND", "signed_on": today().isoformat(),
        "items": [{"case_id": case_id, "grant": True}]}, expect=201)
    await _post(review, token, f"/decisions/{decision['id']}/apply", who=CHAIR)
    stories = await stories_of(publication, token, sent["id"])
    portal = next(s for s in stories if s["channel_id"] == "portal-guong-dien-hinh")
    await to_published(publication, token, portal, PORTAL_EDITOR)

    entries: list[dict] = []

    async def every_step() -> bool:
        response = await reporting.client.get(f"/nominations/{sent['id']}/timeline",
                                               headers=auth(token(OFFICE)))
        entries[:] = response.json() if response.status_code == 200 else []
        return [e["type"] for e in entries] == STEPS

    await eventually(every_step, what="every step on the timeline")
    traces = [(e["type"], e["trace_id"]) for e in entries]
    assert len({trace_id for _, trace_id in traces}) == 1 and entries[0]["trace_id"], traces
