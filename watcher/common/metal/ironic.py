"""Ironic backend: nodes from python-ironicclient, hypervisor from ``extra.compute_node_id``."""

from __future__ import annotations

from ironicclient import exc as ironic_exc
from oslo_log import log

from watcher.common import exception
from watcher.common.metal import base

LOG = log.getLogger(__name__)

# Ironic power states (ironic.common.states) folded onto on/off.
_POWER_STATES = {
    "power on": base.PowerState.ON,
    "rebooting": base.PowerState.ON,
    "soft rebooting": base.PowerState.ON,
    "soft reboot": base.PowerState.ON,
    "power off": base.PowerState.OFF,
    "soft power off": base.PowerState.OFF,
}


class IronicNode(base.BaseMetalNode):
    # Nova keeps an Ironic-backed hypervisor "up": its compute service runs elsewhere.
    hv_up_when_powered_off = True

    def __init__(self, ironic_node, nova_node, ironic_client) -> None:
        super().__init__(nova_node)
        self._node = ironic_node
        self._client = ironic_client

    def get_power_state(self) -> base.PowerState:
        # Read fresh: the object we were built from is a snapshot.
        state = self._client.node.get(self._node.uuid, fields=["power_state"]).power_state
        return _POWER_STATES.get(state, base.PowerState.UNKNOWN)

    def get_id(self) -> str:
        return self._node.uuid

    def power_on(self) -> None:
        LOG.info("Powering on Ironic node %s", self._node.uuid)
        self._client.node.set_power_state(self._node.uuid, "on")

    def power_off(self) -> None:
        LOG.info("Powering off Ironic node %s", self._node.uuid)
        self._client.node.set_power_state(self._node.uuid, "off")


class IronicHelper(base.BaseMetalHelper):
    def __init__(self, osc) -> None:
        super().__init__(osc)
        self._client_cache = None

    @property
    def _client(self):
        if self._client_cache is None:
            self._client_cache = self._osc.ironic()
        return self._client_cache

    def _hypervisor_of(self, node):
        compute_node_id = _compute_node_id(node)
        if not compute_node_id:
            return None
        return self.nova.get_compute_node_by_uuid(compute_node_id)

    def list_compute_nodes(self) -> list[base.BaseMetalNode]:
        # Two listings, whatever the number of nodes.
        hypervisors = {h.id: h for h in self.nova.list_compute_nodes()}
        out = []
        for node in self._client.node.list(detail=True):
            hypervisor = hypervisors.get(_compute_node_id(node))
            if hypervisor is None:
                LOG.info("Ironic node %s carries no Nova hypervisor", node.uuid)
                continue
            out.append(IronicNode(node, hypervisor, self._client))
        return out

    def get_node(self, node_id: str) -> base.BaseMetalNode:
        try:
            node = self._client.node.get(node_id)
        except ironic_exc.NotFound as exc:
            raise exception.MetalNodeNotFound(node=node_id) from exc
        return IronicNode(node, self._hypervisor_of(node), self._client)


def _compute_node_id(node) -> str | None:
    """The Nova hypervisor id an operator (or the deployment tool) put on the node."""
    return (node.extra or {}).get("compute_node_id")
