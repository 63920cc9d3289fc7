"""change_node_power_state: power a bare-metal compute node on or off (Ironic or MAAS).

The wait for the new power state uses the poll budget of every applier wait ([nova]
migration_interval x migration_max_retries) where upstream hard-codes 10 s x 60.
"""

from __future__ import annotations

import functools

from oslo_log import log

from watcher.applier.actions import cloud
from watcher.common import exception, nova_helper
from watcher.common.metal import base as metal
from watcher.common.metal import factory

LOG = log.getLogger(__name__)

_OPPOSITE = {metal.PowerState.ON: metal.PowerState.OFF, metal.PowerState.OFF: metal.PowerState.ON}


class ChangeNodePowerState(cloud.CloudAction):
    STATE = "state"

    @property
    def schema(self) -> dict:
        return {
            "type": "object",
            "properties": {
                "resource_id": cloud.NAME_SCHEMA,
                "resource_name": cloud.NAME_SCHEMA,
                "state": {
                    "type": "string",
                    "enum": [metal.PowerState.ON.value, metal.PowerState.OFF.value],
                },
            },
            "required": ["resource_id", "state"],
            "additionalProperties": False,
        }

    @property
    def node_id(self) -> str:
        return self.resource_id

    @property
    def state(self) -> metal.PowerState:
        return metal.PowerState(self.input_parameters.get(self.STATE))

    @functools.cached_property
    def metal_helper(self) -> metal.BaseMetalHelper:
        return factory.get_helper(self.clients)

    def execute(self) -> bool:
        return self._set_power(self.state)

    def revert(self) -> bool:
        return self._set_power(_OPPOSITE[self.state])

    def _set_power(self, target: metal.PowerState) -> bool:
        node = self.metal_helper.get_node(self.node_id)
        if node.get_power_state() == target:
            return True
        if target == metal.PowerState.OFF and self._running_vms(node):
            return False
        node.set_power_state(target)

        def verdict(state: metal.PowerState) -> bool | None:
            if state == target:
                return True
            return False if state == metal.PowerState.ERROR else None

        done = nova_helper.wait_for(node.get_power_state, verdict)
        LOG.info("Power %s of node %s: %s", target.value, self.node_id,
                 "done" if done else "failed")
        return done

    def _running_vms(self, node: metal.BaseMetalNode) -> int:
        try:
            hypervisor = node.get_hypervisor_node()
        except exception.ComputeNodeNotFound:
            LOG.info("Node %s carries no Nova hypervisor", self.node_id)
            return 0
        count = self.metal_helper.nova.count_instances_on_node(hypervisor)
        if count:
            LOG.warning("Compute node %s has %d VMs and will NOT be powered off",
                        hypervisor.name, count)
        return count

    @classmethod
    def get_description(cls) -> str:
        return "Compute node power on/off through Ironic or MaaS."
