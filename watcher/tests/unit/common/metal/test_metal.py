"""Backend choice, power state mapping and the libmaas call wrapper, without a cloud."""

import asyncio
from types import SimpleNamespace

import pytest
from maas.client import enum as maas_enum
from oslo_config import fixture as cfg_fixture

from watcher.common import exception
from watcher.common.metal import base, factory, ironic, maas
from watcher.conf import CONF


@pytest.fixture
def conf():
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    yield fixture
    fixture.cleanUp()


@pytest.mark.parametrize(("url", "api_key", "backend"), [
    (None, None, "ironic"),
    ("http://maas.example:5240/MAAS", "c:t:s", "maas"),
    (None, "c:t:s", "ironic"),
])
def test_backend_choice(conf, url, api_key, backend):
    conf.config(group="maas_client", url=url, api_key=api_key)
    assert factory.backend_name() == backend


def test_maas_url_without_api_key_is_a_clear_error(conf):
    conf.config(group="maas_client", url="http://maas.example:5240/MAAS")
    with pytest.raises(exception.ConfigInvalid, match=r"\[maas_client\] api_key"):
        factory.get_helper(osc=None)


def test_helpers_come_from_the_entry_points(conf):
    assert isinstance(factory.get_helper(osc=None), ironic.IronicHelper)
    conf.config(group="maas_client", url="http://maas.example:5240/MAAS", api_key="c:t:s")
    helper = factory.get_helper(osc=None)
    assert isinstance(helper, maas.MaasHelper)


class _IronicNodes:
    def __init__(self, states):
        self.states = states
        self.set_calls = []

    def get(self, uuid, fields=None):
        return SimpleNamespace(uuid=uuid, power_state=self.states[uuid])

    def set_power_state(self, uuid, state):
        self.set_calls.append((uuid, state))


@pytest.mark.parametrize(("ironic_state", "expected"), [
    ("power on", base.PowerState.ON),
    ("rebooting", base.PowerState.ON),
    ("soft rebooting", base.PowerState.ON),
    ("power off", base.PowerState.OFF),
    ("soft power off", base.PowerState.OFF),
    (None, base.PowerState.UNKNOWN),
    ("error", base.PowerState.UNKNOWN),
])
def test_ironic_power_states(ironic_state, expected):
    client = SimpleNamespace(node=_IronicNodes({"n1": ironic_state}))
    node = ironic.IronicNode(SimpleNamespace(uuid="n1"), None, client)
    assert node.get_power_state() == expected


def test_set_power_state_dispatches_and_rejects_other_states():
    client = SimpleNamespace(node=_IronicNodes({}))
    node = ironic.IronicNode(SimpleNamespace(uuid="n1"), None, client)
    node.set_power_state("off")
    node.set_power_state(base.PowerState.ON)
    assert client.node.set_calls == [("n1", "off"), ("n1", "on")]
    with pytest.raises(exception.UnsupportedError):
        node.set_power_state(base.PowerState.ERROR)
    with pytest.raises(exception.ComputeNodeNotFound):
        node.get_hypervisor_node()
    assert ironic.IronicNode.hv_up_when_powered_off is True
    assert maas.MaasNode.hv_up_when_powered_off is False


@pytest.mark.parametrize(("state", "expected"), [
    (maas_enum.PowerState.ON, base.PowerState.ON),
    (maas_enum.PowerState.OFF, base.PowerState.OFF),
    (maas_enum.PowerState.ERROR, base.PowerState.ERROR),
    (maas_enum.PowerState.UNKNOWN, base.PowerState.UNKNOWN),
    ("weird", base.PowerState.UNKNOWN),
])
def test_maas_power_states(state, expected):
    assert maas._power_state(state) == expected


async def _coroutine(value):
    await asyncio.sleep(0)
    return value, asyncio.get_running_loop()


def test_call_runs_coroutines_on_a_loop_of_their_own():
    value, loop = maas.call(_coroutine, 7)
    assert value == 7 and loop.is_closed()
    assert maas.call(lambda x: x * 2, 21) == 42


def test_call_works_from_inside_a_running_loop():
    async def caller():
        # libmaas returns coroutines inside a loop; the applier may well be in one.
        return maas.call(_coroutine, "inside")[0]

    assert asyncio.run(caller()) == "inside"


def test_call_is_bounded_by_the_maas_timeout(conf):
    conf.config(group="maas_client", timeout=1)
    with pytest.raises(asyncio.TimeoutError):
        maas.call(asyncio.sleep, 30)
