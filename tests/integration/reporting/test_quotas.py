"""A scripted year through the stream gives exactly the expected quota table."""

from __future__ import annotations

from datetime import UTC, date, datetime

from .steps import (
    ALL_EVENTS,
    OFFICE,
    decided,
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
from .steps import (
    decision as decision_ref,
)

PUBLICISED_BY = {"xa-dak-o", "xa-binh-thang", "phong-vhtt", "cty-cao-su-phu-nghia"}
OWING = {
    "phong-noi-vu", "phong-vhtt", "phong-tckh", "phong-gddt", "phong-nnptnt", "ttyt-huyen",
    "huyen-doan", "hoi-phu-nu", "hoi-nong-dan", "hoi-cuu-chien-binh", "ldld-huyen",
    "cty-cao-su-phu-nghia", "xa-binh-thang", "xa-bu-gia-map", "xa-da-kia", "xa-dak-o",
    "xa-duc-hanh", "xa-phu-nghia", "xa-phu-van", "xa-phuoc-minh"}


def scripted_year() -> list:
    """2024 in Bù Gia Mập: who publicised an exemplar, and who only seemed to."""
    events: list = []

    def exemplar(unit_id: str, unit_kind: str, *, name: str):
        nomination = submitted(unit_id=unit_id, unit_name=unit_id, unit_kind=unit_kind,
                               nominee=nominee(name=name))
        decision = decided(nomination)
        events.extend([nomination, decision])
        return nomination, decision

    _, dak_o = exemplar("xa-dak-o", "commune", name="a")
    events.append(published(dak_o))
    events.append(escalated(dak_o))
    # a commune's radio station nominates: the commune's line counts it
    _, station = exemplar("tth-binh-thang", "commune_radio", name="b")
    events.append(published(station, "radio-binh-thang", "commune_radio"))
    # two channels, one exemplar
    _, vhtt = exemplar("phong-vhtt", "agency", name="c")
    events += [published(vhtt), published(vhtt, "radio-huyen", "radio")]
    # an enterprise with two
    for name in ("d", "e"):
        _, rubber = exemplar("cty-cao-su-phu-nghia", "enterprise", name=name)
        events.append(published(rubber, "zalo-huyen", "zalo"))
    # published, then taken down: no longer publicised
    _, gddt = exemplar("phong-gddt", "agency", name="f")
    story = published(gddt, "site-gddt", "unit_site")
    events += [story, story_withdrawn(story, "Sai sót trong bài")]
    # revoked after publication and selection for the province: counts for neither
    _, women = exemplar("hoi-phu-nu", "mass_organisation", name="g")
    story = published(women)
    events += [story, escalated(women), revoked(women), story_withdrawn(story)]
    # recognised, never published
    exemplar("ttyt-huyen", "agency", name="h")
    # rejected, yet a story went out (a good deed, say): not an exemplar publicised
    nomination = submitted(unit_id="huyen-doan", unit_name="Huyện đoàn",
                           unit_kind="mass_organisation")
    rejected = decided(nomination, outcome="rejected", award=None, award_name=None)
    events += [nomination, rejected, published(rejected)]
    # withdrawn by its unit
    nomination = submitted(unit_id="xa-da-kia", unit_name="UBND xã Đa Kia")
    events += [nomination, withdrawn(nomination)]
    # another year does not count for 2024
    nomination = submitted(unit_id="phong-tckh", unit_name="Phòng TC-KH", unit_kind="agency",
                           year=2023)
    events += [nomination, decided(nomination), published(decided(nomination))]
    return events


async def test_a_scripted_year_gives_the_expected_quota_table(reporting, token):
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, *scripted_year())
    await settled(nats_url, *ALL_EVENTS)
    office = token(OFFICE)

    before = await get(reporting, "/quotas", office, year=2024, on="2024-11-01")
    units = {line["unit_id"]: line for line in before["lines"] if line["quota"] == "publicised"}
    assert set(units) == OWING
    assert {u for u, line in units.items() if line["status"] == "met"} == PUBLICISED_BY
    assert {u for u, line in units.items() if line["status"] == "at_risk"} == \
        OWING - PUBLICISED_BY
    assert units["cty-cao-su-phu-nghia"]["achieved"] == 2
    assert units["phong-vhtt"]["achieved"] == 1
    assert units["xa-binh-thang"]["achieved"] == 1
    assert units["phong-gddt"]["achieved"] == units["hoi-phu-nu"]["achieved"] == 0
    assert "còn 44 ngày đến hạn 15/12/2024" in units["ttyt-huyen"]["rule"]
    [district] = [line for line in before["lines"] if line["quota"] == "escalated"]
    assert (district["unit_id"], district["achieved"], district["status"]) == \
        ("ubnd-huyen", 1, "met")
    assert before["summary"] == {"met": 5, "at_risk": 16, "missed": 0}

    after = await get(reporting, "/quotas", office, year=2024, on="2024-12-16")
    statuses = {line["unit_id"]: line["status"] for line in after["lines"]
                if line["quota"] == "publicised"}
    assert {u for u, s in statuses.items() if s == "missed"} == OWING - PUBLICISED_BY
    assert after["summary"] == {"met": 5, "at_risk": 0, "missed": 16}
    assert "Không đạt: 0/1" in next(line["rule"] for line in after["lines"]
                                    if line["unit_id"] == "hoi-phu-nu")


async def test_an_exemplar_counts_for_the_year_and_day_it_was_publicised(reporting, token):
    """A 2024 title decided in January 2025 and published in February counts for 2025's
    quota, from that day on; an escalation counts from the day it was sent."""
    late = submitted(unit_id="ttyt-huyen", unit_name="TTYT", unit_kind="agency")
    decision = decided(late, decision=decision_ref("12/QĐ-UBND", date(2025, 1, 10)))
    story = published(decision, published_at=datetime(2025, 2, 5, 2, 0, tzinfo=UTC))
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, late, decision, story,
               escalated(decision, escalated_on=date(2025, 3, 1)))
    await settled(nats_url, *ALL_EVENTS)
    office = token(OFFICE)

    def line(table, unit_id):
        return next(x for x in table["lines"] if x["unit_id"] == unit_id)

    in_2024 = await get(reporting, "/quotas", office, year=2024, on="2024-12-16")
    assert (line(in_2024, "ttyt-huyen")["status"], line(in_2024, "ubnd-huyen")["status"]) \
        == ("missed", "missed")
    before = await get(reporting, "/quotas", office, year=2025, on="2025-02-04")
    assert line(before, "ttyt-huyen")["achieved"] == 0
    after = await get(reporting, "/quotas", office, year=2025, on="2025-02-05")
    assert (line(after, "ttyt-huyen")["achieved"], line(after, "ttyt-huyen")["status"]) \
        == (1, "met")
    assert line(after, "ubnd-huyen")["achieved"] == 0  # sent on 1 March
    march = await get(reporting, "/quotas", office, year=2025, on="2025-03-01")
    assert line(march, "ubnd-huyen")["achieved"] == 1
