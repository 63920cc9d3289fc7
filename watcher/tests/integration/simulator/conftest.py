"""A small cloud served by the simulator, and clients logged in to it."""

import copy

import pytest
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from watcher.simulator.runner import Simulator

SMALL = {
    "name": "small",
    "seed": 3,
    "clock": {"start": "2026-01-01T00:00:00Z"},
    "identity": {
        "projects": [{"name": "admin"}, {"name": "demo"}, {"name": "service"}],
        "users": [
            {"name": "admin", "password": "secret", "project": "admin", "roles": ["admin"]},
            {"name": "demo", "password": "demo", "project": "demo", "roles": ["member"]},
        ],
    },
    "compute": {
        "aggregates": [{"name": "rack1", "availability_zone": "az1",
                        "hosts": ["cmp1", "cmp2"], "metadata": {"ssd": "true"}},
                       {"name": "rack2", "availability_zone": "az2", "hosts": ["cmp3"]}],
        "hypervisors": [
            {"name": "cmp1", "vcpus": 16, "memory_mb": 32768, "disk_gb": 500},
            {"name": "cmp2", "vcpus": 16, "memory_mb": 32768, "disk_gb": 500,
             "allocation_ratios": {"vcpu": 8.0}, "reserved": {"memory_mb": 1024}},
            {"name": "cmp3", "vcpus": 8, "memory_mb": 16384, "disk_gb": 200},
        ],
        "flavors": [{"name": "m1.small", "vcpus": 1, "ram": 2048, "disk": 20},
                    {"name": "m1.medium", "vcpus": 2, "ram": 4096, "disk": 40}],
        "server_groups": [{"name": "spread", "policy": "anti-affinity"}],
        "servers": [
            {"name": "vm1", "flavor": "m1.small", "host": "cmp1", "server_group": "spread"},
            {"name": "vm2", "flavor": "m1.small", "host": "cmp2", "server_group": "spread"},
            {"name": "vm3", "flavor": "m1.medium", "host": "cmp1"},
            {"name": "vm4", "flavor": "m1.small", "host": "cmp1", "status": "SHUTOFF"},
            {"name": "demo1", "flavor": "m1.small", "host": "cmp3", "project": "demo",
             "user": "demo"},
        ],
    },
    "storage": {
        "backends": [
            {"name": "lvm", "host": "stor1", "pools": [{"name": "pool1",
                                                        "total_capacity_gb": 1000}]},
            {"name": "ceph", "host": "stor2", "pools": [{"name": "pool2",
                                                         "total_capacity_gb": 2000}]},
        ],
        "volume_types": [{"name": "lvm", "backend": "lvm"}, {"name": "ceph", "backend": "ceph"}],
        "volumes": [
            {"name": "data1", "size": 10, "pool": "stor1@lvm#pool1", "type": "lvm",
             "attachments": [{"server": "vm1"}]},
            {"name": "data2", "size": 20, "pool": "stor1@lvm#pool1", "type": "lvm"},
            {"name": "data3", "size": 5, "pool": "stor2@ceph#pool2", "type": "ceph",
             "project": "demo"},
        ],
    },
}


def scenario(**changes) -> dict:
    doc = copy.deepcopy(SMALL)
    doc.update(changes)
    return doc


@pytest.fixture
def sim():
    with Simulator.from_scenario(scenario()) as running:
        yield running


def password_session(sim, user: str = "admin", password: str = "secret",
                     project: str = "admin") -> ks_session.Session:
    auth = v3.Password(auth_url=sim.auth_url, username=user, password=password,
                       project_name=project, user_domain_name="Default",
                       project_domain_name="Default")
    return ks_session.Session(auth=auth)


@pytest.fixture
def admin_session(sim):
    return password_session(sim)


@pytest.fixture
def conn(sim):
    import openstack

    return openstack.connect(**sim.clouds_yaml_entry)
