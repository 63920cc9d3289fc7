"""Client side of the applier's control topic (used by the API and the decision engine)."""

from __future__ import annotations

from oslo_utils import uuidutils

from watcher.common import exception, rpc
from watcher.conf import CONF


class ApplierAPI:
    """``watcher.applier.control``: launch_action_plan (cast)."""

    def __init__(self, topic: str | None = None) -> None:
        self._topic = topic

    @property
    def client(self):
        return rpc.get_client(self._topic or CONF.watcher_applier.conductor_topic)

    def launch_action_plan(self, context, action_plan_uuid: str) -> None:
        if not uuidutils.is_uuid_like(action_plan_uuid):
            raise exception.InvalidUuidOrName(name=action_plan_uuid)
        self.client.cast(context, "launch_action_plan", action_plan_uuid=action_plan_uuid)
