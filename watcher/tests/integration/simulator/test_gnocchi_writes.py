"""Writes to the simulator's Gnocchi through python-gnocchiclient, as watcher-tempest-plugin
makes them before an audit: a client's metric replaces the simulated one of its name, and its
measures come back aggregated as Gnocchi would, to Watcher's Gnocchi datasource too."""

import datetime

import pytest
from gnocchiclient import exceptions
from gnocchiclient.v1 import client as gnocchi_client
from keystoneauth1 import identity, session

from watcher.decision_engine.datasources.gnocchi import GnocchiHelper
from watcher.simulator.runner import Simulator

pytestmark = pytest.mark.integration

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
SCENARIO = {
    "clock": {"start": START.isoformat()},
    "compute": {
        "flavors": [{"name": "m1", "vcpus": 2, "ram": 2048, "disk": 20}],
        "hypervisors": [{"name": "cn1", "vcpus": 4, "memory_mb": 8192, "disk_gb": 100}],
        "servers": [{"name": "vm1", "flavor": "m1", "host": "cn1"}],
    },
}
APPS = ["watcher.simulator.apps.keystone:KeystoneApp",
        "watcher.simulator.apps.gnocchi:GnocchiApp"]


@pytest.fixture
def sim():
    with Simulator.from_scenario(SCENARIO, apps=APPS, speed=1e-6) as running:
        running.clock.advance(7200)
        yield running


@pytest.fixture
def gnocchi(sim):
    auth = identity.Password(**sim.admin_credentials)
    return gnocchi_client.Client(session=session.Session(auth=auth))


def _at(minutes: float) -> str:
    return (START + datetime.timedelta(minutes=minutes)).isoformat()


def _host(gnocchi) -> dict:
    found = gnocchi.resource.search(query={"=": {"original_resource_id": "cn1_cn1"}})
    assert len(found) == 1
    return found[0]


def test_created_resource_is_found_by_its_original_id(gnocchi):
    created = gnocchi.resource.create("host", {
        "id": "cn9_cn9", "host_name": "cn9",
        "metrics": {"compute.node.cpu.percent": {"archive_policy_name": "low"}}})
    assert created["original_resource_id"] == "cn9_cn9"
    assert created["host_name"] == "cn9"
    found = gnocchi.resource.search(query={"=": {"original_resource_id": "cn9_cn9"}})
    assert [r["id"] for r in found] == [created["id"]]
    metric = gnocchi.metric.get("compute.node.cpu.percent", created["id"])
    assert metric["archive_policy"]["name"] == "low"
    # The simulated host resource has that original id already: a conflict, as the plugin
    # expects for Ceilometer's resources.
    with pytest.raises(exceptions.ResourceAlreadyExists):
        gnocchi.resource.create("host", {"id": "cn1_cn1", "host_name": "cn1", "metrics": {}})
    with pytest.raises(exceptions.BadRequest):
        gnocchi.resource.create("host", {"id": "x", "colour": "red"})
    with pytest.raises(exceptions.BadRequest):
        gnocchi.resource.create("host", {"id": "y", "metrics": {
            "m": {"archive_policy_name": "nonexistent"}}})


def test_replaced_metric_serves_the_posted_measures(sim, gnocchi):
    host = _host(gnocchi)
    simulated = host["metrics"]["compute.node.cpu.percent"]
    gnocchi.metric.delete(simulated)
    with pytest.raises(exceptions.NotFound):
        gnocchi.metric.get(simulated)
    metric = gnocchi.metric.create(name="compute.node.cpu.percent", resource_id=host["id"],
                                   archive_policy_name="low", unit="%")
    assert _host(gnocchi)["metrics"]["compute.node.cpu.percent"] == metric["id"]
    # One a minute: the 5-minute buckets of "low" average them.
    gnocchi.metric.add_measures(metric["id"], [
        {"timestamp": _at(100 + i), "value": 10.0 * (i + 1)} for i in range(10)])
    measures = gnocchi.metric.get_measures(metric["id"], aggregation="mean", refresh=True)
    assert [(t.isoformat(), g, v) for t, g, v in measures] == [
        (_at(100), 300.0, 30.0), (_at(105), 300.0, 80.0)]
    assert gnocchi.metric.get_measures(metric["id"], aggregation="max", start=_at(105),
                                       granularity=300)[0][2] == 100.0
    # A second metric of that name on the resource is a conflict.
    with pytest.raises(exceptions.NamedMetricAlreadyExists):
        gnocchi.metric.create(name="compute.node.cpu.percent", resource_id=host["id"],
                              archive_policy_name="low")


def test_watcher_reads_posted_readings(sim, gnocchi):
    host = _host(gnocchi)
    gnocchi.metric.delete(host["metrics"]["compute.node.cpu.percent"])
    metric = gnocchi.metric.create(name="compute.node.cpu.percent", resource_id=host["id"],
                                   archive_policy_name="low")
    now = sim.clock.now()
    gnocchi.metric.batch_metrics_measures({metric["id"]: [
        {"timestamp": now - 60 * i, "value": 85.0} for i in range(5)]})
    helper = GnocchiHelper(client=gnocchi, now=sim.clock.now)

    class Node:
        hostname = "cn1"

    assert helper.get_host_cpu_usage(Node(), period=300, aggregate="mean",
                                     granularity=300) == 85.0


def test_instance_cpu_counter_rate(sim, gnocchi):
    server = next(iter(sim.state.servers))
    gnocchi.metric.delete("cpu", resource_id=server)
    gnocchi.metric.create(name="cpu", resource_id=server,
                          archive_policy_name="ceilometer-low-rate", unit="ns")
    # 1.5e11 ns of CPU time every 5 minutes: half of one vCPU.
    gnocchi.metric.batch_resources_metrics_measures({server: {"cpu": [
        {"timestamp": _at(100 + 5 * i), "value": 1.5e11 * i} for i in range(3)]}})
    measures = gnocchi.metric.get_measures("cpu", resource_id=server,
                                           aggregation="rate:mean", granularity=300)
    assert [v for _, _, v in measures] == [1.5e11, 1.5e11]


def test_batch_creates_missing_metrics_only_when_asked(gnocchi):
    host = _host(gnocchi)
    body = {host["id"]: {"custom.meter": {"archive_policy_name": "medium", "unit": "B",
                                          "measures": [{"timestamp": _at(100), "value": 7}]}}}
    with pytest.raises(exceptions.BadRequest):
        gnocchi.metric.batch_resources_metrics_measures(body)
    gnocchi.metric.batch_resources_metrics_measures(body, create_metrics=True)
    measures = gnocchi.metric.get_measures("custom.meter", resource_id=host["id"],
                                           aggregation="mean", granularity=60)
    assert [(t.isoformat(), v) for t, _, v in measures] == [(_at(100), 7.0)]
    with pytest.raises(exceptions.BadRequest):
        gnocchi.metric.batch_metrics_measures({"not-a-metric": []})


def test_simulated_metrics_take_no_measures(gnocchi):
    metric = _host(gnocchi)["metrics"]["hardware.memory.used"]
    with pytest.raises(exceptions.BadRequest):
        gnocchi.metric.add_measures(metric, [{"timestamp": _at(100), "value": 1}])
