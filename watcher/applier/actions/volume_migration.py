"""volume_migrate: move a Cinder volume to another pool, or change its type.

``swap`` is kept as an alias of ``migrate``: Cinder (or Nova for an attached volume) moves
the data either way.
"""

from __future__ import annotations

import functools

from oslo_log import log

from watcher.applier.actions import cloud
from watcher.common import cinder_helper, exception

LOG = log.getLogger(__name__)

SWAP, MIGRATE, RETYPE = "swap", "migrate", "retype"
# Server states in which Nova accepts to move the data of an attached volume.
_MOVABLE_SERVER_STATES = ("ACTIVE", "PAUSED")


class VolumeMigrate(cloud.CloudAction):
    MIGRATION_TYPE = "migration_type"
    DESTINATION_NODE = "destination_node"
    DESTINATION_TYPE = "destination_type"

    @property
    def schema(self) -> dict:
        return {
            "type": "object",
            "properties": {
                "resource_id": cloud.UUID_SCHEMA,
                "resource_name": cloud.NAME_SCHEMA,
                "migration_type": {"type": "string", "enum": [SWAP, RETYPE, MIGRATE]},
                "destination_node": cloud.OPTIONAL_NAME_SCHEMA,
                "destination_type": cloud.OPTIONAL_NAME_SCHEMA,
            },
            "required": ["resource_id", "migration_type"],
            "additionalProperties": False,
        }

    @property
    def volume_id(self) -> str:
        return self.resource_id

    @property
    def migration_type(self) -> str:
        return self.input_parameters.get(self.MIGRATION_TYPE)

    @property
    def destination_node(self) -> str | None:
        return self.input_parameters.get(self.DESTINATION_NODE)

    @property
    def destination_type(self) -> str | None:
        return self.input_parameters.get(self.DESTINATION_TYPE)

    @functools.cached_property
    def cinder(self) -> cinder_helper.CinderHelper:
        return cinder_helper.CinderHelper(osc=self.clients)

    def pre_condition(self) -> None:
        volume = self.cinder.get_volume(self.volume_id)
        if volume is None:
            raise exception.ActionSkipped(f"Volume {self.volume_id} not found")
        if self.migration_type == RETYPE:
            if not self.destination_type:
                raise exception.WatcherException("A retype needs a destination_type")
            if volume.volume_type == self.destination_type:
                raise exception.ActionSkipped(
                    f"Volume {self.volume_id} is already of type {self.destination_type}"
                )
            if self.cinder.get_volume_type(self.destination_type) is None:
                raise exception.WatcherException(
                    f"Volume type {self.destination_type} not found"
                )
            return
        if not self.destination_node:
            raise exception.WatcherException("A volume migration needs a destination_node")
        if volume.host == self.destination_node:
            raise exception.ActionSkipped(
                f"Volume {self.volume_id} is already on pool {self.destination_node}"
            )
        if not self.cinder.pool_exists(self.destination_node):
            raise exception.WatcherException(f"Pool {self.destination_node} not found")

    def _can_migrate(self, volume) -> bool:
        # A detached volume is Cinder's call; an attached one needs a server Nova can
        # move the data under.
        if not volume.attachments:
            return True
        server_id = volume.attachments[0]["server_id"]
        server = self.nova.find_instance(server_id)
        status = server.status if server is not None else None
        LOG.debug("Volume %s is attached to %s (%s)", volume.id, server_id, status)
        return volume.status == "in-use" and status in _MOVABLE_SERVER_STATES

    def execute(self) -> bool:
        volume = self.cinder.get_volume(self.volume_id)
        if volume is None:
            raise exception.WatcherException(f"Volume {self.volume_id} not found")
        if self.migration_type == RETYPE:
            return self.cinder.retype(volume, self.destination_type)
        if not self._can_migrate(volume):
            LOG.error("Volume %s cannot be migrated in its state", self.volume_id)
            return False
        return self.cinder.migrate(volume, self.destination_node)

    def revert(self) -> bool:
        LOG.warning("Revert of a volume migration is not supported (volume %s)",
                    self.volume_id)
        return False

    @classmethod
    def get_description(cls) -> str:
        return "Moving a volume to destination_node or destination_type"
