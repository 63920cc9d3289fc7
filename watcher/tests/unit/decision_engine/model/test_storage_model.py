"""StorageModelRoot: lookups, mappings, moves with their capacity, snapshots, rows."""

import pytest

from watcher.common import exception
from watcher.decision_engine.model import storage_element as element
from watcher.tests.unit.decision_engine.model import storage_builders as b

P1 = "stor1@lvm#pool1"
P2 = "stor2@ceph#pool2"


def _model():
    return b.model(
        {
            "stor1@lvm": {P1: (100, 70, [b.volume("v1", 10), b.volume("v2", 20)])},
            "stor2@ceph": {P2: (200, 200, [])},
        }
    )


def test_lookups_follow_the_indexes():
    model = _model()
    assert sorted(model.get_all_storage_nodes()) == ["stor1@lvm", "stor2@ceph"]
    assert model.get_node_by_name("stor1@lvm").host == "stor1@lvm"
    # A pool name finds its node, as upstream's get_node_by_name does.
    assert model.get_node_by_name(P1).host == "stor1@lvm"
    assert model.get_node_by_pool_name(P2).host == "stor2@ceph"
    assert [p.name for p in model.get_node_pools("stor1@lvm")] == [P1]
    assert [v.uuid for v in model.get_pool_volumes(P1)] == ["v1", "v2"]
    assert model.get_pool_by_volume("v2").name == P1
    assert model.get_volume_by_uuid("v1").size == 10
    assert model.has_pool(P2) and not model.has_pool("nope")
    assert model.has_node(P2) and not model.has_node("stor3@x")


def test_missing_resources_raise_upstream_exceptions():
    model = _model()
    with pytest.raises(exception.StorageNodeNotFound):
        model.get_node_by_name("stor9@x")
    with pytest.raises(exception.PoolNotFound):
        model.get_pool_by_pool_name("stor1@lvm#nope")
    with pytest.raises(exception.VolumeNotFound):
        model.get_volume_by_uuid("v9")
    with pytest.raises(exception.InvalidParameter):
        model.add_volume(b.pool(P1))


def test_migrate_volume_moves_it_and_its_size():
    model = _model()
    assert model.migrate_volume("v2", P1, P2) is True
    assert [v.uuid for v in model.get_pool_volumes(P1)] == ["v1"]
    assert [v.uuid for v in model.get_pool_volumes(P2)] == ["v2"]
    source, destination = model.get_pool_by_pool_name(P1), model.get_pool_by_pool_name(P2)
    assert (source.free_capacity_gb, source.allocated_capacity_gb) == (90, 10)
    assert (destination.free_capacity_gb, destination.allocated_capacity_gb) == (180, 20)
    assert (source.total_volumes, destination.total_volumes) == (-1, 1)
    assert model.get_volume_by_uuid("v2").host == P2
    assert model.migrate_volume("v2", P2, P2) is False
    with pytest.raises(exception.VolumeNotFound):
        model.migrate_volume("v1", P2, P1)


def test_removing_a_pool_unmaps_its_volumes_and_a_node_its_pools():
    model = _model()
    model.remove_pool(P1)
    assert model.has_volume("v1")
    with pytest.raises(exception.PoolNotFound):
        model.get_pool_by_volume("v1")
    assert model.get_node_pools("stor1@lvm") == []
    model.remove_node("stor2@ceph")
    with pytest.raises(exception.StorageNodeNotFound):
        model.get_node_by_pool_name(P2)
    model.remove_volume("v1")
    assert sorted(model.get_all_volumes()) == ["v2"]


def test_map_volume_moves_between_pools_and_unmap_checks_the_pool():
    model = _model()
    model.map_volume("v1", P2)
    assert [v.uuid for v in model.get_pool_volumes(P2)] == ["v1"]
    with pytest.raises(exception.VolumeNotFound):
        model.unmap_volume("v1", P1)
    model.unmap_volume("v1", P2)
    assert model.get_pool_volumes(P2) == []


def test_copy_is_independent():
    model = _model()
    model.volume_types = {"lvm": {"id": "t1", "extra_specs": {"volume_backend_name": "lvm"}}}
    snapshot = model.copy()
    snapshot.migrate_volume("v1", P1, P2)
    snapshot.get_volume_by_uuid("v2").attachments.append({"server_id": "s1"})
    snapshot.volume_types["lvm"]["id"] = "changed"
    assert model.get_pool_by_volume("v1").name == P1
    assert model.get_pool_by_pool_name(P2).free_capacity_gb == 200
    assert model.get_volume_by_uuid("v2").attachments == []
    assert model.volume_types["lvm"]["id"] == "t1"


def test_to_list_has_a_row_per_volume_and_per_empty_pool():
    rows = _model().to_list()
    assert [(r["node_host"], r["pool_name"], r.get("volume_uuid")) for r in rows] == [
        ("stor1@lvm", P1, "v1"),
        ("stor1@lvm", P1, "v2"),
        ("stor2@ceph", P2, None),
    ]


def test_pool_name_parts_and_volume_servers():
    pool = b.pool(P1)
    assert (pool.node_host, pool.pool_name) == ("stor1@lvm", "pool1")
    volume = element.Volume(
        uuid="v", attachments=[{"server_id": "s1", "attachment_id": "a"}, {"server_id": None}]
    )
    assert volume.server_ids == ["s1"]
    assert element.Volume(uuid="w").attachments == []
