"""Audit handlers: the steps every audit type shares (claim, strategy, planner, trigger)."""

from __future__ import annotations

from oslo_log import log

from watcher import objects
from watcher.applier import rpcapi as applier_rpcapi
from watcher.common import exception, loader
from watcher.conf import CONF
from watcher.decision_engine.strategy import context as strategy_context
from watcher.notifications import events

LOG = log.getLogger(__name__)

AuditState = objects.audit.State
PlanState = objects.action_plan.State
PLANNERS_NAMESPACE = "watcher_planners"


class AuditHandler:
    def __init__(self, applier_api: applier_rpcapi.ApplierAPI | None = None) -> None:
        self.applier_api = applier_api or applier_rpcapi.ApplierAPI()

    def execute(self, context, audit) -> None:
        try:
            if not self.pre_execute(context, audit):
                return
            solution = self.do_execute(context, audit)
            self.post_execute(context, audit, solution)
        except exception.ActionPlanIsOngoing as exc:
            LOG.warning("Audit %s: %s", audit.uuid, exc)
            self.on_plan_ongoing(context, audit, exc)
        except Exception as exc:
            LOG.exception("Audit %s failed", audit.uuid)
            self.set_state(audit, AuditState.FAILED, str(exc))

    @staticmethod
    def set_state(audit, state: str, status_message: str | None = None) -> None:
        audit.state = state
        if status_message is not None:
            audit.status_message = status_message
        audit.save()

    def on_plan_ongoing(self, context, audit, exc: Exception) -> None:
        """Upstream cancels a one-shot audit that cannot run because a plan is running."""
        self.set_state(audit, AuditState.CANCELLED, str(exc))

    def check_ongoing_plans(self, context, audit) -> None:
        if audit.force:
            return
        ongoing = objects.ActionPlan.list(context, filters={"state": PlanState.ONGOING})
        if ongoing:
            raise exception.ActionPlanIsOngoing(action_plan=ongoing[0].uuid)

    def pre_execute(self, context, audit) -> bool:
        audit.refresh()
        if audit.state == AuditState.CANCELLED:
            return False
        self.check_ongoing_plans(context, audit)
        audit.hostname = CONF.host
        self.set_state(audit, AuditState.ONGOING)
        return True

    def do_execute(self, context, audit):
        return strategy_context.execute_strategy(context, audit)

    def post_execute(self, context, audit, solution) -> None:
        planner_cls = loader.load_class(PLANNERS_NAMESPACE, solution.strategy.planner)
        events.send_phase(context, audit, "audit.planner", "start")
        try:
            plan = planner_cls().schedule(context, audit, solution)
        except Exception as exc:
            events.send_phase(context, audit, "audit.planner", "error", exc)
            raise
        events.send_phase(context, audit, "audit.planner", "end")
        if audit.auto_trigger and plan.state == PlanState.RECOMMENDED:
            plan.state = PlanState.PENDING
            plan.save()
            self.applier_api.launch_action_plan(context, plan.uuid)
