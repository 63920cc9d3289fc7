"""stop: shut a server off; revert starts it again."""

from __future__ import annotations

from oslo_log import log

from watcher.applier.actions import cloud
from watcher.common import exception

LOG = log.getLogger(__name__)


class Stop(cloud.CloudAction):
    @property
    def schema(self) -> dict:
        return {
            "type": "object",
            "properties": {"resource_id": cloud.UUID_SCHEMA},
            "required": ["resource_id"],
            "additionalProperties": False,
        }

    @property
    def instance_uuid(self) -> str:
        return self.resource_id

    def pre_condition(self) -> None:
        instance = self.nova.find_instance(self.instance_uuid)
        if instance is None:
            raise exception.ActionSkipped(f"Instance {self.instance_uuid} not found")
        if instance.status == "SHUTOFF":
            raise exception.ActionSkipped(f"Instance {self.instance_uuid} is already stopped")

    def execute(self) -> bool:
        LOG.info("Stopping instance %s", self.instance_uuid)
        return self.nova.stop(self.instance_uuid)

    def revert(self) -> bool:
        LOG.info("Starting instance %s again", self.instance_uuid)
        return self.nova.start(self.instance_uuid)

    def abort(self) -> bool:
        LOG.info("A stop cannot be aborted (instance %s)", self.instance_uuid)
        return False

    @classmethod
    def get_description(cls) -> str:
        return "Stop a VM instance"
