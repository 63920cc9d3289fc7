"""The prometheus and aetos datasources against the simulator's Prometheus: values are the
scenario's series, bulk reads are one query per metric, server errors are retried."""

import math

import numpy as np
import pytest

from watcher.decision_engine.datasources import aetos, prometheus
from watcher.simulator.runner import Simulator
from watcher.tests.integration.decision_engine.datasources.conftest import (
    KEYSTONE,
    PROMETHEUS,
    SCENARIO,
    SCRAPE_INTERVAL,
    gauge_window_mean,
    instances,
    keystone_session,
    nodes,
    point_prometheus_client_at,
    rate_window_mean,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sim():
    with Simulator.from_scenario(SCENARIO, apps=[KEYSTONE, PROMETHEUS], speed=1e-6) as running:
        running.clock.advance(7200)
        yield running


@pytest.fixture
def ds(sim, conf):
    point_prometheus_client_at(conf, sim)
    return prometheus.PrometheusHelper(now=sim.clock.now)


def _expected_host_cpu(sim, host):
    return rate_window_mean(sim, lambda t: sim.state.metrics.host_value(host, "cpu_util", t))


def _expected_host_ram_kib(sim, host):
    memory_mb = sim.state.hypervisors_by_name[host].memory_mb
    return gauge_window_mean(sim, lambda t: sim.state.metrics.host_value(
        host, "memory_util", t)) / 100.0 * memory_mb * 1024


def test_host_metrics_in_one_query_each(sim, ds):
    model_nodes = nodes(sim, short_names=True)
    before = sim.requests["prometheus"]
    cpu = ds.host_metric_all(model_nodes, "host_cpu_usage")
    ram = ds.host_metric_all(model_nodes, "host_ram_usage")
    assert sim.requests["prometheus"] - before == 2
    for node in model_nodes:
        host = f"{node.hostname}.example.com"
        assert cpu[node.uuid] == pytest.approx(_expected_host_cpu(sim, host), rel=1e-9)
        assert ram[node.uuid] == pytest.approx(_expected_host_ram_kib(sim, host), rel=1e-9)
    # vm1 (2 vCPUs at 40 %) and vm2 (4 at 10 %) on cn1's 8 vCPUs.
    assert cpu[model_nodes[0].uuid] == pytest.approx(15.0)
    # Reads a strategy makes afterwards are answered from the audit's cache.
    assert [ds.get_host_cpu_usage(n) for n in model_nodes] == [cpu[n.uuid] for n in
                                                                model_nodes]
    assert [ds.get_host_ram_usage(n) for n in model_nodes] == [ram[n.uuid] for n in
                                                                model_nodes]
    assert sim.requests["prometheus"] - before == 2


def test_per_host_reads_match_the_bulk_ones(sim, ds):
    model_nodes = nodes(sim)
    bulk = ds.host_metric_all(model_nodes, "host_cpu_usage", aggregate="max")
    ds.reset_cache()
    before = sim.requests["prometheus"]
    single = {n.uuid: ds.get_host_cpu_usage(n, aggregate="max") for n in model_nodes}
    assert sim.requests["prometheus"] - before == len(model_nodes)
    assert single == pytest.approx(bulk, rel=1e-9)


def test_instance_metrics_in_one_query_each(sim, ds):
    model_instances = instances(sim)
    before = sim.requests["prometheus"]
    cpu = ds.instance_metric_all(model_instances, "instance_cpu_usage")
    ram = ds.instance_metric_all(model_instances, "instance_ram_usage")
    allocated = ds.instance_metric_all(model_instances, "instance_ram_allocated")
    assert sim.requests["prometheus"] - before == 2
    metrics = sim.state.metrics
    for instance in model_instances:
        expected_cpu = rate_window_mean(
            sim, lambda t, i=instance: metrics.server_value(i.uuid, "cpu_util", t))
        expected_ram = gauge_window_mean(
            sim, lambda t, i=instance: metrics.server_value(i.uuid, "memory_util", t)
        ) / 100.0 * instance.memory
        assert cpu[instance.uuid] == pytest.approx(expected_cpu, rel=1e-9)
        assert ram[instance.uuid] == pytest.approx(expected_ram, rel=1e-9)
        assert allocated[instance.uuid] == instance.memory
    by_name = {i.name: i.uuid for i in model_instances}
    assert cpu[by_name["vm3"]] == pytest.approx(80.0)
    assert ram[by_name["vm3"]] == pytest.approx(1536.0)
    single = [ds.get_instance_cpu_usage(i) for i in model_instances]
    assert single == [cpu[i.uuid] for i in model_instances]
    assert sim.requests["prometheus"] - before == 2


def test_availability_and_metric_names(sim, ds):
    assert ds.check_availability() == "available"
    assert {"node_cpu_seconds_total", "ceilometer_cpu"} <= ds.list_metrics()


def test_aetos_reads_prometheus_from_the_catalog(sim, conf):
    ds = aetos.AetosHelper(session=keystone_session(sim), now=sim.clock.now)
    model_nodes = nodes(sim, short_names=True)
    before = sim.requests["prometheus"]
    cpu = ds.host_metric_all(model_nodes, "host_cpu_usage")
    assert sim.requests["prometheus"] - before == 1
    for node in model_nodes:
        host = f"{node.hostname}.example.com"
        assert cpu[node.uuid] == pytest.approx(_expected_host_cpu(sim, host), rel=1e-9)
    model_instances = instances(sim)
    ram = ds.instance_metric_all(model_instances, "instance_ram_usage", aggregate="max")
    vm1 = next(i for i in model_instances if i.name == "vm1")
    assert ram[vm1.uuid] == pytest.approx(1024.0)


def _failing_sim(failures: int) -> Simulator:
    scenario = dict(SCENARIO, failures=[{"type": "api_error", "service": "prometheus",
                                         "path": "query$", "status": 503,
                                         "count": failures}])
    return Simulator.from_scenario(scenario, apps=[KEYSTONE, PROMETHEUS], speed=1e-6)


def test_server_errors_are_retried(conf):
    with _failing_sim(2) as sim:
        sim.clock.advance(3600)
        point_prometheus_client_at(conf, sim)
        ds = prometheus.PrometheusHelper(now=sim.clock.now)
        before = sim.requests["prometheus"]
        cpu = ds.host_metric_all(nodes(sim), "host_cpu_usage")
        assert sim.requests["prometheus"] - before == 3
        assert cpu[nodes(sim)[0].uuid] == pytest.approx(15.0)


def test_value_is_missing_once_the_attempts_are_used_up(conf):
    conf.config(query_max_retries=2, group="watcher_datasources")
    with _failing_sim(2) as sim:
        sim.clock.advance(3600)
        point_prometheus_client_at(conf, sim)
        ds = prometheus.PrometheusHelper(now=sim.clock.now)
        vm1 = next(i for i in instances(sim) if i.name == "vm1")
        before = sim.requests["prometheus"]
        assert ds.get_instance_cpu_usage(vm1) is None
        assert sim.requests["prometheus"] - before == 2
        # The miss is kept for the audit; the next audit reads again and gets it.
        assert ds.get_instance_cpu_usage(vm1) is None
        ds.reset_cache()
        assert ds.get_instance_cpu_usage(vm1) == pytest.approx(40.0)


def _rate_mean_at(at: float, fn, window: float = 300.0) -> float:
    """``rate(counter[window])`` evaluated at ``at`` (as ``rate_window_mean`` at now)."""
    last = math.floor(at / SCRAPE_INTERVAL) * SCRAPE_INTERVAL
    starts = [last - SCRAPE_INTERVAL * i for i in range(1, int(window // SCRAPE_INTERVAL))]
    return sum(fn(t) for t in starts) / len(starts)


def test_instance_cpu_percentile_in_one_subquery(sim, ds):
    model_instances = instances(sim)
    before = sim.requests["prometheus"]
    p95 = ds.instance_metric_all(model_instances, "instance_cpu_usage", period=3600,
                                 aggregate="p95", granularity=300)
    assert sim.requests["prometheus"] - before == 1
    metrics = sim.state.metrics
    end = sim.clock.now()
    # The subquery's steps: multiples of 300 s in (end - 3600, end].
    last = math.floor(end / 300) * 300
    steps = [last - 300 * k for k in range(12)]
    for instance in model_instances:
        series = [_rate_mean_at(t, lambda u, i=instance: metrics.server_value(
            i.uuid, "cpu_util", u)) for t in steps]
        assert p95[instance.uuid] == pytest.approx(np.percentile(series, 95), rel=1e-6)
    by_name = {i.name: i.uuid for i in model_instances}
    # A constant series is its own percentile; the walk's p95 is above its mean.
    assert p95[by_name["vm3"]] == pytest.approx(80.0)
    mean = ds.instance_metric_all(model_instances, "instance_cpu_usage", period=3600)
    assert p95[by_name["walker"]] > mean[by_name["walker"]]
    # The percentile is cached like any aggregate.
    ds.instance_metric_all(model_instances, "instance_cpu_usage", period=3600,
                           aggregate="p95", granularity=300)
    assert sim.requests["prometheus"] - before == 2


def test_host_cpu_percentile_reads_the_usage_series(sim, ds):
    model_nodes = nodes(sim, short_names=True)
    p95 = ds.host_metric_all(model_nodes, "host_cpu_usage", period=3600, aggregate="p95")
    # cn1 runs vm1 (2 vCPUs at 40 %) and vm2 (4 at 10 %) steadily: 15 % of its 8 vCPUs.
    assert p95[model_nodes[0].uuid] == pytest.approx(15.0)
