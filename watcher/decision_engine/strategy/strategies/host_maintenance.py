"""Host maintenance: empty one compute node and disable it, without stopping the users' work.

If a backup node is given and can take everything the maintenance node runs, all its
instances go there (the backup node is enabled first if needed). Otherwise a node that
Watcher itself disabled earlier (reason ``watcher_disabled``) and that has the room serves
as backup, the smallest first. Failing both, the instances are migrated without a
destination and the Nova scheduler places them. "Room" covers vCPU, memory and disk
(upstream checked vCPU and memory only, and Placement would refuse the disk).

Active instances are live migrated, others cold migrated. With
``disable_live_migration`` active instances are cold migrated instead, and stopped when
cold migration is disabled too; with ``disable_cold_migration`` the inactive instances
stay where they are. The maintenance node is disabled with reason ``watcher_maintaining``.
"""

from __future__ import annotations

from oslo_log import log

from watcher.decision_engine.model import element
from watcher.decision_engine.strategy.strategies import base

LOG = log.getLogger(__name__)

ENABLED = element.ServiceState.ENABLED.value
DISABLED = element.ServiceState.DISABLED.value


class HostMaintenance(base.BaseStrategy):
    NAME = "host_maintenance"
    DISPLAY_NAME = "Host Maintenance Strategy"
    GOAL_NAME = "cluster_maintaining"

    MIGRATION = "migrate"
    STOP = "stop"
    CHANGE_NOVA_SERVICE_STATE = "change_nova_service_state"
    REASON_FOR_MAINTAINING = "watcher_maintaining"
    REASON_FOR_DISABLE = "watcher_disabled"

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
                "maintenance_node": {
                    "description": "The name of the compute node which needs maintenance",
                    "type": "string",
                },
                "backup_node": {
                    "description": (
                        "The name of the compute node which will take the instances of the "
                        "maintenance node"
                    ),
                    "type": "string",
                },
                "disable_live_migration": {
                    "description": (
                        "Do not live migrate: active instances are cold migrated, or stopped "
                        "when cold migration is disabled too"
                    ),
                    "type": "boolean",
                    "default": False,
                },
                "disable_cold_migration": {
                    "description": (
                        "Do not cold migrate: inactive instances stay on the maintenance node"
                    ),
                    "type": "boolean",
                    "default": False,
                },
            },
            "required": ["maintenance_node"],
        }

    def do_execute(self, audit=None) -> None:
        model = self.compute_model
        maintenance = model.get_node_by_name(self.input_parameters["maintenance_node"])
        backup_name = self.input_parameters.get("backup_node")
        backup = model.get_node_by_name(backup_name) if backup_name else None
        LOG.info("Host maintenance of %s (backup %s)", maintenance.hostname, backup_name)

        if not model.get_node_instances(maintenance):
            if maintenance.disabled_reason != self.REASON_FOR_MAINTAINING:
                self.add_action_maintain_compute_node(maintenance)
            return
        if not self.safe_maintain(maintenance, backup):
            self.try_maintain(maintenance)

    # -- choosing where the instances go ------------------------------------------------

    def host_fits(self, source: element.ComputeNode, destination: element.ComputeNode) -> bool:
        """Whether everything ``source`` runs fits in what ``destination`` has free."""
        used = self.compute_model.get_node_used_resources(source)
        free = self.compute_model.get_node_free_resources(destination)
        return all(used[resource] <= free[resource] for resource in ("vcpu", "memory", "disk"))

    def safe_maintain(
        self, maintenance: element.ComputeNode, backup: element.ComputeNode | None = None
    ) -> bool:
        """Move every instance to one node with the room for all of them, if there is one."""
        if (
            backup is not None
            and backup.uuid != maintenance.uuid
            and self.host_fits(maintenance, backup)
        ):
            self._evacuate_to(maintenance, backup)
            return True
        spares = sorted(
            (
                node
                for node in self.compute_model.get_all_compute_nodes().values()
                if node.uuid != maintenance.uuid
                and node.state == element.ServiceState.ONLINE.value
                and node.status == DISABLED
                and node.disabled_reason == self.REASON_FOR_DISABLE
            ),
            key=lambda node: (node.vcpu_capacity, node.hostname),
        )
        for spare in spares:
            if self.host_fits(maintenance, spare):
                self._evacuate_to(maintenance, spare)
                return True
        return False

    def try_maintain(self, maintenance: element.ComputeNode) -> None:
        """Disable the node and let the Nova scheduler place each of its instances."""
        self.add_action_maintain_compute_node(maintenance)
        for instance in self.compute_model.get_node_instances(maintenance):
            self.instance_handle(instance, maintenance)

    def _evacuate_to(self, maintenance: element.ComputeNode, backup: element.ComputeNode) -> None:
        if backup.status != ENABLED:
            self.add_action_enable_compute_node(backup)
        self.add_action_maintain_compute_node(maintenance)
        for instance in self.compute_model.get_node_instances(maintenance):
            self.instance_handle(instance, maintenance, backup)

    # -- actions --------------------------------------------------------------------------

    def instance_handle(
        self,
        instance: element.Instance,
        source: element.ComputeNode,
        destination: element.ComputeNode | None = None,
    ) -> None:
        """Migrate (or stop) one instance of the maintenance node, as the parameters allow."""
        live_allowed = not self.input_parameters.get("disable_live_migration", False)
        cold_allowed = not self.input_parameters.get("disable_cold_migration", False)
        if instance.state == element.InstanceState.ACTIVE.value:
            if live_allowed:
                self.add_action_migrate(instance, "live", source, destination)
            elif cold_allowed:
                self.add_action_migrate(instance, "cold", source, destination)
            else:
                self.solution.add_action(self.STOP, {}, instance.uuid)
        elif cold_allowed:
            self.add_action_migrate(instance, "cold", source, destination)

    def add_action_migrate(
        self,
        instance: element.Instance,
        migration_type: str,
        source: element.ComputeNode,
        destination: element.ComputeNode | None,
    ) -> None:
        parameters = {
            "migration_type": migration_type,
            "source_node": source.hostname,
            "resource_name": instance.name,
        }
        if destination is not None:
            parameters["destination_node"] = destination.hostname
        self.solution.add_action(self.MIGRATION, parameters, instance.uuid)

    def add_action_enable_compute_node(self, node: element.ComputeNode) -> None:
        self.solution.add_action(
            self.CHANGE_NOVA_SERVICE_STATE,
            {"state": ENABLED, "resource_name": node.hostname},
            node.uuid,
        )

    def add_action_maintain_compute_node(self, node: element.ComputeNode) -> None:
        self.solution.add_action(
            self.CHANGE_NOVA_SERVICE_STATE,
            {
                "state": DISABLED,
                "disabled_reason": self.REASON_FOR_MAINTAINING,
                "resource_name": node.hostname,
            },
            node.uuid,
        )
