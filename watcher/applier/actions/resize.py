"""resize: give a server another flavor (by id or name) and confirm it."""

from __future__ import annotations

import functools

from oslo_log import log

from watcher.applier.actions import cloud
from watcher.common import exception

LOG = log.getLogger(__name__)


class Resize(cloud.CloudAction):
    FLAVOR = "flavor"

    @property
    def schema(self) -> dict:
        return {
            "type": "object",
            "properties": {
                "resource_id": cloud.UUID_SCHEMA,
                "flavor": cloud.NAME_SCHEMA,
            },
            "required": ["resource_id", "flavor"],
            "additionalProperties": False,
        }

    @property
    def instance_uuid(self) -> str:
        return self.resource_id

    @property
    def flavor_ref(self) -> str:
        return self.input_parameters.get(self.FLAVOR)

    @functools.cached_property
    def flavor(self):
        return self.nova.find_flavor(self.flavor_ref)

    def pre_condition(self) -> None:
        if self.nova.find_instance(self.instance_uuid) is None:
            raise exception.ActionSkipped(f"Instance {self.instance_uuid} not found")
        if self.flavor is None:
            raise exception.WatcherException(f"Flavor {self.flavor_ref} not found")

    def execute(self) -> bool:
        if self.flavor is None:
            raise exception.WatcherException(f"Flavor {self.flavor_ref} not found")
        LOG.info("Resizing instance %s to flavor %s", self.instance_uuid, self.flavor.id)
        return self.nova.resize(self.instance_uuid, self.flavor.id)

    def revert(self) -> bool:
        LOG.warning("Revert of a resize is not supported (instance %s)", self.instance_uuid)
        return False

    @classmethod
    def get_description(cls) -> str:
        return "Resize a server with specified flavor."
