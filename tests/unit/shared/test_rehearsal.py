"""The rehearsal calendar: one shift for every process, kept in the data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest

from exemplar import clock
from exemplar.embedded import Child
from exemplar.events import wrap
from exemplar.events.nomination import NominationWithdrawnV1
from exemplar.rehearsal import CalendarError, check_process, resolve


def test_the_shift_moves_today_now_and_event_times(monkeypatch):
    monkeypatch.setenv(clock.SHIFT_VARIABLE, str(clock.shift_to(date(2024, 12, 2))
                                                  .total_seconds()))
    assert clock.today() == date(2024, 12, 2)
    assert abs(clock.now() - datetime(2024, 12, 2, 1, 0, tzinfo=UTC)) < timedelta(minutes=1)
    event = NominationWithdrawnV1(nomination_id="n1", revision=1, unit_id="u", year=2024,
                                  reason="r", withdrawn_by="a")
    envelope = wrap(event, source="nomination", subject="n1", correlation_id="c")
    assert envelope.time.date() == date(2024, 12, 2)


def test_no_shift_is_the_real_calendar(monkeypatch):
    monkeypatch.delenv(clock.SHIFT_VARIABLE, raising=False)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_bad_shift_is_named(monkeypatch):
    monkeypatch.setenv(clock.SHIFT_VARIABLE, "hôm qua")
    with pytest.raises(ValueError, match="EXEMPLAR_CLOCK_SHIFT"):
        clock.today()


@pytest.mark.parametrize("raw", ["inf", "nan", "1e12", "-1e12"])
def test_an_absurd_shift_is_refused(monkeypatch, raw):
    monkeypatch.setenv(clock.SHIFT_VARIABLE, raw)
    with pytest.raises(ValueError, match="within 30 years"):
        clock.now()


def test_a_service_starts_shifted_only_in_a_rehearsals_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(clock.SHIFT_VARIABLE, raising=False)
    check_process(tmp_path)  # the real calendar in an ordinary folder
    monkeypatch.setenv(clock.SHIFT_VARIABLE, "-60000000")  # left in an environment file
    with pytest.raises(CalendarError, match="not a rehearsal's folder"):
        check_process(tmp_path)
    calendar = resolve(tmp_path, date(2024, 12, 2))
    with pytest.raises(CalendarError, match="from 2024-12-02"):
        check_process(tmp_path)  # another shift than the folder's
    monkeypatch.setenv(clock.SHIFT_VARIABLE, str(calendar.shift.total_seconds()))
    check_process(tmp_path)
    monkeypatch.delenv(clock.SHIFT_VARIABLE)
    with pytest.raises(CalendarError, match="start it with exemplar up"):
        check_process(tmp_path)  # `exemplar serve` by hand on the real clock


def test_a_damaged_calendar_is_named(tmp_path):
    (tmp_path / "calendar").write_text("2024-12")
    with pytest.raises(CalendarError, match="damaged"):
        resolve(tmp_path, None)


def test_the_folder_keeps_its_calendar(tmp_path):
    first = resolve(tmp_path, date(2024, 12, 2))
    assert first is not None and first.as_of == date(2024, 12, 2)
    # A restart without the option, or with the same day, goes on with the same shift.
    assert resolve(tmp_path, None) == first
    assert resolve(tmp_path, date(2024, 12, 2)) == first
    with pytest.raises(CalendarError, match="2024-12-02"):
        resolve(tmp_path, date(2025, 12, 2))


def test_a_folder_that_ran_on_the_real_calendar_refuses_a_rehearsal(tmp_path):
    assert resolve(tmp_path, None) is None
    (tmp_path / "nats.url").write_text("nats://127.0.0.1:4222")
    with pytest.raises(CalendarError, match="real calendar"):
        resolve(tmp_path, date(2024, 12, 2))
    assert not (tmp_path / "calendar").exists()


def test_a_dead_child_is_restarted_and_its_pid_file_follows(tmp_path):
    child = Child("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"],
                  tmp_path / "sleeper.log", None, tmp_path / "run").start()
    try:
        first = child.proc.pid
        assert (tmp_path / "run" / "sleeper.pid").read_text().strip() == str(first)
        assert child.restart_if_dead() is None
        child.proc.kill()
        child.proc.wait(timeout=10)
        said = child.restart_if_dead()
        assert said and "restarted" in said and str(child.proc.pid) in said
        assert child.proc.pid != first and child.proc.poll() is None
        assert (tmp_path / "run" / "sleeper.pid").read_text().strip() == str(child.proc.pid)
    finally:
        child.proc.kill()
        child.proc.wait(timeout=10)
        child.stop_file()
    assert not (tmp_path / "run" / "sleeper.pid").exists()


def test_a_child_that_keeps_dying_stops_everything(tmp_path):
    child = Child("crasher", [sys.executable, "-c", "raise SystemExit(3)"],
                  tmp_path / "crasher.log", None, tmp_path / "run").start()
    with pytest.raises(RuntimeError, match="crasher exited again after 5 restarts"):
        for _ in range(20):
            child.proc.wait(timeout=10)
            child.restart_if_dead()
    assert len(child.restarts) == 5


def test_exemplar_serve_says_why_it_will_not_start(tmp_path):
    env = {**os.environ, clock.SHIFT_VARIABLE: "-1000000", "VAR_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "exemplar.cli", "serve", "review", "--port",
                           "1"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "is not a rehearsal's folder" in done.stderr
