"""Units short of a quota are warned (`quota_at_risk`) from each of the profile's warning days
until the report is due, once per unit, quota and period; a unit that has it is not."""

from __future__ import annotations

from datetime import date

from exemplar.testing import eventually
from reporting.quotas.service import warn_at_risk

from ..helpers import stream_events
from .steps import ALL_EVENTS, decided, published, send, settled, submitted
from .test_quotas import OWING, PUBLICISED_BY, scripted_year

AT_RISK = "exemplar.reporting.quota_at_risk.v1"


async def warn(reporting, on: date) -> list:
    runtime = reporting.runtime
    async with runtime.uow() as uow:
        return await warn_at_risk(uow, runtime.profile, on=on)


async def warnings_on_stream(reporting) -> list[dict]:
    """Every warning on the stream, once the service has sent all it has written."""
    runtime = reporting.runtime
    await eventually(lambda: _all_sent(runtime), what="outbox sent")
    return [e["data"] | {"subject": e["subject"]}
            for e in await stream_events(runtime.settings.nats_url, AT_RISK)]


async def _all_sent(runtime) -> bool:
    return await runtime.relay.pending() == 0


async def scripted(reporting) -> None:
    nats_url = reporting.runtime.settings.nats_url
    await send(nats_url, *scripted_year())
    await settled(nats_url, *ALL_EVENTS)


async def test_no_warning_before_the_first_warning_day(reporting):
    await scripted(reporting)
    assert await warn(reporting, date(2024, 10, 14)) == []
    assert await warn(reporting, date(2024, 1, 1)) == []
    assert await warnings_on_stream(reporting) == []


async def test_each_unit_short_of_its_quota_is_warned_once_in_a_period(reporting):
    await scripted(reporting)
    short = OWING - PUBLICISED_BY
    warned = await warn(reporting, date(2024, 10, 15))
    assert {line.unit_id for line in warned} == short

    sent = await warnings_on_stream(reporting)
    assert sorted(w["unit_id"] for w in sent) == sorted(short)  # one each
    ttyt = next(w for w in sent if w["unit_id"] == "ttyt-huyen")
    assert ttyt == {"unit_id": "ttyt-huyen", "unit_name": "Trung tâm Y tế huyện Bù Gia Mập",
                    "year": 2024, "quota": "publicised", "required": 1, "achieved": 0,
                    "due_on": "2024-12-15", "subject": "ttyt-huyen"}
    assert {(w["required"], w["achieved"], w["due_on"]) for w in sent} == \
        {(1, 0, "2024-12-15")}
    # units that met it, and the district that sent one to the province, are not warned
    assert not {w["unit_id"] for w in sent} & (PUBLICISED_BY | {"ubnd-huyen"})

    # the next day, and any day of the same period: nothing more
    assert await warn(reporting, date(2024, 10, 16)) == []
    assert await warn(reporting, date(2024, 11, 14)) == []
    assert len(await warnings_on_stream(reporting)) == len(short)


async def test_a_new_period_warns_those_still_short_again(reporting):
    await scripted(reporting)
    await warn(reporting, date(2024, 10, 15))
    # ttyt-huyen's exemplar is publicised in between
    nats_url = reporting.runtime.settings.nats_url
    ttyt = submitted(unit_id="ttyt-huyen", unit_name="TTYT", unit_kind="agency")
    await send(nats_url, ttyt, decided(ttyt), published(decided(ttyt)))
    await settled(nats_url, *ALL_EVENTS)

    warned = await warn(reporting, date(2024, 11, 15))
    assert {line.unit_id for line in warned} == OWING - PUBLICISED_BY - {"ttyt-huyen"}
    assert await warn(reporting, date(2024, 11, 20)) == []
    sent = await warnings_on_stream(reporting)
    assert sum(1 for w in sent if w["unit_id"] == "ttyt-huyen") == 1
    assert sum(1 for w in sent if w["unit_id"] == "hoi-phu-nu") == 2


async def test_no_warning_once_the_report_is_due(reporting):
    await scripted(reporting)
    assert await warn(reporting, date(2024, 12, 16)) == []
    assert await warnings_on_stream(reporting) == []


async def test_a_district_that_sent_none_to_the_province_is_warned(reporting):
    warned = await warn(reporting, date(2024, 12, 1))
    assert len(warned) == len(OWING) + 1
    sent = await warnings_on_stream(reporting)
    [district] = [w for w in sent if w["quota"] == "escalated"]
    assert district == {"unit_id": "ubnd-huyen", "unit_name": "UBND huyện Bù Gia Mập",
                        "year": 2024, "quota": "escalated", "required": 1, "achieved": 0,
                        "due_on": "2024-12-15", "subject": "ubnd-huyen"}
