import numpy as np
import pytest

from watcher.common import exception
from watcher.decision_engine.model import element, model_root
from watcher.tests.unit.decision_engine.model import builders


def test_capacities_apply_reserved_and_ratio():
    node = builders.node(1, vcpus=16, vcpu_reserved=2, vcpu_ratio=4.0, memory=1000,
                         memory_mb_reserved=200, memory_ratio=1.5, disk=100,
                         disk_gb_reserved=10, disk_ratio=2.0)
    assert node.vcpu_capacity == 56.0
    assert node.memory_mb_capacity == 1200.0
    assert node.disk_gb_capacity == 180.0


def test_elements_reject_unknown_fields_and_keep_defaults_apart():
    with pytest.raises(TypeError):
        element.Instance(uuid="x", colour="blue")
    a, b = element.Instance(uuid="a"), element.Instance(uuid="b")
    a.metadata["k"] = "v"
    assert b.metadata == {}
    assert a["uuid"] == "a" and a.state == element.InstanceState.ACTIVE.value


def test_lookups_and_not_found_errors():
    model = builders.model({1: [1, 2], 2: [3]})
    assert model.get_node_by_name("host-2").uuid == "node-2"
    assert model.get_node_by_instance_uuid("vm-3").uuid == "node-2"
    assert [i.uuid for i in model.get_node_instances("node-1")] == ["vm-1", "vm-2"]
    assert set(model.get_all_instances()) == {"vm-1", "vm-2", "vm-3"}
    with pytest.raises(exception.ComputeNodeNotFound):
        model.get_node_by_uuid("nope")
    with pytest.raises(exception.ComputeNodeNotFound):
        model.get_node_by_name("nope")
    with pytest.raises(exception.InstanceNotFound):
        model.get_instance_by_uuid("nope")


def test_used_and_free_resources_follow_map_unmap_and_migrate():
    model = builders.model({1: [1, 2], 2: []})
    assert model.get_node_used_resources("node-1") == {"vcpu": 4, "memory": 8192, "disk": 80}
    assert model.get_node_free_resources("node-1") == {
        "vcpu": 12.0,
        "memory": 32768 - 8192,
        "disk": 420.0,
    }
    assert model.migrate_instance("vm-1", "node-1", "node-2") is True
    assert model.get_node_used_resources("node-1") == {"vcpu": 2, "memory": 4096, "disk": 40}
    assert model.get_node_used_resources("node-2") == {"vcpu": 2, "memory": 4096, "disk": 40}
    assert model.migrate_instance("vm-1", "node-2", "node-2") is False
    model.unmap_instance("vm-2", "node-1")
    assert model.get_node_used_resources("node-1") == {"vcpu": 0, "memory": 0, "disk": 0}
    with pytest.raises(exception.InstanceNotMapped):
        model.unmap_instance("vm-2", "node-1")
    with pytest.raises(exception.ComputeNodeNotFound):
        model.get_node_by_instance_uuid("vm-2")


def test_map_moves_an_instance_already_mapped_elsewhere():
    model = builders.model({1: [1], 2: []})
    model.map_instance("vm-1", "node-2")
    assert model.get_node_instances("node-1") == []
    assert model.get_node_used_resources("node-2")["vcpu"] == 2


def test_replacing_or_updating_an_instance_recharges_its_node():
    model = builders.model({1: [1]})
    model.add_instance(builders.instance(1, vcpus=8))
    assert model.get_node_used_resources("node-1")["vcpu"] == 8
    resized = model.get_instance_by_uuid("vm-1")
    resized.memory = 100
    model.update_instance(resized)
    assert model.get_node_used_resources("node-1")["memory"] == 100
    resized.disk = 1
    model.invalidate_resource_cache()
    assert model.get_node_used_resources("node-1")["disk"] == 1


