"""The bare-metal collector against the simulated Ironic and MAAS."""

import pytest

from watcher.common import clients
from watcher.decision_engine.model.collector import ironic
from watcher.simulator.runner import Simulator
from watcher.tests.integration.applier.actions.conftest import configure, metal_node, scenario

pytestmark = pytest.mark.integration


@pytest.fixture
def sim(conf):
    with Simulator.from_scenario(scenario()) as simulator:
        configure(conf, simulator)
        yield simulator


def _collect():
    collector = ironic.BaremetalClusterDataModelCollector(osc=clients.OpenStackClients())
    collector.synchronize()
    assert collector.last_error is None
    return collector.cluster_data_model


def test_ironic_nodes_with_their_hypervisors(sim):
    model = _collect()
    hypervisors = sim.state.hypervisors_by_name
    nodes = {n.name: n for n in model.get_all_ironic_nodes().values()}
    # MAAS machines are not Ironic nodes.
    assert sorted(nodes) == ["bm-busy", "bm-idle"]
    idle = nodes["bm-idle"]
    assert idle.uuid == metal_node(sim, "bm-idle").id
    assert (idle.power_state, idle.maintenance, idle.provider, idle.hv_up_when_powered_off) == (
        "power on", False, "ironic", True
    )
    assert (idle.hypervisor_id, idle.hypervisor_hostname) == (hypervisors["cmp2"].id, "cmp2")
    assert idle.extra == {"compute_node_id": hypervisors["cmp2"].id}
    assert model.get_node_by_hypervisor(hypervisors["cmp3"].id).name == "bm-busy"


def test_ironic_collection_is_two_listings(sim):
    collector = ironic.BaremetalClusterDataModelCollector(osc=clients.OpenStackClients())
    collector.synchronize()
    sim.requests.clear()
    collector.synchronize()
    # The node list and the hypervisor list, whatever the number of machines.
    assert (sim.requests["baremetal"], sim.requests["compute"]) == (1, 1)


def test_ironic_power_changes_show_in_the_next_collection(sim):
    node = metal_node(sim, "bm-idle")
    sim.operations.set_power(node, False)
    sim.advance()
    assert _collect().get_node_by_uuid(node.id).power_state == "power off"


def test_maas_machines_with_their_hypervisors(sim, conf):
    config = sim.apps["maas"].client_config
    conf.config(group="maas_client", url=config["url"], api_key=config["api_key"])
    model = _collect()
    nodes = {n.hypervisor_hostname: n for n in model.get_all_ironic_nodes().values()}
    assert sorted(nodes) == ["cmp4", "cmp5"]
    assert nodes["cmp4"].uuid == "maas01"
    assert (nodes["cmp4"].power_state, nodes["cmp5"].power_state) == ("on", "off")
    assert (nodes["cmp4"].provider, nodes["cmp4"].hv_up_when_powered_off) == ("maas", False)
    assert nodes["cmp5"].hypervisor_id == sim.state.hypervisors_by_name["cmp5"].id
