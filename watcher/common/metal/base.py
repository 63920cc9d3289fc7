"""What every bare-metal backend offers: nodes tied to Nova hypervisors, and their power."""

from __future__ import annotations

import enum

from watcher.common import exception, nova_helper


class PowerState(str, enum.Enum):
    ON = "on"
    OFF = "off"
    UNKNOWN = "unknown"
    ERROR = "error"


class BaseMetalNode:
    # Whether Nova still reports the hypervisor "up" while the machine is off: Ironic-managed
    # hosts do, MAAS-managed ones do not. The saving_energy strategy reads it.
    hv_up_when_powered_off = False

    def __init__(self, nova_node=None) -> None:
        self._nova_node = nova_node

    def get_hypervisor_node(self):
        """The Nova hypervisor running on this machine (openstacksdk Hypervisor)."""
        if self._nova_node is None:
            raise exception.ComputeNodeNotFound(name=self.get_id())
        return self._nova_node

    def get_hypervisor_hostname(self) -> str:
        return self.get_hypervisor_node().name

    def get_power_state(self) -> PowerState:
        raise NotImplementedError

    def get_id(self) -> str:
        raise NotImplementedError

    def power_on(self) -> None:
        raise NotImplementedError

    def power_off(self) -> None:
        raise NotImplementedError

    def set_power_state(self, state: PowerState | str) -> None:
        state = PowerState(state)
        if state == PowerState.ON:
            self.power_on()
        elif state == PowerState.OFF:
            self.power_off()
        else:
            raise exception.UnsupportedError(f"Cannot set the power state to '{state.value}'")


class BaseMetalHelper:
    def __init__(self, osc) -> None:
        self._osc = osc
        self._nova: nova_helper.NovaHelper | None = None

    @property
    def nova(self) -> nova_helper.NovaHelper:
        if self._nova is None:
            self._nova = nova_helper.NovaHelper(osc=self._osc)
        return self._nova

    def list_compute_nodes(self) -> list[BaseMetalNode]:
        """Machines that carry a Nova hypervisor; the others are not Watcher's business."""
        raise NotImplementedError

    def get_node(self, node_id: str) -> BaseMetalNode:
        raise NotImplementedError
