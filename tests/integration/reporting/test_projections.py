"""The same events give the same figures however they come: resent, reversed, shuffled, or
handled at once by different consumers."""

from __future__ import annotations

import random
import uuid

import pytest

from exemplar.events import Envelope

from .steps import (
    ALL_EVENTS,
    OFFICE,
    decided,
    envelope_of,
    escalated,
    get,
    nominee,
    published,
    revoked,
    send,
    settled,
    story_withdrawn,
    submitted,
    withdrawn,
)
from .test_quotas import scripted_year
from .views import figures, fresh_reporting, rows


def in_order(envelopes: list[Envelope]) -> list[Envelope]:
    return list(envelopes)


def each_twice(envelopes: list[Envelope]) -> list[Envelope]:
    return [e for envelope in envelopes for e in (envelope, envelope)]


def reversed_order(envelopes: list[Envelope]) -> list[Envelope]:
    return envelopes[::-1]


def shuffled(envelopes: list[Envelope]) -> list[Envelope]:
    out = list(envelopes)
    random.Random(2024).shuffle(out)
    return out


async def run(start_service, service_databases, nats_server, token,
              envelopes: list[Envelope]) -> tuple[dict, dict]:
    """Figures and rows of a fresh service fed these envelopes, in this order."""
    async with fresh_reporting(start_service, service_databases, nats_server.url,
                               token) as reporting:
        await send(nats_server.url, *envelopes)
        await settled(nats_server.url, *ALL_EVENTS)
        return await figures(reporting, token(OFFICE)), await rows(reporting.runtime)


def test_the_scripted_year_is_not_the_same_reversed_or_shuffled():
    # otherwise the orders below would prove nothing
    envelopes = [envelope_of(e) for e in scripted_year()]
    assert reversed_order(envelopes) != envelopes != shuffled(envelopes)


async def test_figures_of_the_scripted_year_in_order(start_service, service_databases,
                                                    nats_server, token):
    envelopes = [envelope_of(e) for e in scripted_year()]
    seen, _ = await run(start_service, service_databases, nats_server, token, envelopes)
    assert seen["quotas"]["summary"] == {"met": 5, "at_risk": 16, "missed": 0}
    assert seen["quotas_after"]["summary"] == {"met": 5, "at_risk": 0, "missed": 16}
    totals = seen["dashboard"]["totals"]
    # 10 nominations of 2024, one withdrawn; 8 recognised, one of them revoked, one rejected;
    # 5 publicised; 1 escalated (the other revoked); 7 stories up: two of one exemplar on
    # two channels, one of the rejected nomination
    assert totals == {"submitted": 9, "withdrawn": 1, "commended": 7, "rejected": 1,
                      "revoked": 1, "publicised": 5, "escalated": 1, "stories": 7}
    assert seen["dashboard"]["exemplars_by_field"] == [
        {"id": "kinh_te", "name": "Kinh tế", "count": 7}]
    channels = {c["channel_id"]: (c["stories"], c["exemplars"])
                for c in seen["dashboard"]["publications_by_channel"]}
    assert channels == {"portal-guong-dien-hinh": (3, 2), "radio-binh-thang": (1, 1),
                        "radio-huyen": (1, 1), "zalo-huyen": (2, 2)}
    assert seen["dashboard_2023"]["totals"]["commended"] == 1
    assert seen["exemplars"] == [{"field_id": "kinh_te", "field_name": "Kinh tế",
                                  "by_year": {"2023": 1, "2024": 7}, "total": 8}]
    assert {c["unit_id"]: c["submitted"] for c in seen["counts"]} == {
        "xa-dak-o": 1, "tth-binh-thang": 1, "phong-vhtt": 1, "cty-cao-su-phu-nghia": 2,
        "phong-gddt": 1, "hoi-phu-nu": 1, "ttyt-huyen": 1, "huyen-doan": 1, "xa-da-kia": 1}
    assert seen["counts_2023"] == [{"unit_id": "phong-tckh", "unit_name":
                                    "Phòng Tài chính – Kế hoạch", "year": 2023,
                                    "submitted": 1}]


@pytest.mark.parametrize("deliver", [each_twice, reversed_order, shuffled],
                         ids=["each-twice", "reversed", "shuffled"])
