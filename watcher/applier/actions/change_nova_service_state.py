"""change_nova_service_state: enable or disable the nova-compute service of a host."""

from __future__ import annotations

import functools

from oslo_log import log

from watcher.applier.actions import cloud
from watcher.common import exception

LOG = log.getLogger(__name__)

ENABLED, DISABLED, UP, DOWN = "enabled", "disabled", "up", "down"
_INVERSE = {ENABLED: DISABLED, DISABLED: ENABLED}


class ChangeNovaServiceState(cloud.CloudAction):
    STATE = "state"
    REASON = "disabled_reason"
    RESOURCE_NAME = "resource_name"

    @property
    def schema(self) -> dict:
        return {
            "type": "object",
            "properties": {
                "resource_id": cloud.NAME_SCHEMA,
                "resource_name": cloud.NAME_SCHEMA,
                "state": {"type": "string", "enum": [UP, DOWN, ENABLED, DISABLED]},
                "disabled_reason": cloud.NAME_SCHEMA,
            },
            "required": ["resource_id", "state"],
            "additionalProperties": False,
        }

    @property
    def state(self) -> str:
        return self.input_parameters.get(self.STATE)

    @property
    def reason(self) -> str | None:
        return self.input_parameters.get(self.REASON)

    @functools.cached_property
    def host(self) -> str:
        """The compute host named in the Nova call.

        Strategies give the compute node uuid as resource_id and the host as resource_name;
        older plans gave the host as resource_id.
        """
        name = self.input_parameters.get(self.RESOURCE_NAME)
        if name:
            return name
        node = self.nova.get_compute_node_by_uuid(self.resource_id)
        if node is not None:
            return (node.service_details or {}).get("host") or node.name
        return self.resource_id

    def pre_condition(self) -> None:
        service = self.nova.get_service(self.host)
        if service is None:
            raise exception.ActionSkipped(f"nova-compute service on {self.host} not found")
        current = service.state if self.state in (UP, DOWN) else service.status
        if current == self.state:
            raise exception.ActionSkipped(
                f"nova-compute service on {self.host} is already {self.state}"
            )

    def _apply(self, state: str) -> bool:
        if state == ENABLED:
            LOG.info("Enabling nova-compute on %s", self.host)
            return self.nova.enable_service(self.host)
        if state == DISABLED:
            LOG.info("Disabling nova-compute on %s (%s)", self.host, self.reason)
            return self.nova.disable_service(self.host, self.reason)
        # up/down is what the service reports, not something Nova lets us set.
        raise exception.WatcherException(f"The target state '{state}' cannot be applied")

    def execute(self) -> bool:
        return self._apply(self.state)

    def revert(self) -> bool:
        if self.state not in _INVERSE:
            raise exception.WatcherException(f"The state '{self.state}' cannot be reverted")
        return self._apply(_INVERSE[self.state])

    @classmethod
    def get_description(cls) -> str:
        return (
            "Disables or enables the nova-compute service."
            "A disabled nova-compute service can not be selected "
            "by the nova for future deployment of new server."
        )
