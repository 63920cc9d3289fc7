"""pre_condition decisions (SKIPPED vs FAILED) and power logic, on hand-made cloud answers."""

from types import SimpleNamespace

import pytest
from oslo_config import fixture as cfg_fixture

from watcher.applier.actions import (
    change_node_power_state,
    change_nova_service_state,
    migration,
    resize,
    stop,
    volume_migration,
)
from watcher.common import exception
from watcher.common.metal import base as metal
from watcher.conf import CONF

UUID = "73b09e16-35b7-4922-804e-e8f5d9b740fc"


class FakeNova:
    def __init__(self, servers=(), nodes=(), services=(), flavors=()):
        self.servers = {s.id: s for s in servers}
        self.nodes = {n.name: n for n in nodes}
        self.services = {s.host: s for s in services}
        self.flavors = set(flavors)
        self.calls = []

    def find_instance(self, instance_id):
        return self.servers.get(instance_id)

    def get_compute_node_by_hostname(self, name):
        return self.nodes.get(name)

    def get_compute_node_by_uuid(self, node_id):
        return next((n for n in self.nodes.values() if n.id == node_id), None)

    def get_service(self, host):
        return self.services.get(host)

    def find_flavor(self, ref):
        return SimpleNamespace(id=ref) if ref in self.flavors else None

    def count_instances_on_node(self, node):
        return node.running_vms

    def enable_service(self, host):
        self.calls.append(("enable", host))
        return True

    def disable_service(self, host, reason=None):
        self.calls.append(("disable", host, reason))
        return True


def _server(status="ACTIVE", host="cmp1"):
    return SimpleNamespace(id=UUID, status=status, compute_host=host)


def _node(name, status="enabled", running_vms=0):
    return SimpleNamespace(id=f"id-{name}", name=name, status=status, running_vms=running_vms,
                           service_details={"host": name})


def _action(cls, nova=None, **params):
    action = cls()
    action.input_parameters = params
    if nova is not None:
        action.nova = nova
    return action


def _migrate(nova, kind="live", source="cmp1", destination="cmp2"):
    return _action(migration.Migrate, nova, resource_id=UUID, migration_type=kind,
                   source_node=source, destination_node=destination)


NODES = [_node("cmp1"), _node("cmp2"), _node("off", status="disabled")]


def test_migrate_goes_ahead_when_all_is_in_place():
    _migrate(FakeNova([_server()], NODES)).pre_condition()
    _migrate(FakeNova([_server("SHUTOFF")], NODES), kind="cold").pre_condition()
    _migrate(FakeNova([_server()], NODES), destination=None).pre_condition()


@pytest.mark.parametrize(("nova", "kwargs", "outcome"), [
    (FakeNova([], NODES), {}, exception.ActionSkipped),
    (FakeNova([_server(host="cmp2")], NODES), {}, exception.ActionSkipped),
    (FakeNova([_server()], NODES), {"destination": "nosuch"}, exception.ComputeNodeNotFound),
    (FakeNova([_server()], NODES), {"destination": "off"}, exception.WatcherException),
    (FakeNova([_server("SHUTOFF")], NODES), {}, exception.WatcherException),
])
def test_migrate_pre_condition(nova, kwargs, outcome):
    with pytest.raises(outcome) as caught:
        _migrate(nova, **kwargs).pre_condition()
    if outcome is not exception.ActionSkipped:
        # Failures must not be mistaken for skips by the workflow engine.
        assert not isinstance(caught.value, exception.ActionSkipped)


def test_resize_pre_condition():
    nova = FakeNova([_server()], flavors=["m1.large"])
    _action(resize.Resize, nova, resource_id=UUID, flavor="m1.large").pre_condition()
    with pytest.raises(exception.ActionSkipped):
        _action(resize.Resize, FakeNova(flavors=["m1.large"]), resource_id=UUID,
                flavor="m1.large").pre_condition()
    with pytest.raises(exception.WatcherException, match="m1.tiny"):
        _action(resize.Resize, nova, resource_id=UUID, flavor="m1.tiny").pre_condition()


def test_stop_pre_condition():
    _action(stop.Stop, FakeNova([_server()]), resource_id=UUID).pre_condition()
    for nova in (FakeNova(), FakeNova([_server("SHUTOFF")])):
        with pytest.raises(exception.ActionSkipped):
            _action(stop.Stop, nova, resource_id=UUID).pre_condition()


def _service(status="enabled", state="up"):
    return SimpleNamespace(host="cmp1", status=status, state=state, binary="nova-compute")


def _service_action(nova, **params):
    params.setdefault("resource_id", "id-cmp1")
    return _action(change_nova_service_state.ChangeNovaServiceState, nova, **params)


def test_service_state_pre_condition_and_inverse():
    nova = FakeNova(nodes=[_node("cmp1")], services=[_service()])
    action = _service_action(nova, state="disabled", disabled_reason="watcher_disabled")
    action.pre_condition()
    assert action.host == "cmp1"  # found from the compute node uuid
    assert action.execute() is True
    assert action.revert() is True
    assert nova.calls == [("disable", "cmp1", "watcher_disabled"), ("enable", "cmp1")]
    with pytest.raises(exception.ActionSkipped, match="already enabled"):
        _service_action(nova, state="enabled", resource_name="cmp1").pre_condition()
    with pytest.raises(exception.ActionSkipped, match="already up"):
        _service_action(nova, state="up", resource_name="cmp1").pre_condition()
    with pytest.raises(exception.ActionSkipped, match="not found"):
        _service_action(FakeNova(), state="disabled", resource_name="cmp9").pre_condition()
    with pytest.raises(exception.WatcherException, match="cannot be applied"):
        _service_action(nova, state="down", resource_name="cmp1").execute()


