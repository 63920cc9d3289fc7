"""The Prometheus view of a simulated cloud: counters, grid, label index, value format."""

import math

import pytest

from watcher.simulator.apps import cumulative
from watcher.simulator.apps.prom_series import SCRAPE_INTERVAL, PrometheusStore
from watcher.simulator.apps.prometheus import format_time, format_value
from watcher.simulator.apps.promql import Matcher
from watcher.simulator.scenario.loader import load
from watcher.simulator.state import CloudState

SCENARIO = {
    "clock": {"start": "2026-01-01T00:00:00Z"},
    "compute": {
        "flavors": [{"name": "m1", "vcpus": 2, "ram": 2048, "disk": 20},
                    {"name": "m1.tiny", "vcpus": 1, "ram": 512, "disk": 1}],
        "hypervisors": [{"name": "cn1", "vcpus": 2, "memory_mb": 4096, "disk_gb": 100},
                        {"name": "cn2", "vcpus": 2, "memory_mb": 4096, "disk_gb": 100}],
        "servers": [{"name": "vm1", "flavor": "m1", "host": "cn1"}],
    },
    "metrics": {"servers": {"vm1": {"cpu_util": {"constant": 60.0}}}},
}


@pytest.fixture
def state() -> CloudState:
    cloud = CloudState(load(SCENARIO))
    cloud.clock.speed = 1e-6
    cloud.clock.advance(3600)
    return cloud


def _eq(name: str, value: str) -> Matcher:
    return Matcher.make(name, "=", value)


def test_idle_counter_grows_by_the_idle_share(state):
    store = PrometheusStore(state)
    now = state.clock.now()
    found = store.select([_eq("__name__", "node_cpu_seconds_total"), _eq("fqdn", "cn1"),
                          _eq("mode", "idle")], now - 600, now)
    assert [labels["cpu"] for labels, _ in found] == ["0", "1"]
    points = found[0][1]
    assert len(points) == 10
    assert all(t % SCRAPE_INTERVAL == 0 and now - 600 < t <= now for t, _ in points)
    # vm1 fills cn1 (2 of 2 vCPUs) at 60 %: each CPU is idle 40 % of every second.
    steps = [b[1] - a[1] for a, b in zip(points, points[1:], strict=False)]
    assert steps == pytest.approx([0.4 * SCRAPE_INTERVAL] * 9)
    # Modes of one CPU add up to one second per second.
    total = 0.0
    for mode in ("idle", "user", "system"):
        window = store.select([_eq("__name__", "node_cpu_seconds_total"), _eq("fqdn", "cn1"),
                               _eq("cpu", "0"), _eq("mode", mode)], now - 120, now)[0][1]
        total += window[-1][1] - window[0][1]
    assert total == pytest.approx(SCRAPE_INTERVAL)


def test_counter_starts_from_zero_before_the_scenario(state):
    store = PrometheusStore(state)
    oldest = state.clock.start - cumulative.UPTIME
    matchers = [_eq("__name__", "ceilometer_cpu")]
    first = store.select(matchers, oldest - 600, oldest + 600)[0][1]
    assert first[0][0] >= oldest
    assert first[0][1] == pytest.approx(0.0, abs=1e-3)
    assert all(b > a for (_, a), (_, b) in zip(first, first[1:], strict=False))
    assert store.select(matchers, oldest - 7200, oldest - 3600)[0][1] == []
    later = store.select(matchers, state.clock.now() + 60, state.clock.now() + 600)[0][1]
    assert later == []  # no samples from the future


def test_migration_rebuilds_the_counter(state):
    store = PrometheusStore(state)
    matchers = [_eq("__name__", "node_cpu_seconds_total"), _eq("fqdn", "cn2"),
                _eq("cpu", "0"), _eq("mode", "idle")]
    now = state.clock.now()

    def idle_rate() -> float:
        points = store.select(matchers, now - 300, now)[0][1]
        return (points[-1][1] - points[0][1]) / (points[-1][0] - points[0][0])

    assert idle_rate() == pytest.approx(1.0)
    with state.lock:
        state.move_server(state.servers_by_name["vm1"], "cn2")
    assert idle_rate() == pytest.approx(0.4)


def test_resize_changes_the_instance_cpu_rate(state):
    store = PrometheusStore(state)
    server = state.servers_by_name["vm1"]
    matchers = [_eq("__name__", "ceilometer_cpu"), _eq("resource", server.id)]
    now = state.clock.now()

    def nanoseconds_per_second() -> float:
        points = store.select(matchers, now - 300, now)[0][1]
        return (points[-1][1] - points[0][1]) / (points[-1][0] - points[0][0])

    assert nanoseconds_per_second() == pytest.approx(0.6 * 2 * 1e9)
    tiny = next(f for f in state.flavors.values() if f.name == "m1.tiny")
    with state.lock:
        state.move_server(server, "cn1", flavor=tiny)
    assert nanoseconds_per_second() == pytest.approx(0.6 * 1e9)


def test_matching_by_index_and_regex(state):
    store = PrometheusStore(state)
    memory = store.matching([_eq("__name__", "node_memory_MemTotal_bytes"),
                             Matcher.make("fqdn", "=~", "cn[12]")])
    assert sorted(labels["fqdn"] for labels, _ in memory) == ["cn1", "cn2"]
    assert store.matching([_eq("__name__", "node_memory_MemTotal_bytes"),
                           _eq("fqdn", "cn3")]) == []
    server = state.servers_by_name["vm1"]
    usage = store.matching([_eq("__name__", "ceilometer_memory_usage"),
                            _eq("resource", server.id)])
    assert usage[0][0]["resource_name"] == "vm1"
    assert "fqdn" in store.label_names() and "resource" in store.label_names()
    targets = store.targets()
    assert [labels.get("fqdn") for labels, _, _ in targets] == ["cn1", "cn2", None]


@pytest.mark.parametrize("value,text", [
    (1.0, "1"), (0.5, "0.5"), (1e16, "10000000000000000"), (1.5e-7, "0.00000015"),
    (math.nan, "NaN"), (math.inf, "+Inf"), (-math.inf, "-Inf"), (-2.25, "-2.25"),
])
def test_value_format_matches_go(value, text):
    assert format_value(value) == text


def test_time_format():
    assert format_time(1767225600.0) == 1767225600
    assert format_time(1767225600.1234) == 1767225600.123
