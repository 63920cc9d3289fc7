"""The simulator's Gnocchi API through python-gnocchiclient on a Keystone session, called the
way Watcher's Gnocchi datasource calls it; values must match the scenario's series."""

import datetime

import pytest
from gnocchiclient import exceptions
from gnocchiclient.v1 import client as gnocchi_client
from keystoneauth1 import identity, session

from watcher.simulator.runner import Simulator

pytestmark = pytest.mark.integration

SCENARIO = {
    "clock": {"start": "2026-01-01T00:00:00Z"},
    "compute": {
        "flavors": [{"name": "m1", "vcpus": 2, "ram": 2048, "disk": 20}],
        "hypervisors": [{"name": "cn1", "vcpus": 4, "memory_mb": 8192, "disk_gb": 100},
                        {"name": "cn2", "vcpus": 8, "memory_mb": 16384, "disk_gb": 100}],
        "servers": [{"name": "vm1", "flavor": "m1", "host": "cn1"},
                    {"name": "vm2", "flavor": "m1", "host": "cn2"}],
    },
    "metrics": {"servers": {"vm2": {"cpu_util": {"constant": 30.0},
                                    "memory_util": {"constant": 25.0}}},
                "hosts": {"cn2": {"airflow": {"constant": 80.0}}}},
}
APPS = ["watcher.simulator.apps.keystone:KeystoneApp",
        "watcher.simulator.apps.gnocchi:GnocchiApp"]
GRANULARITY = 300


@pytest.fixture(scope="module")
def sim():
    with Simulator.from_scenario(SCENARIO, apps=APPS, speed=1e-6) as running:
        running.clock.advance(7200 + 30)
        yield running


@pytest.fixture(scope="module")
def gnocchi(sim):
    auth = identity.Password(**sim.admin_credentials)
    return gnocchi_client.Client(session=session.Session(auth=auth))


def _host_resource_id(gnocchi, host: str) -> str:
    found = gnocchi.resource.search(query={"=": {"original_resource_id": f"{host}_{host}"}},
                                    limit=1)
    assert len(found) == 1
    return found[0]["id"]


def _measures(sim, gnocchi, metric: str, resource_id: str, aggregation: str,
              period: float = 600.0) -> list:
    stop = sim.clock.datetime()
    start = stop - datetime.timedelta(seconds=period)
    return gnocchi.metric.get_measures(metric=metric, start=start, stop=stop,
                                       granularity=GRANULARITY, aggregation=aggregation,
                                       resource_id=resource_id)


def test_status_and_metric_list(gnocchi):
    assert gnocchi.status.get()["storage"]["summary"] is not None
    names = {metric["name"] for metric in gnocchi.metric.list()}
    assert {"compute.node.cpu.percent", "hardware.memory.used", "hardware.ipmi.node.power",
            "hardware.ipmi.node.temperature", "hardware.ipmi.node.outlet_temperature",
            "hardware.ipmi.node.airflow", "cpu", "memory.resident", "memory",
            "disk.root.size"} <= names
    everything = gnocchi.metric.list()
    assert len(everything) == 2 * 7 + 2 * 6
    # The client follows the Link header from page to page.
    paged = gnocchi.metric.list(limit=5)
    assert len(paged) == 5
    assert [m["id"] for m in paged] == sorted(m["id"] for m in everything)[:5]


def test_host_cpu_usage_as_watcher_asks(sim, gnocchi):
    resource_id = _host_resource_id(gnocchi, "cn2")
    points = _measures(sim, gnocchi, "compute.node.cpu.percent", resource_id, "mean")
    assert [g for _, g, _ in points] == [GRANULARITY] * 3
    start = sim.clock.start
    # Buckets 01:50, 01:55 and 02:00 (the current one holds the 02:00 poll).
    assert [ts.timestamp() - start for ts, _, _ in points] == [6600, 6900, 7200]
    # vm2: 2 of cn2's 8 vCPUs at 30 %.
    assert points[-1][2] == pytest.approx(7.5)
    cn1 = _measures(sim, gnocchi, "compute.node.cpu.percent", _host_resource_id(gnocchi, "cn1"),
                    "max")
    expected = sim.state.metrics.host_value("cn1", "cpu_util", start + 7200)
    assert cn1[-1][2] == pytest.approx(expected)


