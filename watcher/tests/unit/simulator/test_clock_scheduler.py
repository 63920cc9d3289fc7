import time

import pytest

from watcher.simulator.clock import Clock, parse_time
from watcher.simulator.scheduler import Scheduler


def test_clock_runs_at_speed_and_advances():
    clock = Clock(start=1000.0, speed=100.0)
    time.sleep(0.05)
    assert 1003.0 < clock.now() < 1100.0
    before = clock.now()
    clock.advance(3600)
    assert clock.now() - before >= 3600
    assert clock.real_seconds(500) == pytest.approx(5.0)


def test_clock_refuses_bad_input():
    with pytest.raises(ValueError):
        Clock(speed=0)
    with pytest.raises(ValueError):
        Clock().advance(-1)


def test_parse_time_and_isotime():
    stamp = parse_time("2026-01-01T00:00:00Z")
    assert Clock(start=stamp).isotime(stamp) == "2026-01-01T00:00:00Z"
    assert parse_time(12.5) == 12.5


def test_scheduler_runs_events_in_simulated_order():
    clock = Clock(start=0.0, speed=1.0)
    scheduler = Scheduler(clock)
    ran = []
    scheduler.after(120, lambda: ran.append("b"))
    scheduler.after(60, lambda: ran.append("a"))
    scheduler.after(600, lambda: ran.append("c"))
    assert scheduler.run_due() == 0
    clock.advance(200)
    assert scheduler.run_due() == 2
    assert ran == ["a", "b"]
    assert scheduler.pending == 1


def test_scheduler_thread_wakes_on_speed():
    clock = Clock(start=0.0, speed=1000.0)
    scheduler = Scheduler(clock)
    scheduler.start()
    try:
        done = []
        scheduler.after(50, lambda: done.append(clock.now()))
        deadline = time.monotonic() + 2
        while not done and time.monotonic() < deadline:
            time.sleep(0.01)
        assert done and done[0] >= 50
    finally:
        scheduler.stop()


def test_failing_event_does_not_stop_others():
    clock = Clock(start=0.0)
    scheduler = Scheduler(clock)
    ran = []
    scheduler.after(1, lambda: 1 / 0)
    scheduler.after(2, lambda: ran.append(True))
    clock.advance(5)
    assert scheduler.run_due() == 2
    assert ran == [True]
