"""A radio slot's reading times and the window of scheduled time it broadcasts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from exemplar.clock import VIETNAM
from exemplar.errors import RuleViolation
from exemplar.profile.models import Channel
from publication.radio.rundown import (
    check_request,
    parse_slot,
    reading_seconds,
    slot_window,
    slots_of,
    within_budget,
    word_count,
)
from publication.radio.script import ordinal, sentence, spoken_time

DAY = date(2025, 1, 16)
MORNING, EVENING = time(5, 30), time(17, 30)


def channel(slots: list[str]) -> Channel:
    return Channel(id="radio-dak-o", name="Trạm truyền thanh xã Đắk Ơ", kind="commune_radio",
                   unit="tth-dak-o", slots=slots)


def vn(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), VIETNAM)


def test_vietnamese_words_are_counted_by_syllable():
    assert word_count("Bà Nguyễn Thị Hoa (UBND xã Đắk Ơ)\nđược công nhận") == 11
    assert word_count("Thành tích:\n- Vận động 40 hộ – chuyển đổi") == 8
    assert word_count("  ") == 0


@pytest.mark.parametrize(("words", "rate", "seconds"), [
    (160, 160, 60), (80, 160, 30), (1, 160, 1), (161, 160, 61), (0, 160, 0), (200, 100, 120),
])
def test_reading_time_is_words_at_the_rate_rounded_up_to_the_second(words, rate, seconds):
    assert reading_seconds(words, rate) == seconds


def test_slots_are_read_sorted_and_malformed_ones_are_ignored():
    assert slots_of(channel(["17:30", "05:30", "25:00", "5h"])) == [MORNING, EVENING]
    assert parse_slot("05:30") == MORNING
    assert parse_slot("5:30") is None and parse_slot("24:00") is None


def test_evening_slot_takes_everything_since_the_morning_one():
    assert slot_window([MORNING, EVENING], DAY, EVENING) == (vn(DAY, 5, 30), vn(DAY, 17, 30))


def test_first_slot_of_the_day_takes_the_night_since_yesterday_evening():
    start, end = slot_window([MORNING, EVENING], DAY, MORNING)
    assert (start, end) == (vn(date(2025, 1, 15), 17, 30), vn(DAY, 5, 30))


def test_a_single_daily_slot_takes_the_whole_day_before_it():
    assert slot_window([time(6)], DAY, time(6)) == (vn(date(2025, 1, 15), 6), vn(DAY, 6))


def test_the_windows_of_consecutive_slots_meet_without_overlap():
    slots = [MORNING, time(11), EVENING]
    windows = [slot_window(slots, DAY, s) for s in slots]
    assert [w[1] for w in windows[:-1]] == [w[0] for w in windows[1:]]


def test_rerun_takes_items_in_order_while_each_still_fits():
    assert within_budget([200, 300, 200, 50], 600) == [0, 1, 3]
    assert within_budget([700, 100], 600) == [1]
    assert within_budget([], 600) == []


def test_an_unknown_slot_or_a_far_date_is_refused_in_vietnamese():
    radio = channel(["05:30", "17:30"])
    assert check_request(radio, DAY, "17:30", today=DAY) == EVENING
    with pytest.raises(RuleViolation) as unknown:
        check_request(radio, DAY, "06:00", today=DAY)
    assert "05:30, 17:30" in unknown.value.fields["slot"]
    assert "không có buổi phát" in unknown.value.detail
    for far in (date(1, 1, 1), DAY - timedelta(days=401), DAY + timedelta(days=401)):
        with pytest.raises(RuleViolation) as refused:
            check_request(radio, far, "05:30", today=DAY)
        assert refused.value.fields["date"] == "phải trong vòng 400 ngày kể từ hôm nay"
    for near in (DAY - timedelta(days=400), DAY + timedelta(days=400)):
        assert check_request(radio, near, "05:30", today=DAY) == MORNING


def test_the_script_speaks_times_and_numbers_the_items():
    assert spoken_time(MORNING) == "5 giờ 30 phút" and spoken_time(time(17)) == "17 giờ"
    assert [ordinal(n) for n in (1, 4, 12)] == ["thứ nhất", "thứ tư", "thứ 12"]
    assert sentence("Gương sáng ") == "Gương sáng." and sentence("Vì sao?") == "Vì sao?"
