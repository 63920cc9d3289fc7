"""Actuator: an action plan made of exactly the actions given as the audit's parameter.

Useful to test actions and to let an event-triggered audit carry out an explicit task.
"""

from __future__ import annotations

from watcher.decision_engine.strategy.strategies import base


class Actuator(base.BaseStrategy):
    NAME = "actuator"
    DISPLAY_NAME = "Actuator"
    GOAL_NAME = "unclassified"

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "type": "object",
            "properties": {
                "actions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "action_type": {"type": "string"},
                            "resource_id": {"type": "string"},
                            "input_parameters": {
                                "type": "object",
                                "properties": {},
                                "additionalProperties": True,
                            },
                        },
                        "required": ["action_type", "input_parameters"],
                        "additionalProperties": True,
                    },
                }
            },
            "required": ["actions"],
        }

    def do_execute(self, audit=None) -> None:
        for action in self.input_parameters.get("actions", []):
            self.solution.add_action(
                action["action_type"], action["input_parameters"], action.get("resource_id")
            )