def test_host_memory_and_ipmi_meters(sim, gnocchi):
    resource_id = _host_resource_id(gnocchi, "cn2")
    used = _measures(sim, gnocchi, "hardware.memory.used", resource_id, "mean")
    assert used[-1][2] == pytest.approx(512 * 1024)  # 25 % of 2048 MB, in KB
    airflow = _measures(sim, gnocchi, "hardware.ipmi.node.airflow", resource_id, "mean")
    assert airflow[-1][2] * 10 == pytest.approx(80.0)
    power = _measures(sim, gnocchi, "hardware.ipmi.node.power", resource_id, "mean")
    at = sim.clock.start + 7200
    assert power[-1][2] == pytest.approx(sim.state.metrics.host_value("cn2", "power", at))
    outlet = _measures(sim, gnocchi, "hardware.ipmi.node.outlet_temperature", resource_id,
                       "mean")
    assert outlet[-1][2] == pytest.approx(sim.state.metrics.host_value("cn2", "outlet_temp",
                                                                      at))


def test_instance_cpu_rate_converts_back_to_usage(sim, gnocchi):
    for name in ("vm1", "vm2"):
        server = sim.state.servers_by_name[name]
        points = _measures(sim, gnocchi, "cpu", server.id, "rate:mean")
        # Watcher: value * 100 / (granularity * 10e+8) / vcpus
        usage = points[-1][2] * 100 / (GRANULARITY * 10e+8) / 2
        expected = sim.state.metrics.server_value(server.id, "cpu_util",
                                                  sim.clock.start + 6900)
        assert usage == pytest.approx(expected)
    memory = _measures(sim, gnocchi, "memory.resident", sim.state.servers_by_name["vm2"].id,
                       "mean")
    assert memory[-1][2] == pytest.approx(512.0)


def test_resources_list_show_and_paging(sim, gnocchi):
    instances = gnocchi.resource.list(resource_type="instance")
    assert {r["display_name"] for r in instances} == {"vm1", "vm2"}
    assert {r["host"] for r in instances} == {"cn1", "cn2"}
    generic = gnocchi.resource.list()
    assert len(generic) == 4 and "display_name" not in generic[0]
    first = gnocchi.resource.list(limit=1)
    rest = gnocchi.resource.list(marker=first[0]["id"])
    assert [r["id"] for r in first + rest] == sorted(r["id"] for r in generic)
    server = sim.state.servers_by_name["vm1"]
    shown = gnocchi.resource.get("instance", server.id)
    assert shown["flavor_name"] == "m1"
    metric = gnocchi.metric.get("cpu", resource_id=server.id)
    assert metric["archive_policy"]["name"] == "ceilometer-low-rate"
    assert gnocchi.metric.get(metric["id"])["name"] == "cpu"
    found = gnocchi.resource.search(resource_type="instance", query={"and": [
        {"like": {"display_name": "vm%"}}, {"!=": {"host": "cn1"}}]})
    assert [r["display_name"] for r in found] == ["vm2"]
    # A string query goes out as Gnocchi's text ``filter``.
    by_text = gnocchi.resource.search(resource_type="instance",
                                      query="display_name like 'vm%' and host != 'cn1'")
    assert [r["display_name"] for r in by_text] == ["vm2"]


def test_errors_use_gnocchi_bodies(sim, gnocchi):
    server = sim.state.servers_by_name["vm1"]
    with pytest.raises(exceptions.NotFound, match="granularity"):
        gnocchi.metric.get_measures("cpu", granularity=60, resource_id=server.id)
    with pytest.raises(exceptions.NotFound, match="Aggregation method 'rate:mean'"):
        gnocchi.metric.get_measures("memory", aggregation="rate:mean", resource_id=server.id)
    with pytest.raises(exceptions.ResourceNotFound):
        gnocchi.resource.get("generic", "no-such-resource")
    with pytest.raises(exceptions.MetricNotFound):
        gnocchi.metric.get("00000000-0000-0000-0000-000000000000")
    with pytest.raises(exceptions.ResourceTypeNotFound):
        gnocchi.resource.list(resource_type="volume")
    with pytest.raises(exceptions.BadRequest):
        gnocchi.resource.search(query={"~": {"id": "x"}})
