"""Cinder notifications patch the live storage model (no Cinder call for known pools)."""

import pytest

from watcher.decision_engine.model import storage_element as element
from watcher.decision_engine.model.collector import base
from watcher.decision_engine.model.notification import cinder
from watcher.tests.unit.decision_engine.model import storage_builders as b

P1, P2 = "s1@lvm#p1", "s2@ceph#p2"


class FakeCollector(base.BaseClusterDataModelCollector):
    """A live storage model; Cinder lookups answered from ``known_pools``/``known_nodes``."""

    def __init__(self, model):
        super().__init__(config=None, osc=object())
        self.set_cluster_data_model(model)
        self.known_pools: dict[str, element.Pool] = {}
        self.known_nodes: dict[str, element.StorageNode] = {}
        self.lookups: list[str] = []

    def execute(self):
        raise AssertionError("not collected in these tests")

    def fetch_pool(self, name):
        self.lookups.append(name)
        return self.known_pools.get(name)

    def fetch_node(self, host):
        self.lookups.append(host)
        return self.known_nodes.get(host)


@pytest.fixture
def collector():
    model = b.model(
        {
            "s1@lvm": {P1: (100, 70, [b.volume("v1", 10), b.volume("v2", 20)])},
            "s2@ceph": {P2: (200, 200, [])},
        },
        types={"gold": "lvm"},
    )
    return FakeCollector(model)


def _payload(volume_id, host, size=10, **fields):
    payload = {
        "volume_id": volume_id, "display_name": f"name-{volume_id}", "size": size,
        "status": "available", "host": host, "tenant_id": "p1", "volume_type": "type-gold",
        "volume_attachment": [], "snapshot_id": None, "metadata": [{"key": "k", "value": "v"}],
        "availability_zone": "nova", "created_at": "2026-01-01T00:00:00",
    }
    payload.update(fields)
    return payload


def _volume_event(collector, event_type, payload):
    cinder.VolumeNotificationEndpoint(collector).info(
        {}, "volume.s1@lvm", event_type, payload, {}
    )


def test_create_adds_a_volume_and_charges_its_pool(collector):
    _volume_event(collector, "volume.create.end", _payload("v9", P2, 30, glance_metadata=[{}]))
    model = collector.cluster_data_model
    volume = model.get_volume_by_uuid("v9")
    assert (volume.size, volume.volume_type, volume.bootable, volume.metadata) == (
        30, "gold", True, {"k": "v"}
    )
    assert model.get_pool_by_volume("v9").name == P2
    pool = model.get_pool_by_pool_name(P2)
    assert (pool.free_capacity_gb, pool.allocated_capacity_gb, pool.total_volumes) == (170, 30, 1)
    assert collector.lookups == []


def test_update_moves_a_migrated_volume_between_pools(collector):
    attachments = [{"id": "att1", "instance_uuid": "srv1"}]
    _volume_event(
        collector, "volume.update.end",
        _payload("v2", P2, 20, status="in-use", volume_attachment=attachments),
    )
    model = collector.cluster_data_model
    assert [v.uuid for v in model.get_pool_volumes(P1)] == ["v1"]
    assert model.get_volume_by_uuid("v2").attachments == [
        {"server_id": "srv1", "attachment_id": "att1"}
    ]
    assert model.get_pool_by_pool_name(P1).free_capacity_gb == 90
    assert model.get_pool_by_pool_name(P2).free_capacity_gb == 180


def test_resize_charges_the_difference(collector):
    _volume_event(collector, "volume.resize.end", _payload("v1", P1, 25))
    pool = collector.cluster_data_model.get_pool_by_pool_name(P1)
    assert (pool.free_capacity_gb, pool.allocated_capacity_gb) == (55, 45)


def test_delete_removes_the_volume_and_frees_its_pool(collector):
    _volume_event(collector, "volume.delete.end", _payload("v2", P1, 20))
    model = collector.cluster_data_model
    assert not model.has_volume("v2")
    assert model.get_pool_by_pool_name(P1).free_capacity_gb == 90
    # A second delete of the same volume is not an error.
    _volume_event(collector, "volume.delete.end", _payload("v2", P1, 20))


def test_unknown_events_are_ignored(collector):
    before = collector.cluster_data_model.to_list()
    _volume_event(collector, "volume.exists", _payload("v1", P1, 99))
    assert collector.cluster_data_model.to_list() == before


def test_capacity_sets_the_pool_figures(collector):
    payload = {"name_to_id": P1, "total": 120, "free": 60, "allocated": 55, "provisioned": 58,
               "virtual_free": 62}
    cinder.CapacityNotificationEndpoint(collector).info({}, "capacity.s1", "capacity.pool",
                                                        payload, {})
    pool = collector.cluster_data_model.get_pool_by_pool_name(P1)
    assert (pool.total_capacity_gb, pool.free_capacity_gb, pool.allocated_capacity_gb,
            pool.provisioned_capacity_gb, pool.virtual_free) == (120, 60, 55, 58, 62)


def test_a_new_pool_and_node_are_read_from_cinder_once(collector):
    new_pool = "s3@nfs#p3"
    collector.known_pools[new_pool] = b.pool(new_pool, 500, 500)
    collector.known_nodes["s3@nfs"] = element.StorageNode(host="s3@nfs", zone="az3",
                                                          volume_type=[])
    _volume_event(collector, "volume.create.end", _payload("v7", new_pool, 50))
    _volume_event(collector, "volume.update.end", _payload("v7", new_pool, 50))
    model = collector.cluster_data_model
    assert collector.lookups == [new_pool, "s3@nfs"]
    assert model.get_node_by_pool_name(new_pool).zone == "az3"
    assert model.get_pool_by_volume("v7").name == new_pool
    assert model.get_pool_by_pool_name(new_pool).free_capacity_gb == 450


def test_a_pool_cinder_does_not_know_leaves_the_volume_unmapped(collector):
    _volume_event(collector, "volume.create.end", _payload("v8", "gone@x#y", 5))
    model = collector.cluster_data_model
    assert model.has_volume("v8")
    assert collector.lookups == ["gone@x#y"]


def test_patches_during_a_rebuild_are_replayed_on_the_new_model(collector):
    rebuilt = b.model({"s1@lvm": {P1: (100, 70, [b.volume("v1", 10), b.volume("v2", 20)])},
                       "s2@ceph": {P2: (200, 200, [])}})
    collector.execute = lambda: (_volume_event(collector, "volume.delete.end",
                                               _payload("v1", P1)), rebuilt)[1]
    collector.synchronize()
    assert collector.cluster_data_model is rebuilt
    assert not rebuilt.has_volume("v1")


def test_filters_pick_cinder_publishers(collector):
    capacity = cinder.CapacityNotificationEndpoint(collector).filter_rule
    volume = cinder.VolumeNotificationEndpoint(collector).filter_rule
    assert capacity.match({}, "capacity.s1@lvm", "capacity.pool", {}, {})
    assert not capacity.match({}, "volume.s1@lvm", "capacity.pool", {}, {})
    assert volume.match({}, "volume.s1@lvm", "volume.create.end", {}, {})
    assert not volume.match({}, "nova-compute:cmp1", "volume.create.end", {}, {})
