"""The storage collector and Cinder notifications against the simulated Cinder."""

import pytest

from watcher.common import clients
from watcher.decision_engine.model.collector import cinder
from watcher.decision_engine.model.notification import cinder as cinder_notification
from watcher.simulator import apps as apps_mod
from watcher.simulator.runner import Simulator
from watcher.tests.integration.applier.actions.conftest import configure, scenario, server

pytestmark = pytest.mark.integration

POOL1, POOL2 = "stor1@lvm#pool1", "stor2@ceph#pool2"


@pytest.fixture
def sim(conf):
    with Simulator.from_scenario(scenario()) as simulator:
        configure(conf, simulator)
        yield simulator


def _collector():
    return cinder.CinderClusterDataModelCollector(osc=clients.OpenStackClients())


def test_model_matches_the_scenario(sim):
    collector = _collector()
    collector.synchronize()
    model = collector.cluster_data_model
    nodes = model.get_all_storage_nodes()
    assert sorted(nodes) == ["stor1@lvm", "stor2@ceph"]
    assert (nodes["stor1@lvm"].volume_type, nodes["stor1@lvm"].state,
            nodes["stor1@lvm"].status) == (["lvm"], "up", "enabled")
    assert [p.name for p in model.get_node_pools("stor2@ceph")] == [POOL2]
    pool = model.get_pool_by_pool_name(POOL1)
    assert (pool.total_capacity_gb, pool.free_capacity_gb, pool.allocated_capacity_gb,
            pool.total_volumes, pool.volume_backend_name) == (1000, 970, 30, 3, "lvm")
    volumes = {v.name: v for v in model.get_pool_volumes(POOL1)}
    assert sorted(volumes) == ["attached", "data1", "data2"]
    attached = volumes["attached"]
    assert (attached.status, attached.size, attached.volume_type, attached.host) == (
        "in-use", 10, "lvm", POOL1
    )
    assert attached.server_ids == [server(sim, "vm2").id]
    assert model.volume_types["ceph"]["extra_specs"]["volume_backend_name"] == "ceph"
    assert collector.last_error is None


def test_requests_grow_with_pages_not_volumes(conf):
    doc = scenario()
    doc["storage"]["volumes"] = [
        {"name": f"v{i}", "size": 1, "pool": POOL2 if i % 2 else POOL1} for i in range(2100)
    ]
    with Simulator.from_scenario(doc) as sim:
        configure(conf, sim)
        collector = _collector()
        collector.synchronize()
        model = collector.cluster_data_model
        assert len(model.get_all_volumes()) == 2100
        assert len(model.get_pool_volumes(POOL2)) == 1050
        before = sim.requests["block-storage"]
        collector.synchronize()
        # services, pools, types, 3 volume pages (1000 a page), snapshots
        assert sim.requests["block-storage"] - before == 3 + 3 + 1


def test_no_block_storage_in_the_catalog_means_no_model(conf):
    doc = scenario()
    apps = [a for a in apps_mod.APPS if "cinder" not in a]
    with Simulator.from_scenario(doc, apps=apps) as sim:
        configure(conf, sim)
        collector = _collector()
        collector.synchronize()
        assert collector.cluster_data_model is None
        assert collector.last_error is None
        assert sim.requests["block-storage"] == 0


def test_a_migration_seen_through_notifications(sim):
    collector = _collector()
    collector.synchronize()
    endpoint = cinder_notification.VolumeNotificationEndpoint(collector)
    volume = next(v for v in sim.state.volumes.values() if v.name == "data1")
    conn = clients.OpenStackClients().connection()
    conn.block_storage.migrate_volume(volume.id, host=POOL2)
    sim.advance()
    events = [e for e in sim.notifications.sent if e[1].startswith("volume.")]
    assert [e[1] for e in events] == ["volume.migrate.end", "volume.update.end"]
    for publisher, event_type, payload in events:
        endpoint.info({}, publisher, event_type, payload, {})
    model = collector.cluster_data_model
    assert model.get_pool_by_volume(volume.id).name == POOL2
    assert model.get_pool_by_pool_name(POOL1).free_capacity_gb == 980
    assert model.get_pool_by_pool_name(POOL2).free_capacity_gb == 1990
    # The next collection agrees with what the notifications made of the model.
    fresh = _collector()
    fresh.synchronize()
    assert fresh.cluster_data_model.get_pool_by_volume(volume.id).name == POOL2
    assert fresh.cluster_data_model.get_pool_by_pool_name(POOL1).free_capacity_gb == 980


def test_single_pool_and_node_lookups_for_notifications(sim):
    collector = _collector()
    collector.synchronize()
    pool = collector.fetch_pool(POOL2)
    assert (pool.name, pool.total_capacity_gb, pool.volume_backend_name) == (POOL2, 2000, "ceph")
    assert collector.fetch_pool("nowhere@x#y") is None
    node = collector.fetch_node("stor2@ceph")
    assert (node.host, node.volume_type, node.state) == ("stor2@ceph", ["ceph"], "up")
    assert collector.fetch_node("nowhere@x") is None
