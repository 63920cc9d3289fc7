"""Client side of the decision engine's control topic (used by the API and the applier)."""

from __future__ import annotations

from oslo_utils import uuidutils

from watcher.common import exception, rpc
from watcher.conf import CONF


def _topic() -> str:
    return CONF.watcher_decision_engine.conductor_topic


class DecisionEngineAPI:
    """``watcher.decision.control``: trigger_audit (cast), strategy and data model info (call)."""

    def __init__(self, topic: str | None = None) -> None:
        self._topic = topic

    @property
    def client(self):
        # Built on use so tests and embedded mode can swap the transport after import.
        return rpc.get_client(self._topic or _topic())

    def trigger_audit(self, context, audit_uuid: str) -> None:
        if not uuidutils.is_uuid_like(audit_uuid):
            raise exception.InvalidUuidOrName(name=audit_uuid)
        self.client.cast(context, "trigger_audit", audit_uuid=audit_uuid)

    def get_strategy_info(self, context, strategy_name: str) -> list:
        return self.client.call(context, "get_strategy_info", strategy_name=strategy_name)

    def get_data_model_info(self, context, data_model_type: str = "compute", audit=None) -> dict:
        return self.client.call(
            context, "get_data_model_info", data_model_type=data_model_type, audit=audit
        )