class FakeMetalNode(metal.BaseMetalNode):
    """Reaches the asked power state after ``delay`` reads."""

    def __init__(self, state, hypervisor, delay=2, reachable=True):
        super().__init__(hypervisor)
        self.state, self.delay, self.reachable = state, delay, reachable
        self.target = None
        self.reads = 0

    def get_id(self):
        return "node-1"

    def get_power_state(self):
        self.reads += 1
        if self.target is not None and self.reachable and self.reads > self.delay:
            self.state = self.target
        return self.state

    def power_on(self):
        self.target = metal.PowerState.ON

    def power_off(self):
        self.target = metal.PowerState.OFF


def _power(node, state):
    action = _action(change_node_power_state.ChangeNodePowerState, resource_id="node-1",
                     state=state)
    action.metal_helper = SimpleNamespace(get_node=lambda node_id: node, nova=FakeNova())
    return action


@pytest.fixture
def short_polls():
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    fixture.config(group="nova", migration_interval=0.1, migration_max_retries=10)
    yield
    fixture.cleanUp()


def test_power_off_waits_for_the_node(short_polls):
    node = FakeMetalNode(metal.PowerState.ON, _node("cmp1"))
    action = _power(node, "off")
    assert action.execute() is True
    assert node.state == metal.PowerState.OFF
    assert action.revert() is True
    assert node.state == metal.PowerState.ON


def test_power_off_is_refused_while_vms_run(short_polls):
    node = FakeMetalNode(metal.PowerState.ON, _node("cmp1", running_vms=2))
    assert _power(node, "off").execute() is False
    assert node.target is None


def test_power_on_of_a_node_already_on_does_nothing(short_polls):
    node = FakeMetalNode(metal.PowerState.ON, None)
    assert _power(node, "on").execute() is True
    assert node.target is None


def test_power_change_that_never_happens_fails(short_polls):
    node = FakeMetalNode(metal.PowerState.OFF, None, reachable=False)
    assert _power(node, "on").execute() is False
    assert node.reads == 11  # the first read, then the poll budget


def _volume(**fields):
    values = {"id": UUID, "host": "h1@lvm#p1", "volume_type": "lvm", "attachments": [],
              "status": "available"}
    values.update(fields)
    return SimpleNamespace(**values)


class FakeCinder:
    def __init__(self, volume=None, pools=("h1@lvm#p1", "h2@ceph#p2"), types=("lvm", "ceph")):
        self.volume, self.pools, self.types = volume, pools, types

    def get_volume(self, volume_id):
        return self.volume

    def pool_exists(self, pool):
        return pool in self.pools

    def get_volume_type(self, name):
        return name if name in self.types else None


def _volume_action(cinder, nova=None, **params):
    action = _action(volume_migration.VolumeMigrate, nova, resource_id=UUID, **params)
    action.cinder = cinder
    return action


@pytest.mark.parametrize(("volume", "params", "outcome"), [
    (_volume(), {"migration_type": "migrate", "destination_node": "h2@ceph#p2"}, None),
    (_volume(), {"migration_type": "swap", "destination_node": "h2@ceph#p2"}, None),
    (_volume(), {"migration_type": "retype", "destination_type": "ceph"}, None),
    (None, {"migration_type": "migrate", "destination_node": "h2@ceph#p2"},
     exception.ActionSkipped),
    (_volume(), {"migration_type": "migrate", "destination_node": "h1@lvm#p1"},
     exception.ActionSkipped),
    (_volume(), {"migration_type": "retype", "destination_type": "lvm"},
     exception.ActionSkipped),
    (_volume(), {"migration_type": "migrate", "destination_node": "h9@x#y"},
     exception.WatcherException),
    (_volume(), {"migration_type": "retype", "destination_type": "gold"},
     exception.WatcherException),
])
def test_volume_migrate_pre_condition(volume, params, outcome):
    action = _volume_action(FakeCinder(volume), **params)
    if outcome is None:
        action.pre_condition()
        return
    with pytest.raises(outcome) as caught:
        action.pre_condition()
    if outcome is not exception.ActionSkipped:
        assert not isinstance(caught.value, exception.ActionSkipped)


@pytest.mark.parametrize(("volume_status", "server_status", "movable"), [
    ("in-use", "ACTIVE", True),
    ("in-use", "PAUSED", True),
    ("in-use", "SHUTOFF", False),
    ("in-use", "VERIFY_RESIZE", False),
    ("attaching", "ACTIVE", False),
])
def test_attached_volume_moves_only_under_a_running_server(volume_status, server_status,
                                                            movable):
    volume = _volume(status=volume_status, attachments=[{"server_id": UUID}])
    action = _volume_action(FakeCinder(volume), FakeNova([_server(server_status)]),
                            migration_type="migrate", destination_node="h2@ceph#p2")
    assert action._can_migrate(volume) is movable
