"""migrate, resize, stop and change_nova_service_state against the simulated Nova."""

import pytest

from watcher.applier.actions import change_nova_service_state, migration, resize, stop
from watcher.common import exception
from watcher.tests.integration.applier.actions.conftest import server

pytestmark = pytest.mark.integration


def _action(cls, osc, **params):
    action = cls(osc=osc)
    action.input_parameters = params
    action.validate_parameters()
    return action


def _migrate(osc, vm, kind, source, destination):
    return _action(migration.Migrate, osc, resource_id=vm.id, migration_type=kind,
                   source_node=source, destination_node=destination)


@pytest.mark.parametrize("kind", ["live", "cold"])
def test_migrate_moves_the_server_and_revert_brings_it_back(sim, osc, kind):
    vm = server(sim, "vm1")
    action = _migrate(osc, vm, kind, "cmp1", "cmp2")
    action.pre_condition()
    assert action.execute() is True
    assert vm.host == "cmp2" and vm.status == "ACTIVE"
    # The move is finished on Nova's side too: no resize left to confirm.
    assert {m.status for m in sim.state.migrations.values()} <= {"completed", "confirmed"}
    assert action.revert() is True
    assert vm.host == "cmp1"


def test_migrate_without_destination_lets_nova_choose(sim, osc):
    vm = server(sim, "vm1")
    action = _migrate(osc, vm, "live", "cmp1", None)
    assert action.execute() is True
    assert vm.host not in ("cmp1", None)


def test_cold_migration_of_a_stopped_server(sim, osc):
    vm = server(sim, "vm3")
    action = _migrate(osc, vm, "cold", "cmp1", "cmp2")
    action.pre_condition()
    assert action.execute() is True
    assert vm.host == "cmp2" and vm.task_state is None


def test_refused_live_migration_fails_and_leaves_the_server(sim, osc):
    vm = server(sim, "vm1")
    action = _migrate(osc, vm, "live", "cmp1", "cmp4")
    action.pre_condition()
    assert action.execute() is False
    assert vm.host == "cmp1" and vm.status == "ACTIVE"


def test_migrate_pre_conditions(sim, osc):
    vm = server(sim, "vm1")
    with pytest.raises(exception.ActionSkipped):
        _migrate(osc, vm, "live", "cmp2", "cmp3").pre_condition()
    missing = _action(migration.Migrate, osc, resource_id="00000000-0000-0000-0000-000000000000",
                      migration_type="live", source_node="cmp1")
    with pytest.raises(exception.ActionSkipped):
        missing.pre_condition()
    with pytest.raises(exception.ComputeNodeNotFound):
        _migrate(osc, vm, "live", "cmp1", "nosuch").pre_condition()
    with pytest.raises(exception.WatcherException, match="not enabled"):
        _migrate(osc, vm, "live", "cmp1", "cmp5").pre_condition()
    with pytest.raises(exception.WatcherException, match="ACTIVE"):
        _migrate(osc, server(sim, "vm3"), "live", "cmp1", "cmp2").pre_condition()


def test_abort_stops_a_running_live_migration(sim, osc):
    vm = server(sim, "vm1")
    # Slow the clock so the migration is still running when the abort comes.
    sim.clock.speed = 0.001
    action = _migrate(osc, vm, "live", "cmp1", "cmp2")
    action.nova.compute.live_migrate_server(vm.id, host="cmp2", block_migration="auto")
    assert vm.status == "MIGRATING"
    assert action.check_abort() is True
    assert action.abort() is True
    assert vm.host == "cmp1" and vm.status == "ACTIVE"
    assert [m.status for m in sim.state.migrations.values()] == ["cancelled"]
    # An aborted action does not start a migration afterwards.
    assert action.execute() is False


def test_resize_by_flavor_name(sim, osc):
    vm = server(sim, "vm1")
    action = _action(resize.Resize, osc, resource_id=vm.id, flavor="m1.medium")
    action.pre_condition()
    assert action.execute() is True
    assert sim.state.flavors[vm.flavor_id].name == "m1.medium"
    assert vm.status == "ACTIVE"


def test_resize_unknown_flavor_fails_the_pre_condition(sim, osc):
    action = _action(resize.Resize, osc, resource_id=server(sim, "vm1").id, flavor="m9.huge")
    with pytest.raises(exception.WatcherException, match="m9.huge"):
        action.pre_condition()


def test_stop_then_revert_starts(sim, osc):
    vm = server(sim, "vm1")
    action = _action(stop.Stop, osc, resource_id=vm.id)
    action.pre_condition()
    assert action.execute() is True
    assert vm.status == "SHUTOFF"
    with pytest.raises(exception.ActionSkipped, match="already stopped"):
        action.pre_condition()
    assert action.revert() is True
    assert vm.status == "ACTIVE"


def test_change_nova_service_state_toggles_the_service(sim, osc):
    service = sim.state.compute_services["cmp2"]
    node = sim.state.hypervisors_by_name["cmp2"]
    action = _action(change_nova_service_state.ChangeNovaServiceState, osc,
                     resource_id=node.id, resource_name="cmp2", state="disabled",
                     disabled_reason="watcher_maintaining")
    action.pre_condition()
    assert action.execute() is True
    assert service.status == "disabled"
    assert service.disabled_reason == "watcher_maintaining"
    with pytest.raises(exception.ActionSkipped, match="already disabled"):
        action.pre_condition()
    assert action.revert() is True
    assert service.status == "enabled"


def test_change_nova_service_state_finds_the_host_from_the_node_uuid(sim, osc):
    node = sim.state.hypervisors_by_name["cmp5"]
    action = _action(change_nova_service_state.ChangeNovaServiceState, osc,
                     resource_id=node.id, state="enabled")
    action.pre_condition()
    assert action.execute() is True
    assert sim.state.compute_services["cmp5"].status == "enabled"


def test_change_nova_service_state_skips_an_unknown_host(sim, osc):
    action = _action(change_nova_service_state.ChangeNovaServiceState, osc,
                     resource_id="nosuch", resource_name="nosuch", state="disabled")
    with pytest.raises(exception.ActionSkipped, match="not found"):
        action.pre_condition()


def test_change_nova_service_state_takes_a_host_name_as_resource_id(sim, osc):
    # Plans of older strategies name the host in resource_id.
    action = _action(change_nova_service_state.ChangeNovaServiceState, osc,
                     resource_id="cmp3", state="disabled", disabled_reason="watcher_test")
    action.pre_condition()
    assert action.execute() is True
    assert sim.state.compute_services["cmp3"].status == "disabled"
