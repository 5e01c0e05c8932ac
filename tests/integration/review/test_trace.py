"""A case's events continue the trace of the submission that opened it: appraisal and the
chair's decision are requests of their own, yet the nomination keeps one trace."""

from __future__ import annotations

from ..traces import publish_traced, sent_in
from .helpers import arrange, case_of, submitted
from .test_appraisal import APPRAISED, RETURNED, appraise, form
from .test_decisions import DECIDED, apply, grant, prepared


async def test_appraisal_and_decision_events_carry_the_submissions_trace(review, token):
    url = review.runtime.settings.nats_url
    event = submitted()
    first_trace, first_span = await publish_traced(url, event, subject=event.nomination_id,
                                                   source="nomination")
    case = await case_of(review, token, event.nomination_id)
    returned = await appraise(review, token, case["id"], form(
        "returned", ("overstated", "verified"), reasons=["Số hộ bị kê khai quá thực tế"]))
    assert returned.status_code == 200, returned.text
    [(_, returned_in)] = await sent_in(url, RETURNED)
    assert returned_in[0] == first_trace
    assert returned_in[1] != first_span  # a span of its own in that trace

    # The resubmission is the trace the rest of the case continues.
    again = submitted(nomination_id=event.nomination_id, revision=2)
    trace, span = await publish_traced(url, again, subject=event.nomination_id,
                                       source="nomination")
    await case_of(review, token, event.nomination_id, revision=2, status="open")
    appraised = await appraise(review, token, case["id"], form())
    assert appraised.status_code == 200, appraised.text
    await arrange(review, case["id"], status="voted", council_result="passed")
    response = await apply(review, token, await prepared(review, token, [grant(case)]))
    assert response.status_code == 200, response.text

    [(appraisal, appraised_in)] = await sent_in(url, APPRAISED)
    [(decision, decided_in)] = await sent_in(url, DECIDED)
    assert appraisal["data"]["revision"] == decision["data"]["revision"] == 2
    assert appraised_in[0] == decided_in[0] == trace != first_trace
    assert len({span, appraised_in[1], decided_in[1]}) == 3
