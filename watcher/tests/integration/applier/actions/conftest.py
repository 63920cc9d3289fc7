"""A simulated cloud for the applier's cloud actions, and watcher.conf logged in to it.

The clock runs fast and the polls are short, so a migration ends within a second of wall
time while the actions still poll as they do in production.
"""

import copy

import pytest
from oslo_config import fixture as cfg_fixture

from watcher.common import clients
from watcher.simulator.runner import Simulator
from watcher.tests.fixtures.cloud import point_clients_at

SCENARIO = {
    "name": "applier-actions",
    "seed": 11,
    "clock": {"start": "2026-01-01T00:00:00Z", "speed": 600},
    "identity": {
        "projects": [{"name": "admin"}, {"name": "service"}],
        "users": [{"name": "admin", "password": "secret", "project": "admin",
                   "roles": ["admin"]}],
    },
    "compute": {
        "hypervisors": [
            {"name": "cmp1", "vcpus": 16, "memory_mb": 32768, "disk_gb": 500},
            {"name": "cmp2", "vcpus": 16, "memory_mb": 32768, "disk_gb": 500},
            {"name": "cmp3", "vcpus": 16, "memory_mb": 32768, "disk_gb": 500},
            {"name": "cmp4", "vcpus": 16, "memory_mb": 32768, "disk_gb": 500},
            {"name": "cmp5", "vcpus": 16, "memory_mb": 32768, "disk_gb": 500,
             "status": "disabled", "disabled_reason": "maintenance"},
        ],
        "flavors": [{"name": "m1.small", "vcpus": 1, "ram": 2048, "disk": 20},
                    {"name": "m1.medium", "vcpus": 2, "ram": 4096, "disk": 40}],
        "servers": [
            {"name": "vm1", "flavor": "m1.small", "host": "cmp1"},
            {"name": "vm2", "flavor": "m1.small", "host": "cmp1"},
            {"name": "vm3", "flavor": "m1.small", "host": "cmp1", "status": "SHUTOFF"},
            {"name": "busy", "flavor": "m1.small", "host": "cmp3"},
        ],
    },
    "storage": {
        "backends": [
            {"name": "lvm", "host": "stor1",
             "pools": [{"name": "pool1", "total_capacity_gb": 1000}]},
            {"name": "ceph", "host": "stor2",
             "pools": [{"name": "pool2", "total_capacity_gb": 2000}]},
        ],
        "volume_types": [{"name": "lvm", "backend": "lvm"}, {"name": "ceph", "backend": "ceph"}],
        "volumes": [
            {"name": "data1", "size": 10, "pool": "stor1@lvm#pool1", "type": "lvm"},
            {"name": "data2", "size": 10, "pool": "stor1@lvm#pool1", "type": "lvm"},
            {"name": "attached", "size": 10, "pool": "stor1@lvm#pool1", "type": "lvm",
             "attachments": [{"server": "vm2"}]},
        ],
    },
    "baremetal": {"nodes": [
        {"name": "bm-idle", "hypervisor": "cmp2"},
        {"name": "bm-busy", "hypervisor": "cmp3"},
        {"name": "maas-idle", "hypervisor": "cmp4", "provider": "maas",
         "system_id": "maas01"},
        {"name": "maas-off", "hypervisor": "cmp5", "provider": "maas", "system_id": "maas02",
         "power_state": "off"},
    ]},
    "failures": [{"type": "refuse_live_migration", "host": "cmp4"}],
}


def scenario(**changes) -> dict:
    doc = copy.deepcopy(SCENARIO)
    doc.update(changes)
    return doc


@pytest.fixture
def sim():
    with Simulator.from_scenario(scenario()) as simulator:
        yield simulator


def configure(conf: cfg_fixture.Config, sim: Simulator) -> None:
    """[watcher_clients_auth] logs in as the scenario's admin; polls are short."""
    point_clients_at(conf, sim)
    conf.config(group="nova", migration_interval=0.1, migration_max_retries=100)


@pytest.fixture
def osc(sim, conf):
    configure(conf, sim)
    return clients.OpenStackClients()


def server(sim, name: str):
    return next(s for s in sim.state.servers.values() if s.name == name)


def volume(sim, name: str):
    return next(v for v in sim.state.volumes.values() if v.name == name)


def metal_node(sim, name: str):
    return next(n for n in sim.state.baremetal_nodes.values() if n.name == name)