async def test_the_same_events_in_any_order_or_twice_give_the_same_figures(
        start_service, service_databases, nats_server, token, deliver):
    envelopes = [envelope_of(e) for e in scripted_year()]
    expected, expected_rows = await run(start_service, service_databases, nats_server,
                                        token, in_order(envelopes))
    seen, seen_rows = await run(start_service, service_databases, nats_server, token,
                                deliver(envelopes))
    assert seen == expected
    assert seen_rows["tally"] == expected_rows["tally"]
    assert all(count > 0 for *_, count in seen_rows["tally"])


def busy_nominations(count: int) -> tuple[list, dict[str, int]]:
    """Many nominations, each with several events sent close together, and what the
    dashboard must show for them."""
    events: list = []
    expected = dict.fromkeys(("submitted", "withdrawn", "commended", "rejected", "revoked",
                              "publicised", "escalated", "stories"), 0)
    units = ["xa-dak-o", "xa-phu-nghia", "phong-vhtt", "hoi-nong-dan"]
    for i in range(count):
        unit = units[i % len(units)]
        nomination = submitted(unit_id=unit, unit_name=unit,
                               nominee=nominee(name=f"Người thứ {i}"))
        decision = decided(nomination)
        kind = i % 5
        if kind == 0:  # recognised, on two channels, selected for the province
            stories = [published(decision), published(decision, "radio-huyen", "radio")]
            events += [nomination, decision, *stories, escalated(decision)]
            expected.update(submitted=expected["submitted"] + 1,
                            commended=expected["commended"] + 1,
                            publicised=expected["publicised"] + 1,
                            escalated=expected["escalated"] + 1,
                            stories=expected["stories"] + 2)
        elif kind == 1:  # published, then revoked and taken down
            story = published(decision)
            events += [nomination, decision, story, escalated(decision), revoked(decision),
                       story_withdrawn(story)]
            expected.update(submitted=expected["submitted"] + 1,
                            revoked=expected["revoked"] + 1)
        elif kind == 2:  # rejected
            events += [nomination, decided(nomination, outcome="rejected", award=None,
                                           award_name=None)]
            expected.update(submitted=expected["submitted"] + 1,
                            rejected=expected["rejected"] + 1)
        elif kind == 3:  # withdrawn
            events += [nomination, withdrawn(nomination)]
            expected.update(withdrawn=expected["withdrawn"] + 1)
        else:  # recognised, one story up and one taken down
            story = published(decision, "zalo-huyen", "zalo")
            events += [nomination, decision, published(decision), story,
                       story_withdrawn(story)]
            expected.update(submitted=expected["submitted"] + 1,
                            commended=expected["commended"] + 1,
                            publicised=expected["publicised"] + 1,
                            stories=expected["stories"] + 1)
    return events, expected


async def test_events_of_many_nominations_handled_at_once_give_exact_totals(
        reporting, token):
    """Every event type has its own consumer: a nomination's decision, stories, escalation
    and revocation are handled at the same time, each reading what the others wrote."""
    nats_url = reporting.runtime.settings.nats_url
    events, expected = busy_nominations(80)
    assert len(events) == 320
    # interleaved: each nomination's events are sent together, newest kind first, so
    # the consumers of different event types race on the same nominations
    await send(nats_url, *sorted(events, key=lambda e: (type(e).__name__, str(uuid.uuid4()))
                                 )[::-1])
    await settled(nats_url, *ALL_EVENTS)
    dashboard = await get(reporting, "/dashboard", token(OFFICE), year=2024)
    assert dashboard["totals"] == expected
    lines = {line["unit_id"]: line["achieved"] for line in dashboard["quotas"]["lines"]}
    assert lines["xa-dak-o"] == lines["phong-vhtt"] == 8  # kinds 0 and 4: 4 each
    assert lines["ubnd-huyen"] == expected["escalated"] == 16
    stored = await rows(reporting.runtime)
    assert all(count > 0 for *_, count in stored["tally"])


async def test_a_nominations_events_sent_all_at_once_many_times_count_once(reporting, token):
    nats_url = reporting.runtime.settings.nats_url
    events, expected = busy_nominations(20)
    envelopes = [envelope_of(e) for e in events]
    # every event five times, all types interleaved: the consumers race on each nomination
    await send(nats_url, *[e for _ in range(5) for e in shuffled(envelopes)])
    await settled(nats_url, *ALL_EVENTS)
    assert (await get(reporting, "/dashboard", token(OFFICE), year=2024))["totals"] == \
        expected
