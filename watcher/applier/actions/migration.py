"""migrate: live or cold migration of a server to a host (or where Nova's scheduler says)."""

from __future__ import annotations

from oslo_log import log

from watcher.applier.actions import cloud
from watcher.common import exception

LOG = log.getLogger(__name__)


class Migrate(cloud.CloudAction):
    MIGRATION_TYPE = "migration_type"
    LIVE_MIGRATION = "live"
    COLD_MIGRATION = "cold"
    DESTINATION_NODE = "destination_node"
    SOURCE_NODE = "source_node"

    @property
    def schema(self) -> dict:
        return {
            "type": "object",
            "properties": {
                "resource_id": cloud.UUID_SCHEMA,
                "resource_name": cloud.NAME_SCHEMA,
                "migration_type": {"type": "string", "enum": ["live", "cold"]},
                "source_node": cloud.NAME_SCHEMA,
                "destination_node": cloud.OPTIONAL_NAME_SCHEMA,
            },
            "required": ["migration_type", "resource_id", "source_node"],
            "additionalProperties": False,
        }

    @property
    def instance_uuid(self) -> str:
        return self.resource_id

    @property
    def migration_type(self) -> str:
        return self.input_parameters.get(self.MIGRATION_TYPE)

    @property
    def source_node(self) -> str:
        return self.input_parameters.get(self.SOURCE_NODE)

    @property
    def destination_node(self) -> str | None:
        return self.input_parameters.get(self.DESTINATION_NODE)

    @property
    def is_live(self) -> bool:
        return self.migration_type == self.LIVE_MIGRATION

    def pre_condition(self) -> None:
        instance = self.nova.find_instance(self.instance_uuid)
        if instance is None:
            raise exception.ActionSkipped(f"Instance {self.instance_uuid} not found")
        if instance.compute_host != self.source_node:
            raise exception.ActionSkipped(
                f"Instance {self.instance_uuid} is not running on source node "
                f"{self.source_node} (it is on {instance.compute_host})"
            )
        if self.destination_node:
            node = self.nova.get_compute_node_by_hostname(self.destination_node)
            if node is None:
                raise exception.ComputeNodeNotFound(name=self.destination_node)
            if node.status != "enabled":
                raise exception.WatcherException(
                    f"Destination node {self.destination_node} is not enabled"
                )
        if self.is_live and instance.status != "ACTIVE":
            raise exception.WatcherException(
                f"Live migration of instance {self.instance_uuid} needs it ACTIVE, "
                f"it is {instance.status}"
            )

    def _migrate(self, destination: str | None) -> bool:
        if destination is None:
            LOG.debug("Migrating %s where the Nova scheduler decides", self.instance_uuid)
        if self.is_live:
            return self.nova.live_migrate(self.instance_uuid, destination)
        return self.nova.cold_migrate(self.instance_uuid, destination)

    def execute(self) -> bool:
        if self.aborted.is_set():
            # Cancelled before Nova was asked anything: leave the server alone.
            return False
        return self._migrate(self.destination_node)

    def revert(self) -> bool:
        return self._migrate(self.source_node)

    def abort(self) -> bool:
        super().abort()
        if not self.is_live:
            LOG.warning("Abort of a cold migration is not implemented (instance %s)",
                        self.instance_uuid)
            return False
        return self.nova.abort_live_migration(self.instance_uuid, self.source_node)

    def check_abort(self) -> bool:
        return self.is_live

    @classmethod
    def get_description(cls) -> str:
        return "Moving a VM instance from source_node to destination_node"
