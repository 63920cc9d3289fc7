"""Ironic and MAAS backends of the metal abstraction against the simulator's APIs."""

import asyncio

import pytest

from watcher.common import clients, exception
from watcher.common.metal import base, factory, ironic, maas
from watcher.conf import CONF
from watcher.simulator.runner import Simulator
from watcher.tests.fixtures import config as config_fixture
from watcher.tests.integration.applier.actions.conftest import configure, metal_node, scenario

pytestmark = pytest.mark.integration


@pytest.fixture
def sim():
    # Slow clock: power changes finish only when a test advances time.
    with Simulator.from_scenario(scenario(clock={"speed": 0.001})) as simulator:
        yield simulator


@pytest.fixture
def conf(sim):
    for fixture in config_fixture.isolated(CONF):
        configure(fixture, sim)
        yield fixture


@pytest.fixture
def maas_helper(sim, conf):
    config = sim.apps["maas"].client_config
    conf.config(group="maas_client", url=config["url"], api_key=config["api_key"])
    helper = factory.get_helper(clients.OpenStackClients())
    assert isinstance(helper, maas.MaasHelper)
    return helper


def test_ironic_nodes_with_their_hypervisors(sim, conf):
    helper = factory.get_helper(clients.OpenStackClients())
    assert isinstance(helper, ironic.IronicHelper)
    nodes = {n.get_hypervisor_hostname(): n for n in helper.list_compute_nodes()}
    # MAAS machines are not Ironic nodes.
    assert sorted(nodes) == ["cmp2", "cmp3"]
    assert nodes["cmp2"].get_id() == metal_node(sim, "bm-idle").id
    assert nodes["cmp2"].get_hypervisor_node().id == sim.state.hypervisors_by_name["cmp2"].id
    assert nodes["cmp2"].get_power_state() == base.PowerState.ON

    node = helper.get_node(metal_node(sim, "bm-idle").id)
    node.power_off()
    sim.advance()
    assert node.get_power_state() == base.PowerState.OFF


def test_ironic_unknown_node(sim, conf):
    with pytest.raises(exception.MetalNodeNotFound, match="nosuch"):
        factory.get_helper(clients.OpenStackClients()).get_node("nosuch")


def test_maas_machines_matched_by_fqdn(sim, maas_helper):
    nodes = {n.get_hypervisor_hostname(): n for n in maas_helper.list_compute_nodes()}
    assert sorted(nodes) == ["cmp4", "cmp5"]
    assert nodes["cmp4"].get_id() == "maas01"
    assert nodes["cmp5"].get_power_state() == base.PowerState.OFF

    node = maas_helper.get_node("maas02")
    assert node.get_hypervisor_node().name == "cmp5"
    node.set_power_state("on")
    assert node.get_power_state() == base.PowerState.OFF
    sim.advance()
    assert node.get_power_state() == base.PowerState.ON
    assert sim.state.compute_services["cmp5"].state == "up"


def test_maas_from_inside_an_event_loop(sim, maas_helper):
    async def in_loop():
        return maas_helper.get_node("maas01").get_power_state()

    assert asyncio.run(in_loop()) == base.PowerState.ON
