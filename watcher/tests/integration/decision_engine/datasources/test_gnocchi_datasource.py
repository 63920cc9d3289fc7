"""The gnocchi datasource against the simulator's Gnocchi: values are the scenario's series,
a bulk read searches once, server errors are retried.

The simulator has no aggregates API (``POST /v1/aggregates``): the first bulk read of an audit
is refused there (one request) and the datasource reads metric by metric from then on."""

import datetime

import pytest

from watcher.decision_engine.datasources import gnocchi
from watcher.simulator.runner import Simulator
from watcher.tests.integration.decision_engine.datasources.conftest import (
    GNOCCHI,
    KEYSTONE,
    SCENARIO,
    instances,
    keystone_session,
    nodes,
)

pytestmark = pytest.mark.integration
# Thirty seconds into the 02:00 bucket, so the newest bucket holds the 02:00 poll.
NOW = 7200 + 30


@pytest.fixture(scope="module")
def sim():
    with Simulator.from_scenario(SCENARIO, apps=[KEYSTONE, GNOCCHI], speed=1e-6) as running:
        running.clock.advance(NOW)
        yield running


@pytest.fixture
def ds(sim, conf):
    return gnocchi.GnocchiHelper(session=keystone_session(sim), now=sim.clock.now)


def _bucket_start(sim) -> float:
    return sim.clock.start + 7200


def test_host_metrics_with_one_search(sim, ds):
    model_nodes = nodes(sim)
    at = _bucket_start(sim)
    metrics = sim.state.metrics
    before = sim.requests["metric"]
    cpu = ds.host_metric_all(model_nodes, "host_cpu_usage")
    # One search finds every host resource, the aggregates API is refused, then one
    # measures request per host.
    assert sim.requests["metric"] - before == 2 + len(model_nodes)
    for node in model_nodes:
        assert cpu[node.uuid] == pytest.approx(metrics.host_value(node.hostname, "cpu_util",
                                                                  at))
    assert cpu[model_nodes[0].uuid] == pytest.approx(15.0)
    power = ds.host_metric_all(model_nodes, "host_power")
    airflow = ds.host_metric_all(model_nodes, "host_airflow")
    ram = ds.host_metric_all(model_nodes, "host_ram_usage")
    # The host resources are known now: measures only.
    assert sim.requests["metric"] - before == 2 + 4 * len(model_nodes)
    for node in model_nodes:
        assert power[node.uuid] == pytest.approx(metrics.host_value(node.hostname, "power",
                                                                    at))
        assert airflow[node.uuid] == pytest.approx(metrics.host_value(node.hostname,
                                                                      "airflow", at))
        memory_mb = sim.state.hypervisors_by_name[node.hostname].memory_mb
        assert ram[node.uuid] == pytest.approx(
            metrics.host_value(node.hostname, "memory_util", at) / 100 * memory_mb * 1024)
    assert airflow[model_nodes[1].uuid] == pytest.approx(80.0)
    assert [ds.get_host_power(n) for n in model_nodes] == [power[n.uuid] for n in
                                                           model_nodes]
    assert sim.requests["metric"] - before == 2 + 4 * len(model_nodes)


def test_unknown_host_is_missing_and_searched_once(sim, ds):
    ghost = nodes(sim)[0]
    ghost.uuid, ghost.hostname = "ghost-uuid", "ghost"
    before = sim.requests["metric"]
    assert ds.host_metric_all([ghost], "host_cpu_usage") == {"ghost-uuid": None}
    assert ds.get_host_power(ghost) is None
    assert sim.requests["metric"] - before == 1


def test_instance_metrics(sim, ds):
    model_instances = instances(sim)
    before = sim.requests["metric"]
    cpu = ds.instance_metric_all(model_instances, "instance_cpu_usage")
    ram = ds.instance_metric_all(model_instances, "instance_ram_usage")
    disk = ds.instance_metric_all(model_instances, "instance_root_disk_size")
    # One search, the refused aggregates call, then one measures request per instance and
    # metric.
    assert sim.requests["metric"] - before == 2 + 3 * len(model_instances)
    by_name = {i.name: i for i in model_instances}
    assert cpu[by_name["vm1"].uuid] == pytest.approx(40.0)
    assert cpu[by_name["vm3"].uuid] == pytest.approx(80.0)
    assert ram[by_name["vm2"].uuid] == pytest.approx(1024.0)
    for instance in model_instances:
        assert disk[instance.uuid] == instance.disk
    walker = by_name["walker"]
    # The counter's rate over the newest bucket is the load of the poll interval before.
    previous = sim.state.metrics.server_value(walker.uuid, "cpu_util",
                                              _bucket_start(sim) - 300)
    assert cpu[walker.uuid] == pytest.approx(previous)
    assert ds.get_instance_ram_usage(by_name["vm2"]) == ram[by_name["vm2"].uuid]
    assert sim.requests["metric"] - before == 2 + 3 * len(model_instances)


def test_unsupported_cpu_aggregate_gives_no_value(sim, ds):
    vm1 = next(i for i in instances(sim) if i.name == "vm1")
    before = sim.requests["metric"]
    assert ds.get_instance_cpu_usage(vm1, aggregate="max") is None
    assert sim.requests["metric"] == before


def test_series_availability_and_metric_names(sim, ds):
    node = nodes(sim)[1]
    stop = sim.clock.datetime()
    series = ds.statistic_series(node, "compute_node", "host_airflow",
                                 start_time=stop - datetime.timedelta(seconds=900),
                                 end_time=stop)
    # Buckets 01:45 to 02:00.
    assert len(series) == 4
    assert list(series.values()) == pytest.approx([80.0] * 4)
    assert ds.check_availability() == "available"
    assert {"compute.node.cpu.percent", "cpu", "memory.resident"} <= ds.list_metrics()


def test_server_errors_are_retried(conf):
    scenario = dict(SCENARIO, failures=[{"type": "api_error", "service": "metric",
                                         "path": "/v1/search/resource", "status": 503,
                                         "count": 2}])
    with Simulator.from_scenario(scenario, apps=[KEYSTONE, GNOCCHI], speed=1e-6) as sim:
        sim.clock.advance(NOW)
        ds = gnocchi.GnocchiHelper(session=keystone_session(sim), now=sim.clock.now)
        model_nodes = nodes(sim)
        before = sim.requests["metric"]
        cpu = ds.host_metric_all(model_nodes, "host_cpu_usage")
        assert sim.requests["metric"] - before == 3 + 1 + len(model_nodes)
        assert cpu[model_nodes[0].uuid] == pytest.approx(15.0)
