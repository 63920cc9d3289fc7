"""Bare-metal collector pieces that need no cloud."""

import types

from watcher.common.metal import base as metal_base
from watcher.decision_engine.model.collector import ironic


def test_ironic_node_without_a_known_hypervisor_is_kept_without_one():
    node = types.SimpleNamespace(uuid="n1", name="bm1", power_state="power off",
                                 maintenance=True, maintenance_reason="disk",
                                 extra={"compute_node_id": "gone", "other": 1})
    element = ironic.build_ironic_node(node, None)
    assert (element.hypervisor_id, element.hypervisor_hostname) == (None, None)
    assert (element.maintenance, element.maintenance_reason) == (True, "disk")
    assert element.extra == {"compute_node_id": "gone"}
    assert element.power == metal_base.PowerState.OFF


class _Machine(metal_base.BaseMetalNode):
    hv_up_when_powered_off = False

    def __init__(self, power):
        super().__init__(types.SimpleNamespace(id="hv-1", name="cmp1.example"))
        self._power = power

    def get_id(self):
        return "sys01"

    def get_power_state(self):
        if isinstance(self._power, Exception):
            raise self._power
        return self._power


def test_metal_node_reads_power_and_survives_a_failed_read():
    element = ironic.build_metal_node(_Machine(metal_base.PowerState.ON))
    assert (element.uuid, element.power_state, element.hypervisor_id,
            element.hypervisor_hostname, element.hv_up_when_powered_off, element.provider) == (
        "sys01", "on", "hv-1", "cmp1.example", False, "maas")
    element = ironic.build_metal_node(_Machine(TimeoutError("BMC")))
    assert element.power == metal_base.PowerState.UNKNOWN
