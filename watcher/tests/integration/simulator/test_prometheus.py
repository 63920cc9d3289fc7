"""The simulator's Prometheus API through python-observabilityclient (what Watcher uses) and
plain HTTP; values must match the scenario's metric series."""

import math
import urllib.parse

import pytest
import requests
from keystoneauth1 import identity, session
from observabilityclient import prometheus_client
from observabilityclient.utils import metric_utils

from watcher.simulator.apps.prom_series import SCRAPE_INTERVAL
from watcher.simulator.runner import Simulator

pytestmark = pytest.mark.integration

SCENARIO = {
    "clock": {"start": "2026-01-01T00:00:00Z"},
    "compute": {
        "flavors": [{"name": "m1", "vcpus": 2, "ram": 2048, "disk": 20}],
        "hypervisors": [{"name": "cn1.example.com", "vcpus": 4, "memory_mb": 8192,
                         "disk_gb": 100},
                        {"name": "cn2.example.com", "vcpus": 4, "memory_mb": 8192,
                         "disk_gb": 100}],
        "servers": [{"name": "vm1", "flavor": "m1", "host": "cn1.example.com"},
                    {"name": "vm2", "flavor": "m1", "host": "cn1.example.com"},
                    {"name": "vm3", "flavor": "m1", "host": "cn2.example.com"}],
    },
    "metrics": {"servers": {"vm3": {"cpu_util": {"constant": 40.0},
                                    "memory_util": {"constant": 50.0}}}},
}
APPS = ["watcher.simulator.apps.keystone:KeystoneApp",
        "watcher.simulator.apps.nova:NovaApp",
        "watcher.simulator.apps.prometheus:PrometheusApp"]


@pytest.fixture(scope="module")
def sim():
    with Simulator.from_scenario(SCENARIO, apps=APPS, speed=1e-6) as running:
        running.clock.advance(7200)
        yield running


@pytest.fixture
def client(sim):
    host = urllib.parse.urlparse(sim.service_url("prometheus")).netloc
    return prometheus_client.PrometheusAPIClient(host, scheme="http")


