"""The sleep action: waits ``duration`` seconds; abort wakes it early."""

from oslo_log import log

from watcher.applier.actions import base

LOG = log.getLogger(__name__)


class Sleep(base.BaseAction):
    DURATION = "duration"

    @property
    def schema(self) -> dict:
        return {
            "type": "object",
            "properties": {"duration": {"type": "number", "minimum": 0}},
            "required": ["duration"],
            "additionalProperties": True,
        }

    @property
    def duration(self) -> int:
        # Whole seconds, as upstream truncates the parameter.
        return int(self.input_parameters.get(self.DURATION))

    def execute(self) -> bool:
        LOG.info("Sleeping %d seconds", self.duration)
        # Returns False when interrupted: an aborted sleep did not do its job.
        return not self.aborted.wait(self.duration)

    def check_abort(self) -> bool:
        return True

    @classmethod
    def get_description(cls) -> str:
        return "Wait for a given interval in seconds."
