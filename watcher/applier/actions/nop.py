"""The no-op action: logs a message; switches let tests make any phase fail or skip."""

from oslo_log import log

from watcher.applier.actions import base
from watcher.common import exception

LOG = log.getLogger(__name__)


class Nop(base.BaseAction):
    MESSAGE = "message"

    @property
    def schema(self) -> dict:
        return {
            "type": "object",
            "properties": {
                "message": {"type": ["string", "null"]},
                "skip_pre_condition": {"type": "boolean", "default": False},
                "fail_pre_condition": {"type": "boolean", "default": False},
                "fail_execute": {"type": "boolean", "default": False},
                "fail_post_condition": {"type": "boolean", "default": False},
            },
            "required": ["message"],
            "additionalProperties": True,
        }

    def _flag(self, name: str) -> bool:
        return bool(self.input_parameters.get(name, False))

    def pre_condition(self) -> None:
        if self._flag("skip_pre_condition"):
            raise exception.ActionSkipped("Skipped in pre_condition")
        if self._flag("fail_pre_condition"):
            raise exception.WatcherException("Failed in pre_condition")

    def execute(self) -> bool:
        LOG.info("Executing nop action: %s", self.input_parameters.get(self.MESSAGE))
        return not self._flag("fail_execute")

    def post_condition(self) -> None:
        if self._flag("fail_post_condition"):
            raise exception.WatcherException("Failed in post_condition")

    def check_abort(self) -> bool:
        return True

    @classmethod
    def get_description(cls) -> str:
        return "Logging a NOP message"
