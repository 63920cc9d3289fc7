"""Shape of a planner plugin (entry-point group ``watcher_planners``)."""

from __future__ import annotations

from oslo_log import log
from oslo_utils import uuidutils

from watcher import objects

LOG = log.getLogger(__name__)


class BasePlanner:
    """Orders a solution's actions and stores the result as an action plan.

    ``order`` is the planner's own logic (pure, unit-testable); ``schedule`` persists it.
    """

    def __init__(self, config=None) -> None:
        self.config = config

    @classmethod
    def get_config_opts(cls) -> list:
        return []

    def order(self, actions: list[dict]) -> list[tuple[dict, list[int]]]:
        """Return ``(action, parent indexes)`` pairs; indexes point into the returned list."""
        raise NotImplementedError

    def schedule(self, context, audit, solution):
        ordered = self.order(solution.actions)
        plan_state = (
            objects.action_plan.State.RECOMMENDED
            if ordered
            else objects.action_plan.State.SUCCEEDED
        )
        strategy = objects.Strategy.get_by_name(context, solution.strategy.get_name())
        action_plan = objects.ActionPlan(
            context,
            uuid=uuidutils.generate_uuid(),
            audit_id=audit.id,
            strategy_id=strategy.id,
            state=plan_state,
            global_efficacy=solution.global_efficacy,
        )
        uuids = [uuidutils.generate_uuid() for _ in ordered]
        actions = [
            {
                "uuid": uuids[position],
                "action_type": action["action_type"],
                "input_parameters": action["input_parameters"],
                "state": objects.action.State.PENDING,
                "parents": [uuids[parent] for parent in parents],
            }
            for position, (action, parents) in enumerate(ordered)
        ]
        indicators = [
            {
                "name": indicator["name"],
                "description": indicator["description"],
                "unit": indicator["unit"],
                "value": indicator["value"],
            }
            for indicator in solution.efficacy_indicators
        ]
        action_plan.create_with_actions(actions, indicators)
        LOG.info("Action plan %s: %d actions, %s", action_plan.uuid, len(ordered), plan_state)
        return action_plan