def test_remove_instance_and_node():
    model = builders.model({1: [1, 2], 2: [3]})
    model.remove_instance("vm-1")
    assert model.get_node_used_resources("node-1")["vcpu"] == 2
    model.remove_node("node-1")
    assert set(model.get_all_compute_nodes()) == {"node-2"}
    # As upstream, instances of a removed node stay in the model, unmapped.
    assert "vm-2" in model.get_all_instances()
    with pytest.raises(exception.ComputeNodeNotFound):
        model.get_node_by_name("host-1")


def test_replacing_a_node_keeps_its_instances_and_renames_it():
    model = builders.model({1: [1]})
    model.add_node(builders.node(1, hostname="renamed", status="disabled"))
    assert model.get_node_by_name("renamed").status == "disabled"
    assert [i.uuid for i in model.get_node_instances("node-1")] == ["vm-1"]
    with pytest.raises(exception.ComputeNodeNotFound):
        model.get_node_by_name("host-1")


def test_copy_is_independent_of_the_original():
    model = builders.model({1: [1], 2: []})
    snapshot = model.copy()
    snapshot.migrate_instance("vm-1", "node-1", "node-2")
    snapshot.get_node_by_uuid("node-1").status = "disabled"
    snapshot.get_instance_by_uuid("vm-1").metadata["x"] = "y"
    assert model.get_node_by_instance_uuid("vm-1").uuid == "node-1"
    assert model.get_node_by_uuid("node-1").status == "enabled"
    assert model.get_instance_by_uuid("vm-1").metadata == {}
    assert model.get_node_used_resources("node-2")["vcpu"] == 0


def test_filtered_keeps_nodes_and_flags_excluded_instances():
    model = builders.model({1: [1, 2], 2: [3], 3: [4]})
    scoped = model.filtered(["node-1", "node-3"], excluded_instances={"vm-2"})
    assert set(scoped.get_all_compute_nodes()) == {"node-1", "node-3"}
    assert set(scoped.get_all_instances()) == {"vm-1", "vm-2", "vm-4"}
    assert scoped.get_instance_by_uuid("vm-2").watcher_exclude is True
    assert model.get_instance_by_uuid("vm-2").watcher_exclude is False
    assert scoped.get_node_used_resources("node-1")["vcpu"] == 4


def test_arrays_match_the_model():
    model = builders.model({1: [1, 2], 2: [3]})
    model.add_instance(builders.instance(9, vcpus=1))  # unmapped
    view = model.arrays()
    assert view.node_uuids == ["node-1", "node-2"]
    assert view.capacity.shape == (2, 3)
    assert view.demand.shape == (4, 3)
    assert view.placement[view.instance_index["vm-9"]] == -1
    assert view.placement[view.instance_index["vm-3"]] == view.node_index["node-2"]
    for uuid, row in view.node_index.items():
        used = model.get_node_used_resources(uuid)
        assert list(view.usage()[row]) == [used["vcpu"], used["memory"], used["disk"]]
    free = view.free()[view.node_index["node-1"]]
    assert np.allclose(free, list(model.get_node_free_resources("node-1").values()))


def test_arrays_of_an_empty_model_have_the_right_shapes():
    view = model_root.ModelRoot().arrays()
    assert view.capacity.shape == (0, 3) and view.demand.shape == (0, 3)
    assert view.usage().shape == (0, 3)


def test_to_list_rows_one_per_instance_and_node_only_rows():
    model = builders.model({2: [2, 1], 1: []})
    rows = model.to_list()
    assert [(r["node_uuid"], r.get("server_uuid")) for r in rows] == [
        ("node-1", None),
        ("node-2", "vm-1"),
        ("node-2", "vm-2"),
    ]
    assert set(rows[1]) == {f"node_{f}" for f in element.ComputeNode.fields} | {
        f"server_{f}" for f in model_root.SERVER_ROW_FIELDS
    }
    assert rows[1]["server_vcpus"] == 2 and rows[1]["node_hostname"] == "host-2"
