"""The bare-metal data model: the machines of Ironic (or MAAS) and the hypervisor each runs.

Upstream's IronicNode fields (uuid, power_state, maintenance, maintenance_reason, extra) plus
what lets a strategy work from the model alone: the machine's backend, the Nova hypervisor it
carries (id and name) and whether that backend keeps the hypervisor "up" while the machine is
off. ``power_state`` is the backend's own word (Ironic's "power on", MAAS's "on");
:attr:`IronicNode.power` folds it onto on/off/unknown/error.
"""

from __future__ import annotations

from watcher.common import exception
from watcher.common.metal.base import PowerState
from watcher.decision_engine.model import element

# Ironic power states (and the already folded values MAAS reports) -> on/off.
_POWER = {
    "power on": PowerState.ON,
    "rebooting": PowerState.ON,
    "soft rebooting": PowerState.ON,
    "soft reboot": PowerState.ON,
    "power off": PowerState.OFF,
    "soft power off": PowerState.OFF,
    "on": PowerState.ON,
    "off": PowerState.OFF,
    "error": PowerState.ERROR,
}


class IronicNode(element._Element):
    fields = (
        "uuid",
        "name",
        "power_state",
        "maintenance",
        "maintenance_reason",
        "extra",
        "provider",
        "hypervisor_id",
        "hypervisor_hostname",
        "hv_up_when_powered_off",
    )
    __slots__ = fields
    _defaults = {
        "maintenance": False,
        "extra": {},
        "provider": "ironic",
        "hv_up_when_powered_off": True,
    }

    @property
    def power(self) -> PowerState:
        return _POWER.get(str(self.power_state).lower(), PowerState.UNKNOWN)


class BaremetalModelRoot:
    """Bare-metal nodes keyed by id, with a hypervisor id -> node index."""

    def __init__(self, stale: bool = False) -> None:
        self.stale = stale
        self._nodes: dict[str, IronicNode] = {}
        self._by_hypervisor: dict[str, str] = {}

    def add_node(self, node: IronicNode) -> None:
        if not isinstance(node, IronicNode):
            raise exception.InvalidParameter(parameter="node", parameter_type="IronicNode")
        old = self._nodes.get(node.uuid)
        if old is not None and self._by_hypervisor.get(old.hypervisor_id) == old.uuid:
            del self._by_hypervisor[old.hypervisor_id]
        self._nodes[node.uuid] = node
        if node.hypervisor_id:
            self._by_hypervisor[node.hypervisor_id] = node.uuid

    def remove_node(self, node: IronicNode | str) -> None:
        uuid = node if isinstance(node, str) else node.uuid
        removed = self._nodes.pop(uuid, None)
        if removed is None:
            raise exception.IronicNodeNotFound(uuid=uuid)
        if self._by_hypervisor.get(removed.hypervisor_id) == uuid:
            del self._by_hypervisor[removed.hypervisor_id]

    def get_all_ironic_nodes(self) -> dict[str, IronicNode]:
        return dict(self._nodes)

    def get_node_by_uuid(self, uuid: str) -> IronicNode:
        try:
            return self._nodes[uuid]
        except KeyError:
            raise exception.IronicNodeNotFound(uuid=uuid) from None

    def get_node_by_hypervisor(self, hypervisor_id: str) -> IronicNode:
        uuid = self._by_hypervisor.get(hypervisor_id)
        if uuid is None:
            raise exception.IronicNodeNotFound(uuid=hypervisor_id)
        return self._nodes[uuid]

    def get_compute_nodes(self) -> list[IronicNode]:
        """Machines that carry a Nova hypervisor, in id order."""
        return [self._nodes[u] for u in sorted(self._by_hypervisor.values())]

    def copy(self) -> BaremetalModelRoot:
        new = BaremetalModelRoot(stale=self.stale)
        new._nodes = {u: n.clone() for u, n in self._nodes.items()}
        new._by_hypervisor = dict(self._by_hypervisor)
        return new

    def to_list(self) -> list[dict]:
        return [
            {f"node_{f}": v for f, v in self._nodes[u].as_dict().items()}
            for u in sorted(self._nodes)
        ]

    def __repr__(self) -> str:
        return f"BaremetalModelRoot(nodes={len(self._nodes)}, stale={self.stale})"
