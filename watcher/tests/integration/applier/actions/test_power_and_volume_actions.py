"""change_node_power_state through Ironic and MAAS, and volume_migrate, on the simulator."""

import pytest

from watcher.applier.actions import change_node_power_state, volume_migration
from watcher.common import clients, exception
from watcher.simulator.runner import Simulator
from watcher.tests.integration.applier.actions.conftest import (
    configure,
    metal_node,
    scenario,
    server,
    volume,
)

pytestmark = pytest.mark.integration


def _action(cls, osc, **params):
    action = cls(osc=osc)
    action.input_parameters = params
    action.validate_parameters()
    return action


@pytest.fixture
def maas_conf(sim, conf):
    config = sim.apps["maas"].client_config
    conf.config(group="maas_client", url=config["url"], api_key=config["api_key"])


def _power(osc, node, state):
    return _action(change_node_power_state.ChangeNodePowerState, osc, resource_id=node,
                   state=state)


def test_ironic_power_off_and_revert(sim, osc):
    node = metal_node(sim, "bm-idle")
    action = _power(osc, node.id, "off")
    assert action.execute() is True
    assert node.power_state == "power off"
    assert sim.state.compute_services["cmp2"].state == "down"
    assert action.revert() is True
    assert node.power_state == "power on"


def test_ironic_refuses_to_power_off_a_host_with_servers(sim, osc):
    node = metal_node(sim, "bm-busy")
    assert _power(osc, node.id, "off").execute() is False
    assert node.power_state == "power on"
    assert node.target_power_state is None


def test_power_state_already_reached_is_success_without_a_call(sim, osc):
    node = metal_node(sim, "bm-busy")
    assert _power(osc, node.id, "on").execute() is True
    assert node.target_power_state is None


def test_maas_power_off_then_on(sim, osc, maas_conf):
    node = metal_node(sim, "maas-idle")
    action = _power(osc, "maas01", "off")
    assert action.execute() is True
    assert node.power_state == "power off"
    assert sim.state.compute_services["cmp4"].state == "down"
    assert _power(osc, "maas02", "on").execute() is True
    assert metal_node(sim, "maas-off").power_state == "power on"


def test_maas_unknown_machine(sim, osc, maas_conf):
    with pytest.raises(exception.MetalNodeNotFound):
        _power(osc, "nosuch", "off").execute()


def test_failed_power_action_is_reported(conf):
    rules = [{"type": "failure_rate", "rate": 1.0, "operations": ["power_off"]}]
    with Simulator.from_scenario(scenario(failures=rules)) as failing:
        configure(conf, failing)
        node = metal_node(failing, "bm-idle")
        action = _power(clients.OpenStackClients(), node.id, "off")
        # The BMC refuses: the node stays on until the poll budget runs out.
        conf.config(group="nova", migration_max_retries=20)
        assert action.execute() is False
        assert node.power_state == "power on"


def _volume_action(osc, vol, kind, **params):
    return _action(volume_migration.VolumeMigrate, osc, resource_id=vol.id,
                   migration_type=kind, **params)


@pytest.mark.parametrize("kind", ["migrate", "swap"])
def test_volume_migrate_moves_to_another_pool(sim, osc, kind):
    vol = volume(sim, "data1")
    action = _volume_action(osc, vol, kind, destination_node="stor2@ceph#pool2")
    action.pre_condition()
    assert action.execute() is True
    assert vol.pool == "stor2@ceph#pool2"
    with pytest.raises(exception.ActionSkipped, match="already on pool"):
        action.pre_condition()


def test_volume_migrate_of_an_attached_volume_needs_a_running_server(sim, osc):
    vol = volume(sim, "attached")
    sim.operations.stop(server(sim, "vm2"))
    sim.advance()
    action = _volume_action(osc, vol, "migrate", destination_node="stor2@ceph#pool2")
    action.pre_condition()
    assert action.execute() is False
    assert vol.pool == "stor1@lvm#pool1"
    sim.operations.start(server(sim, "vm2"))
    sim.advance()
    assert action.execute() is True
    assert vol.pool == "stor2@ceph#pool2"


def test_volume_retype(sim, osc):
    vol = volume(sim, "data2")
    action = _volume_action(osc, vol, "retype", destination_type="ceph")
    action.pre_condition()
    assert action.execute() is True
    assert vol.volume_type == "ceph"
    assert vol.pool == "stor2@ceph#pool2"
    with pytest.raises(exception.ActionSkipped, match="already of type"):
        action.pre_condition()


def test_volume_migrate_pre_conditions(sim, osc):
    vol = volume(sim, "data1")
    with pytest.raises(exception.WatcherException, match="Pool stor9@x#y not found"):
        _volume_action(osc, vol, "migrate", destination_node="stor9@x#y").pre_condition()
    with pytest.raises(exception.WatcherException, match="type gold not found"):
        _volume_action(osc, vol, "retype", destination_type="gold").pre_condition()
    with pytest.raises(exception.WatcherException, match="needs a destination_node"):
        _volume_action(osc, vol, "migrate").pre_condition()
    missing = _action(volume_migration.VolumeMigrate, osc, migration_type="migrate",
                      resource_id="00000000-0000-0000-0000-000000000000",
                      destination_node="stor2@ceph#pool2")
    with pytest.raises(exception.ActionSkipped, match="not found"):
        missing.pre_condition()
