"""Runs one action plan: state bookkeeping around the workflow engine.

End states are always written: SUCCEEDED, FAILED (with a reason), or CANCELLED (user cancel
or applier stop, with the reason in ``status_message``); PENDING actions of a cancelled plan
become CANCELLED.
"""

from __future__ import annotations

from oslo_log import log

from watcher import objects
from watcher.common import exception
from watcher.conf import CONF
from watcher.notifications import events

LOG = log.getLogger(__name__)

PlanState = objects.action_plan.State
ActionState = objects.action.State
SKIPPED_MESSAGE = "One or more actions were skipped."


def plan_actions(context, plan) -> list:
    """The plan's actions, in one read, each carrying ``plan`` as its ``action_plan``: their
    notifications describe the plan from it instead of reading it once per action."""
    actions = objects.Action.list(context, filters={"action_plan_uuid": plan.uuid})
    for action in actions:
        action.action_plan = plan
        action.obj_reset_changes(["action_plan"])
    return actions


def cancel_pending_actions(context, plan, reason: str | None = None) -> None:
    # One bulk conditional write for the whole plan; an action whose state moved on
    # meanwhile (it just ended) keeps its end state.
    objects.Action.change_states_of_plan(
        context, plan, [ActionState.PENDING, ActionState.ONGOING], ActionState.CANCELLED,
        reason or None)


class ActionPlanHandler:
    def __init__(self, context, engine, action_plan_uuid: str) -> None:
        self.context = context
        self.engine = engine
        self.action_plan_uuid = action_plan_uuid

    def _plan(self):
        # With its audit and strategy, which every action notification names.
        return objects.ActionPlan.get_by_uuid(self.context, self.action_plan_uuid, eager=True)

    def execute(self) -> None:
        plan = self._plan()
        if plan.state == PlanState.CANCELLED:
            cancel_pending_actions(self.context, plan)
            return
        if plan.state != PlanState.PENDING:
            LOG.warning("Action plan %s is %s, not PENDING: not run", plan.uuid, plan.state)
            return
        plan.state = PlanState.ONGOING
        plan.hostname = CONF.host
        plan.save()
        events.send_phase(self.context, plan, "action_plan.execution", "start")
        try:
            self.engine.execute(plan_actions(self.context, plan), plan)
        except exception.ActionPlanCancelled:
            self._cancelled()
        except Exception as exc:
            LOG.exception("Action plan %s failed", self.action_plan_uuid)
            self._failed(exc)
        else:
            self._finished()

    def _finished(self) -> None:
        plan = self._plan()
        states = [a.state for a in plan_actions(self.context, plan)]
        if ActionState.FAILED in states:
            plan.state = PlanState.FAILED
            phase = "error"
        else:
            plan.state = PlanState.SUCCEEDED
            phase = "end"
        if ActionState.SKIPPED in states:
            plan.status_message = SKIPPED_MESSAGE
        plan.save()
        events.send_phase(self.context, plan, "action_plan.execution", phase)

    def _cancelled(self) -> None:
        plan = self._plan()
        reason = self.engine.stop_reason
        cancel_pending_actions(self.context, plan, reason)
        plan.state = PlanState.CANCELLED
        if reason:
            plan.status_message = reason
        plan.save()
        events.send_phase(self.context, plan, "action_plan.cancel", "end")

    def _failed(self, exc: Exception) -> None:
        plan = self._plan()
        was_cancelling = plan.state == PlanState.CANCELLING
        plan.state = PlanState.FAILED
        plan.status_message = str(exc)
        plan.save()
        if was_cancelling:
            events.send_phase(self.context, plan, "action_plan.cancel", "error", exc)
        else:
            events.send_phase(self.context, plan, "action_plan.execution", "error", exc)
