"""A small cloud whose metric series are known, the cluster model elements a strategy would
pass, and config restored after each test."""

import math
import urllib.parse

import pytest
from keystoneauth1 import identity, session
from oslo_config import fixture as cfg_fixture

from watcher.conf import CONF
from watcher.decision_engine.model.element import ComputeNode, Instance
from watcher.simulator.apps.prom_series import SCRAPE_INTERVAL

SCENARIO = {
    "clock": {"start": "2026-01-01T00:00:00Z"},
    "compute": {
        "flavors": [{"name": "m1", "vcpus": 2, "ram": 2048, "disk": 20},
                    {"name": "m2", "vcpus": 4, "ram": 4096, "disk": 40}],
        "hypervisors": [
            {"name": "cn1.example.com", "vcpus": 8, "memory_mb": 16384, "disk_gb": 100},
            {"name": "cn2.example.com", "vcpus": 8, "memory_mb": 16384, "disk_gb": 100},
            {"name": "cn3.example.com", "vcpus": 8, "memory_mb": 16384, "disk_gb": 100},
        ],
        "servers": [{"name": "vm1", "flavor": "m1", "host": "cn1.example.com"},
                    {"name": "vm2", "flavor": "m2", "host": "cn1.example.com"},
                    {"name": "vm3", "flavor": "m1", "host": "cn2.example.com"},
                    {"name": "walker", "flavor": "m1", "host": "cn3.example.com"}],
    },
    # vm1-vm3 steady; "walker" keeps its default random walk, so a value read at the
    # wrong time would not match.
    "metrics": {
        "servers": {"vm1": {"cpu_util": {"constant": 40.0}, "memory_util": {"constant": 50.0}},
                    "vm2": {"cpu_util": {"constant": 10.0}, "memory_util": {"constant": 25.0}},
                    "vm3": {"cpu_util": {"constant": 80.0}, "memory_util": {"constant": 75.0}}},
        "hosts": {"cn2.example.com": {"airflow": {"constant": 80.0}}},
    },
}
KEYSTONE = "watcher.simulator.apps.keystone:KeystoneApp"
PROMETHEUS = "watcher.simulator.apps.prometheus:PrometheusApp"
GNOCCHI = "watcher.simulator.apps.gnocchi:GnocchiApp"


@pytest.fixture
def conf():
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    fixture.config(query_max_retries=3, query_interval=0, group="watcher_datasources")
    try:
        yield fixture
    finally:
        fixture.cleanUp()


def point_prometheus_client_at(conf, sim) -> None:
    address = urllib.parse.urlparse(sim.service_url("prometheus"))
    conf.config(host=address.hostname, port=address.port, group="prometheus_client")


def keystone_session(sim) -> session.Session:
    return session.Session(auth=identity.Password(**sim.admin_credentials))


def nodes(sim, short_names: bool = False) -> list[ComputeNode]:
    """Compute nodes as the collector builds them (hostname = hypervisor hostname)."""
    return [ComputeNode(uuid=h.id, hostname=h.name.split(".")[0] if short_names else h.name,
                        vcpus=h.vcpus, memory=h.memory_mb)
            for h in sim.state.hypervisor_order]


def instances(sim) -> list[Instance]:
    out = []
    for server in sim.state.servers.values():
        flavor = sim.state.flavors[server.flavor_id]
        out.append(Instance(uuid=server.id, name=server.name, vcpus=flavor.vcpus,
                            memory=flavor.ram, disk=flavor.disk))
    return out


def rate_window_mean(sim, fn, period: float = 300.0) -> float:
    """What ``rate(counter[period])`` gives at now: the mean of ``fn`` over the scrape
    intervals inside the window."""
    last = math.floor(sim.clock.now() / SCRAPE_INTERVAL) * SCRAPE_INTERVAL
    starts = [last - SCRAPE_INTERVAL * i for i in range(1, int(period // SCRAPE_INTERVAL))]
    return sum(fn(t) for t in starts) / len(starts)


def gauge_window_mean(sim, fn, period: float = 300.0) -> float:
    """What ``avg_over_time(gauge[period])`` gives at now: the samples in (now-period, now]."""
    last = math.floor(sim.clock.now() / SCRAPE_INTERVAL) * SCRAPE_INTERVAL
    times = [last - SCRAPE_INTERVAL * i for i in range(int(period // SCRAPE_INTERVAL))]
    return sum(fn(t) for t in times) / len(times)