def _window_mean(sim, fn, period: float = 300.0) -> float:
    """Mean of ``fn`` over the grid intervals a rate over ``period`` covers now."""
    last = math.floor(sim.clock.now() / SCRAPE_INTERVAL) * SCRAPE_INTERVAL
    starts = [last - SCRAPE_INTERVAL * i for i in range(1, int(period // SCRAPE_INTERVAL))]
    return sum(fn(t) for t in starts) / len(starts)


def test_watcher_host_cpu_query_matches_scenario(sim, client):
    query = ("100 - (avg by (fqdn)(rate(node_cpu_seconds_total"
             "{mode='idle',fqdn='cn1.example.com'}[300s])) * 100)")
    result = client.query(query)
    assert len(result) == 1
    assert result[0].labels == {"fqdn": "cn1.example.com"}
    expected = _window_mean(sim, lambda t: sim.state.metrics.host_value(
        "cn1.example.com", "cpu_util", t))
    assert float(result[0].value) == pytest.approx(expected, rel=1e-9)
    assert expected > 0


def test_watcher_host_ram_query_matches_scenario(sim, client):
    query = ("(node_memory_MemTotal_bytes{fqdn='cn2.example.com'} - "
             "avg_over_time(node_memory_MemAvailable_bytes{fqdn='cn2.example.com'}[300s])) "
             "/ 1024")
    result = client.query(query)
    # vm3 (2048 MB at 50 %) is alone on cn2: 1024 MB used, in KiB.
    assert float(result[0].value) == pytest.approx(1024 * 1024)


def test_watcher_instance_queries_match_scenario(sim, client):
    server = sim.state.servers_by_name["vm3"]
    cpu = client.query(f"clamp_max((avg by (resource)(rate(ceilometer_cpu{{resource="
                       f"'{server.id}'}}[300s]))/10e+8) *(100/2), 100)")
    assert float(cpu[0].value) == pytest.approx(40.0)
    ram = client.query(f"max_over_time(ceilometer_memory_usage{{resource='{server.id}'}}"
                       "[300s])")
    assert float(ram[0].value) == pytest.approx(1024.0)
    busy = sim.state.servers_by_name["vm1"]
    walk = client.query(f"rate(ceilometer_cpu{{resource='{busy.id}'}}[5m]) / 1e9 * 50")
    expected = _window_mean(sim, lambda t: sim.state.metrics.server_value(busy.id, "cpu_util",
                                                                          t))
    assert float(walk[0].value) == pytest.approx(expected)


def test_counter_is_monotonic_and_follows_migration(sim, client):
    # Runs last among the value checks: it moves vm3.
    values = requests.get(sim.service_url("prometheus") + "/api/v1/query", params={
        "query": "node_cpu_seconds_total{fqdn='cn2.example.com',cpu='0',mode='idle'}[1h]"},
        timeout=10).json()["data"]
    assert values["resultType"] == "matrix"
    samples = [float(v) for _, v in values["result"][0]["values"]]
    assert len(samples) == 60
    assert all(b >= a for a, b in zip(samples, samples[1:], strict=False))
    query = ("100 - (avg by (fqdn)(rate(node_cpu_seconds_total"
             "{mode='idle',fqdn='cn2.example.com'}[300s])) * 100)")
    # vm3 (2 of cn2's 4 vCPUs at 40 %) is alone on cn2.
    assert float(client.query(query)[0].value) == pytest.approx(20.0)
    with sim.state.lock:
        sim.state.move_server(sim.state.servers_by_name["vm3"], "cn1.example.com")
    assert float(client.query(query)[0].value) == pytest.approx(0.0, abs=1e-9)
    cn1 = client.query(query.replace("cn2", "cn1"))
    expected = _window_mean(sim, lambda t: sim.state.metrics.host_value(
        "cn1.example.com", "cpu_util", t))
    assert float(cn1[0].value) == pytest.approx(expected)


def test_subquery_alone_is_a_matrix_at_aligned_steps(sim):
    at = sim.clock.now()
    last = math.floor(at / 300) * 300
    data = requests.get(sim.service_url("prometheus") + "/api/v1/query", params={
        "query": "node_memory_MemTotal_bytes{fqdn='cn1.example.com'}[10m:5m]", "time": at},
        timeout=10).json()["data"]
    assert data["resultType"] == "matrix"
    # Multiples of the step in (at - 10m, at], not steps counted back from at.
    assert [float(t) for t, _ in data["result"][0]["values"]] == [last - 300, last]


def test_targets_and_metadata_endpoints(sim, client):
    targets = client._get("targets?state=active")["data"]["activeTargets"]
    fqdns = {t["labels"].get("fqdn") for t in targets}
    assert fqdns == {"cn1.example.com", "cn2.example.com", None}
    assert all(t["health"] == "up" for t in targets)
    names = set(client._get("label/__name__/values")["data"])
    assert {"node_cpu_seconds_total", "node_memory_MemAvailable_bytes",
            "node_memory_MemTotal_bytes", "ceilometer_cpu",
            "ceilometer_memory_usage"} <= names
    assert client._get("status/runtimeinfo")["status"] == "success"
    series = client.series(["node_memory_MemTotal_bytes"])
    assert [s["fqdn"] for s in series] == ["cn1.example.com", "cn2.example.com"]
    assert "resource" in client.labels()


def test_query_range_and_errors(sim):
    base = sim.service_url("prometheus") + "/api/v1/"
    now = sim.clock.now()
    reply = requests.post(base + "query_range", data={
        "query": "node_memory_MemTotal_bytes{fqdn='cn1.example.com'}", "start": now - 600,
        "end": now, "step": "2m"}, timeout=10)
    data = reply.json()["data"]
    assert data["resultType"] == "matrix"
    assert len(data["result"][0]["values"]) == 6
    assert data["result"][0]["values"][0][1] == str(8192 * 1024 * 1024)
    bad = requests.get(base + "query", params={"query": "sum("}, timeout=10)
    assert bad.status_code == 400
    body = bad.json()
    assert body["status"] == "error" and body["errorType"] == "bad_data"
    assert "parse error" in body["error"]
    step = requests.get(base + "query_range", params={"query": "up", "start": now,
                                                      "end": now + 10, "step": "0"},
                        timeout=10)
    assert step.status_code == 400
    with pytest.raises(prometheus_client.PrometheusAPIClientError):
        prometheus_client.PrometheusAPIClient(
            urllib.parse.urlparse(base).netloc, scheme="http").query("rate(up)")
    at = requests.get(base + "query", params={"query": "time() + 1",
                                              "time": "2026-01-01T01:00:00.5Z"},
                      timeout=10).json()["data"]
    assert at == {"resultType": "scalar", "result": [1767229200.5, "1767229201.5"]}
    ready = requests.get(sim.service_url("prometheus") + "/-/ready", timeout=10)
    assert ready.status_code == 200 and b"Ready" in ready.content


def test_aetos_style_client_from_the_catalog(sim):
    """Watcher's Aetos datasource finds Prometheus as ``metric-storage`` in the catalog and
    queries it with a Keystone session."""
    auth = identity.Password(**sim.admin_credentials)
    client = metric_utils.get_prom_client_from_keystone(
        session.Session(auth=auth), adapter_options={"service_type": "metric-storage",
                                                     "interface": "public"})
    result = client.query("node_memory_MemTotal_bytes{fqdn='cn1.example.com'}")
    assert float(result[0].value) == 8192 * 1024 * 1024
