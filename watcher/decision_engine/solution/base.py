"""A solution is what a strategy produces: actions plus efficacy figures."""

from __future__ import annotations

import json

from watcher.common import exception
from watcher.decision_engine.goal import efficacy as efficacy_mod


class Solution:
    """Unordered list of actions; the planner turns it into an ordered action plan."""

    def __init__(self, goal=None, strategy=None) -> None:
        self.goal = goal
        self.strategy = strategy
        self.actions: list[dict] = []
        self.efficacy_indicators: list[dict] = []
        self.global_efficacy: list[dict] = []
        self._indicator_values: dict = {}
        # Keys of the actions added so far: the duplicate check stays O(1) per action, where a
        # scan of ``actions`` made plans of tens of thousands of migrations quadratic.
        self._action_keys: set[str] = set()

    def add_action(
        self, action_type: str, input_parameters: dict | None = None, resource_id: str | None = None
    ) -> None:
        """Append an action; ``resource_id`` is reserved and exact duplicates are dropped."""
        params = dict(input_parameters or {})
        if "resource_id" in params:
            raise exception.ReservedWord(name="resource_id")
        if resource_id is not None:
            params["resource_id"] = resource_id
        action = {"action_type": action_type, "input_parameters": params}
        key = json.dumps(action, sort_keys=True, default=repr)
        if key not in self._action_keys:
            self._action_keys.add(key)
            self.actions.append(action)

    def set_efficacy_indicators(self, **values) -> None:
        self._indicator_values.update(values)

    def compute_global_efficacy(self) -> None:
        spec = self._specification()
        self.efficacy_indicators = [
            dict(spec_item.to_dict(), value=self._indicator_values[spec_item.name])
            for spec_item in spec.get_indicators_specifications()
            if spec_item.name in self._indicator_values
        ]
        for row in self.efficacy_indicators:
            row.pop("schema", None)
        self.global_efficacy = spec.get_global_efficacy_indicator(self._indicator_values)

    def _specification(self) -> efficacy_mod.EfficacySpecification:
        if self.goal is None:
            return efficacy_mod.Unclassified()
        return self.goal.get_efficacy_specification()

    def __len__(self) -> int:
        return len(self.actions)
