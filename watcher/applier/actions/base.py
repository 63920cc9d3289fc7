"""Shape of an action plugin (entry-point group ``watcher_actions``).

An action validates its input parameters against its JSON schema, checks a pre-condition,
executes (``False`` means failure), checks a post-condition and can be reverted or aborted.
Raising ``ActionSkipped`` from ``pre_condition`` marks the action SKIPPED instead of FAILED.
"""

from __future__ import annotations

import threading

import jsonschema

from watcher.common import exception


class BaseAction:
    RESOURCE_ID = "resource_id"

    def __init__(self, config=None, osc=None) -> None:
        self.config = config
        self.osc = osc
        self._input_parameters: dict = {}
        # Set by abort(); long-running actions wait on it so a cancel or a service stop
        # interrupts them instead of waiting for the natural end.
        self.aborted = threading.Event()

    @property
    def input_parameters(self) -> dict:
        return self._input_parameters

    @input_parameters.setter
    def input_parameters(self, value: dict) -> None:
        self._input_parameters = dict(value or {})

    @property
    def resource_id(self):
        return self._input_parameters.get(self.RESOURCE_ID)

    @property
    def schema(self) -> dict:
        raise NotImplementedError

    def validate_parameters(self) -> bool:
        try:
            jsonschema.validate(self.input_parameters, self.schema)
        except jsonschema.ValidationError as exc:
            raise exception.InvalidParameter(
                parameter=self.RESOURCE_ID if not exc.path else exc.path[0],
                parameter_type=exc.message,
            ) from exc
        return True

    def pre_condition(self) -> None:
        """Raise ActionSkipped to skip, any other exception to fail."""

    def execute(self) -> bool:
        raise NotImplementedError

    def post_condition(self) -> None:
        """Raise to mark a completed action FAILED."""

    def revert(self) -> bool:
        return True

    def abort(self) -> bool:
        self.aborted.set()
        return True

    def check_abort(self) -> bool:
        """True when ``abort`` can stop this action while it runs."""
        return False

    @classmethod
    def get_description(cls) -> str:
        return ""
