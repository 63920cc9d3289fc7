"""BaremetalModelRoot and IronicNode: hypervisor index, power folding, snapshots."""

import pytest

from watcher.common import exception
from watcher.common.metal.base import PowerState
from watcher.decision_engine.model import baremetal_model


def _node(uuid, hypervisor=None, power="power on", **fields):
    return baremetal_model.IronicNode(
        uuid=uuid, power_state=power, hypervisor_id=hypervisor,
        hypervisor_hostname=f"hv-{hypervisor}" if hypervisor else None, **fields
    )


def test_hypervisor_index_follows_adds_and_removals():
    model = baremetal_model.BaremetalModelRoot()
    model.add_node(_node("b", "h1"))
    model.add_node(_node("a", "h2"))
    model.add_node(_node("c"))
    assert [n.uuid for n in model.get_compute_nodes()] == ["a", "b"]
    assert model.get_node_by_hypervisor("h1").uuid == "b"
    # Re-adding a node with another hypervisor moves the index entry.
    model.add_node(_node("b", "h3"))
    with pytest.raises(exception.IronicNodeNotFound):
        model.get_node_by_hypervisor("h1")
    model.remove_node("a")
    assert [n.uuid for n in model.get_compute_nodes()] == ["b"]
    with pytest.raises(exception.IronicNodeNotFound):
        model.remove_node("a")
    with pytest.raises(exception.IronicNodeNotFound):
        model.get_node_by_uuid("zz")
    assert sorted(model.get_all_ironic_nodes()) == ["b", "c"]


@pytest.mark.parametrize(
    ("raw", "power"),
    [
        ("power on", PowerState.ON),
        ("rebooting", PowerState.ON),
        ("power off", PowerState.OFF),
        ("soft power off", PowerState.OFF),
        ("on", PowerState.ON),
        ("off", PowerState.OFF),
        ("error", PowerState.ERROR),
        (None, PowerState.UNKNOWN),
        ("enroll", PowerState.UNKNOWN),
    ],
)
def test_power_state_folds_onto_on_off(raw, power):
    assert _node("n", power=raw).power == power


def test_copy_and_rows():
    model = baremetal_model.BaremetalModelRoot()
    model.add_node(_node("n1", "h1", extra={"compute_node_id": "h1"}))
    snapshot = model.copy()
    snapshot.get_node_by_uuid("n1").extra["compute_node_id"] = "other"
    snapshot.remove_node("n1")
    assert model.get_node_by_uuid("n1").extra == {"compute_node_id": "h1"}
    row = model.to_list()[0]
    assert (row["node_uuid"], row["node_power_state"], row["node_provider"]) == (
        "n1", "power on", "ironic"
    )
