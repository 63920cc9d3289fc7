"""Saving energy: keep a few empty compute hosts powered on, power the other empty ones off.

The number of empty hosts to keep on is ``max(hosts with instances * free_used_percent / 100,
min_free_hosts_num)`` (truncated to an integer). With more empty hosts on than that, randomly
chosen ones are powered off; with fewer, randomly chosen powered-off hosts are powered on.

The machines come from the bare-metal model (Ironic or MAAS, each with the Nova hypervisor it
carries); a machine counts only when its hypervisor is in the audit's compute model. When the
backend keeps a powered-off machine's hypervisor "up" (Ironic), a hypervisor that is not up is
left alone. The random choice is seeded by the audit's uuid, so one audit always gives the
same plan; the candidates are taken in machine-id order for the same reason.
"""

from __future__ import annotations

import random

from oslo_log import log

from watcher.common import exception
from watcher.common.metal.base import PowerState
from watcher.decision_engine.model import baremetal_model, element
from watcher.decision_engine.strategy.strategies import base

LOG = log.getLogger(__name__)


class SavingEnergy(base.BaseStrategy):
    NAME = "saving_energy"
    DISPLAY_NAME = "Saving Energy Strategy"
    GOAL_NAME = "saving_energy"

    CHANGE_NODE_POWER_STATE = "change_node_power_state"

    def __init__(self, config=None) -> None:
        super().__init__(config)
        self.rng = random.Random()
        self.with_vms_node_pool: list[baremetal_model.IronicNode] = []
        self.free_poweron_node_pool: list[baremetal_model.IronicNode] = []
        self.free_poweroff_node_pool: list[baremetal_model.IronicNode] = []

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
                "free_used_percent": {
                    "description": (
                        "a rational number, which describes the quotient of "
                        "min_free_hosts_num/nodes_with_VMs_num where nodes_with_VMs_num is "
                        "the number of nodes with VMs"
                    ),
                    "type": "number",
                    "default": 10.0,
                },
                "min_free_hosts_num": {
                    "description": "minimum number of hosts without VMs but still powered on",
                    "type": "number",
                    "default": 1,
                },
            },
        }

    def pre_execute(self) -> None:
        # Both models are needed: fail early (ClusterStateNotDefined/Stale) if one is missing.
        self.compute_model  # noqa: B018
        self.baremetal_model  # noqa: B018

    def do_execute(self, audit=None) -> None:
        if audit is not None and getattr(audit, "uuid", None):
            self.rng.seed(audit.uuid)
        self.get_hosts_pool()
        self.save_energy()

    def get_hosts_pool(self) -> None:
        """Sort the machines into: with instances, empty and on, empty and off."""
        compute = self.compute_model
        for machine in self.baremetal_model.get_compute_nodes():
            try:
                node = compute.get_node_by_uuid(machine.hypervisor_id)
            except exception.ComputeNodeNotFound:
                LOG.info("Hypervisor of machine %s is not in the compute model", machine.uuid)
                continue
            if machine.hv_up_when_powered_off and node.state != element.ServiceState.ONLINE:
                LOG.info("Ignoring %s: its hypervisor is not up", node.hostname)
                continue
            if compute.get_node_instances(node):
                self.with_vms_node_pool.append(machine)
            elif machine.power == PowerState.ON:
                self.free_poweron_node_pool.append(machine)
            elif machine.power == PowerState.OFF:
                self.free_poweroff_node_pool.append(machine)
            else:
                LOG.info("Ignoring machine %s: power state %s", machine.uuid, machine.power_state)

    def save_energy(self) -> None:
        percent = float(self.input_parameters.get("free_used_percent", 10.0))
        minimum = self.input_parameters.get("min_free_hosts_num", 1)
        need_on = int(max(len(self.with_vms_node_pool) * percent / 100, minimum))
        powered_on = len(self.free_poweron_node_pool)
        LOG.debug(
            "Empty hosts to keep on: %d; on: %d, off: %d",
            need_on,
            powered_on,
            len(self.free_poweroff_node_pool),
        )
        if powered_on > need_on:
            for machine in self.rng.sample(self.free_poweron_node_pool, powered_on - need_on):
                self.add_action_poweronoff_node(machine, PowerState.OFF)
        elif powered_on < need_on:
            count = min(len(self.free_poweroff_node_pool), need_on - powered_on)
            for machine in self.rng.sample(self.free_poweroff_node_pool, count):
                self.add_action_poweronoff_node(machine, PowerState.ON)

    def add_action_poweronoff_node(
        self, machine: baremetal_model.IronicNode, state: PowerState
    ) -> None:
        LOG.info("Power %s machine %s (%s)", state.value, machine.uuid, machine.hypervisor_hostname)
        self.solution.add_action(
            self.CHANGE_NODE_POWER_STATE,
            {"state": state.value, "resource_name": machine.hypervisor_hostname},
            machine.uuid,
        )
