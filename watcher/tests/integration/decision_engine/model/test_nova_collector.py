import pytest

from watcher.decision_engine.model.collector import nova
from watcher.simulator.runner import Simulator
from watcher.simulator.scenario import generator
from watcher.tests.fixtures.cloud import point_clients_at

pytestmark = pytest.mark.integration

SCENARIO = {
    "name": "collector",
    "identity": {
        "projects": [{"name": "admin"}, {"name": "demo"}],
        "users": [
            {"name": "admin", "password": "pw", "project": "admin", "roles": ["admin"]},
        ],
    },
    "compute": {
        "aggregates": [
            {"name": "fast", "availability_zone": "az1", "hosts": ["cmp1"]},
            {"name": "slow", "availability_zone": "az2", "hosts": ["cmp2", "cmp3"]},
        ],
        "hypervisors": [
            {
                "name": "cmp1",
                "vcpus": 16,
                "memory_mb": 32768,
                "disk_gb": 500,
                "allocation_ratios": {"vcpu": 8.0, "memory": 1.5},
                "reserved": {"memory_mb": 1024},
            },
            {
                "name": "cmp2",
                "vcpus": 8,
                "memory_mb": 16384,
                "disk_gb": 200,
                "status": "disabled",
                "disabled_reason": "maintenance",
            },
            {"name": "cmp3", "vcpus": 8, "memory_mb": 16384, "disk_gb": 200},
            {
                "name": "bm1",
                "vcpus": 4,
                "memory_mb": 8192,
                "disk_gb": 100,
                "hypervisor_type": "ironic",
            },
        ],
        "flavors": [
            {"name": "small", "vcpus": 1, "ram": 2048, "disk": 20},
            {
                "name": "big",
                "vcpus": 4,
                "ram": 8192,
                "disk": 80,
                "ephemeral": 10,
                "swap": 1536,
                "extra_specs": {"hw:cpu_policy": "dedicated"},
            },
        ],
        "servers": [
            {"name": "a", "flavor": "small", "host": "cmp1", "metadata": {"tier": "web"}},
            {"name": "b", "flavor": "big", "host": "cmp1", "locked": True},
            {"name": "c", "flavor": "big", "host": "cmp3", "boot_from_volume": True},
            {
                "name": "d",
                "flavor": "small",
                "host": "cmp3",
                "status": "SHUTOFF",
                "project": "demo",
            },
            {"name": "e", "flavor": "small", "host": None, "status": "SHELVED_OFFLOADED"},
        ],
    },
}


@pytest.fixture
def cloud(conf):
    with Simulator.from_scenario(SCENARIO) as sim:
        point_clients_at(conf, sim)
        yield sim


def by_name(model) -> dict:
    return {i.name: i for i in model.get_all_instances().values()}


def test_model_mirrors_the_cloud(cloud):
    collector = nova.NovaClusterDataModelCollector()
    collector.synchronize()
    assert collector.last_error is None
    model = collector.cluster_data_model
    nodes = {n.hostname: n for n in model.get_all_compute_nodes().values()}
    # The ironic hypervisor is not a compute node of the model.
    assert set(nodes) == {"cmp1", "cmp2", "cmp3"}
    cmp1 = nodes["cmp1"]
    assert (cmp1.vcpus, cmp1.vcpu_ratio, cmp1.memory_mb_reserved, cmp1.memory_ratio) == (
        16,
        8.0,
        1024,
        1.5,
    )
    assert cmp1.uuid == cloud.state.hypervisors_by_name["cmp1"].id
    assert (nodes["cmp2"].status, nodes["cmp2"].disabled_reason) == ("disabled", "maintenance")
    assert nodes["cmp3"].state == "up"

    instances = by_name(model)
    # Shelved-offloaded servers have no host: not in the model.
    assert set(instances) == {"a", "b", "c", "d"}
    a, b, c, d = (instances[n] for n in "abcd")
    assert (a.vcpus, a.memory, a.disk, a.metadata) == (1, 2048, 20, {"tier": "web"})
    # root + ephemeral + swap rounded up to GB; no root disk when booted from volume.
    assert b.disk == 80 + 10 + 2 and c.disk == 10 + 2
    assert b.locked is True and d.state == "stopped" and a.state == "active"
    assert d.project_id == cloud.state.projects_by_name["demo"].id
    assert b.flavor_extra_specs == {}  # extended attributes are off by default
    assert model.get_node_by_instance_uuid(c.uuid).hostname == "cmp3"
    assert model.get_node_used_resources(cmp1) == {"vcpu": 5, "memory": 10240, "disk": 112}
    assert collector.topology.host_zones["cmp2"] == "az2"
    assert {a["name"]: a["hosts"] for a in collector.topology.aggregates} == {
        "fast": ["cmp1"],
        "slow": ["cmp2", "cmp3"],
    }


def test_extended_attributes(cloud, conf):
    conf.config(group="compute_model", enable_extended_attributes=True)
    collector = nova.NovaClusterDataModelCollector()
    collector.synchronize()
    b = by_name(collector.cluster_data_model)["b"]
    assert b.flavor_extra_specs == {"hw:cpu_policy": "dedicated"}


def test_scoped_model(cloud):
    collector = nova.NovaClusterDataModelCollector()
    collector.synchronize()
    scoped = collector.get_scoped_model(
        [
            {
                "compute": [
                    {"availability_zones": [{"name": "az2"}]},
                    {"exclude": [{"compute_nodes": [{"name": "cmp2"}]}]},
                ]
            }
        ]
    )
    assert [n.hostname for n in scoped.get_all_compute_nodes().values()] == ["cmp3"]
    assert set(by_name(scoped)) == {"c", "d"}


def test_requests_grow_with_pages_not_hosts(conf, monkeypatch):
    monkeypatch.setattr(nova, "PAGE_SIZE", 25)
    scenario = generator.generate(hypervisors=60, servers=240, seed=5)
    with Simulator.from_scenario(scenario) as sim:
        point_clients_at(conf, sim)
        collector = nova.NovaClusterDataModelCollector()
        collector.synchronize()
        model = collector.cluster_data_model
        assert len(model.get_all_compute_nodes()) == 60
        assert len(model.get_all_instances()) == len(
            [s for s in sim.state.servers.values() if s.host]
        )
        # discovery + 3 hypervisor pages (60/25) + 10 server pages (240/25) + services +
        # aggregates
        assert sim.requests["compute"] == 1 + 3 + 10 + 2
        first_placement = sim.requests["placement"]
        sim.requests.clear()
        collector.synchronize()
        # Unchanged providers: their inventories come from the generation cache.
        assert sim.requests["placement"] == 1
        assert sim.requests["compute"] == 3 + 10 + 2
        assert first_placement >= 60


def test_failure_leaves_a_stale_model(cloud, conf):
    collector = nova.NovaClusterDataModelCollector()
    collector.synchronize()
    conf.config(group="collector", api_query_max_retries=1)
    cloud.stop()
    collector.osc = type(collector.osc)()
    collector.synchronize()
    assert collector.cluster_data_model.stale is True
    assert collector.last_error
