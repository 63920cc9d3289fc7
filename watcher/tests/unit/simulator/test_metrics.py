import pytest

from watcher.simulator import metrics
from watcher.simulator.scenario.loader import load
from watcher.simulator.state import CloudState


def _state(extra_metrics: dict, baremetal: dict | None = None) -> CloudState:
    doc = {
        "clock": {"start": 0},
        "compute": {
            "hypervisors": [{"name": "cmp1", "vcpus": 10, "memory_mb": 10240, "disk_gb": 100,
                             "power": {"idle_watts": 100, "max_watts": 300}},
                            {"name": "cmp2", "vcpus": 10, "memory_mb": 10240, "disk_gb": 100}],
            "flavors": [{"name": "f", "vcpus": 2, "ram": 1024, "disk": 1}],
            "servers": [{"name": "vm1", "flavor": "f", "host": "cmp1"},
                        {"name": "vm2", "flavor": "f", "host": "cmp1"}],
        },
        "metrics": extra_metrics,
    }
    if baremetal:
        doc["baremetal"] = baremetal
    return CloudState(load(doc))


def test_host_load_is_sum_of_servers_and_follows_moves():
    state = _state({"servers": {"vm1": {"cpu_util": {"constant": 50}},
                                "vm2": {"cpu_util": {"constant": 25}}}})
    # 2 vcpus at 50% + 2 vcpus at 25% on a 10-vcpu host
    assert state.metrics.host_value("cmp1", "cpu_util", 0) == pytest.approx(15.0)
    assert state.metrics.host_value("cmp1", "power", 0) == pytest.approx(130.0)
    state.move_server(state.servers_by_name["vm1"], "cmp2")
    assert state.metrics.host_value("cmp1", "cpu_util", 0) == pytest.approx(5.0)
    assert state.metrics.host_value("cmp2", "cpu_util", 0) == pytest.approx(10.0)


def test_outlet_temperature_follows_power_and_airflow():
    state = _state({"hosts": {"cmp1": {"power": {"constant": 200}, "inlet_temp": {"constant": 20},
                                       "airflow": {"constant": 50}}}})
    assert state.metrics.host_value("cmp1", "outlet_temp", 0) == pytest.approx(32.0)


def test_powered_off_node_draws_nothing():
    state = _state({}, {"nodes": [{"name": "bm1", "hypervisor": "cmp1", "power_state": "off"}]})
    assert state.metrics.host_value("cmp1", "power", 0) == 0.0
    assert state.compute_services["cmp1"].state == "down"
    assert state.metrics.host_value("cmp2", "power", 0) > 0


def test_random_walk_is_seeded_bounded_and_order_independent():
    spec = {"random_walk": {"mean": 50, "stddev": 30, "min": 10, "max": 90, "step": 60}}
    first = metrics.build_series(spec, "server:x:cpu_util", 7, str)
    second = metrics.build_series(spec, "server:x:cpu_util", 7, str)
    late = first.value_at(60 * 1000)
    values = [second.value_at(60 * i) for i in range(1001)]
    assert values[-1] == late
    assert all(10 <= v <= 90 for v in values)
    assert len(set(values)) > 100
    other = metrics.build_series(spec, "server:y:cpu_util", 7, str)
    assert [other.value_at(60 * i) for i in range(10)] != values[:10]


def test_trace_rows_by_name_index_and_hash(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("# header\na,1,2,3\nb,10,20,30\n")
    series = metrics.build_series({"trace": {"file": str(path), "row": "b", "step": 300}},
                                  "k", 0, str)
    assert [series.value_at(t) for t in (0, 299, 300, 600, 900)] == [10, 10, 20, 30, 10]
    assert metrics.load_trace(str(path), 0) == [1, 2, 3]
    picked = {tuple(metrics.load_trace(str(path), "*", f"key{i}")) for i in range(20)}
    assert picked == {(1, 2, 3), (10, 20, 30)}
    with pytest.raises(KeyError):
        metrics.load_trace(str(path), "zzz")


def test_planetlab_trace_loads():
    values = metrics.load_trace("/work/shared/data/planetlab/20110303.csv", 0)
    assert len(values) == 288


def test_series_over_a_range():
    state = _state({"servers": {"vm1": {"cpu_util": {"constant": 40}}}})
    server_id = state.servers_by_name["vm1"].id
    points = state.metrics.server_series(server_id, "cpu_util", 0, 600, 300)
    assert points == [(0, 40.0), (300, 40.0), (600, 40.0)]
    with pytest.raises(KeyError):
        state.metrics.server_value(server_id, "power")
