"""The taskflow workflow engine: one graph flow per action plan, edges from ``parents``."""

from __future__ import annotations

import threading

from oslo_config import cfg
from oslo_log import log
from taskflow import engines, task
from taskflow import exceptions as tf_exceptions
from taskflow.patterns import graph_flow
from taskflow.types import graph as taskflow_graph

from watcher import objects
from watcher.applier.workflow_engine import base
from watcher.common import exception

LOG = log.getLogger(__name__)

GROUP = "watcher_workflow_engines.taskflow"
PlanState = objects.action_plan.State
# How often a running flow looks for a user's cancel request (plan state CANCELLING).
CANCEL_POLL_SECONDS = 0.5


class ActionTask(task.Task):
    def __init__(self, engine: base.BaseWorkFlowEngine, action, fail_soft: bool) -> None:
        super().__init__(name=f"{action.action_type}-{action.uuid}")
        self._engine = engine
        self._action = action
        self._fail_soft = fail_soft

    def execute(self) -> bool:
        return self._engine.run_action(self._action, fail_soft=self._fail_soft)

    def revert(self, *args, **kwargs) -> None:
        self._engine.revert_action(self._action)


class DefaultWorkFlowEngine(base.BaseWorkFlowEngine):
    def __init__(self, context, config=None) -> None:
        super().__init__(context, config or cfg.CONF[GROUP])

    def _rule(self, action_plan) -> str:
        strategy = objects.Strategy.get_by_id(self.context, action_plan.strategy_id)
        return self.config.action_execution_rule.get(strategy.name, "ALWAYS")

    def build_flow(self, actions: list, rule: str) -> graph_flow.Flow:
        fail_soft = rule == "ANY"
        tasks = {a.uuid: ActionTask(self, a, fail_soft) for a in actions}
        flow = graph_flow.Flow("watcher_flow")
        flow.add(*tasks.values())
        # Flow.link copies the whole graph for each edge (to validate it before swapping it
        # in): quadratic in the plan's size, minutes for a thousand chained migrations. The
        # edges go into one copy instead, validated and swapped in once.
        graph = taskflow_graph.DiGraph(flow._graph)
        for action in actions:
            for parent in action.parents or []:
                # ANY: the child is the fallback of its parent, it runs only on failure.
                flow._link(tasks[parent], tasks[action.uuid], graph=graph, manual=True,
                           decider=_parent_failed if fail_soft else None)
        flow._swap(graph)
        return flow

    def execute(self, actions: list, action_plan) -> None:
        flow = self.build_flow(actions, self._rule(action_plan))
        engine = engines.load(
            flow,
            engine="parallel",
            executor="threaded",
            max_workers=self.config.max_workers,
        )
        finished = threading.Event()
        watcher = threading.Thread(
            target=self._watch_cancel, args=(action_plan, finished), daemon=True
        )
        watcher.start()
        try:
            engine.run()
        except exception.ActionPlanCancelled:
            raise
        except tf_exceptions.WrappedFailure as failure:
            if failure.check(exception.ActionPlanCancelled):
                raise exception.ActionPlanCancelled(uuid=action_plan.uuid) from failure
            raise exception.WorkflowExecutionException(error=failure) from failure
        except Exception as exc:
            raise exception.WorkflowExecutionException(error=exc) from exc
        finally:
            finished.set()
            watcher.join()

    def _watch_cancel(self, action_plan, finished: threading.Event) -> None:
        while not finished.wait(CANCEL_POLL_SECONDS):
            try:
                plan = objects.ActionPlan.get_by_uuid(self.context, action_plan.uuid)
            except Exception:
                LOG.exception("Cannot read action plan %s while it runs", action_plan.uuid)
                continue
            # The running actions carry this plan into their notifications: they show the
            # user's CANCELLING as the plan row does.
            action_plan.obj_refresh(plan)
            if plan.state in (PlanState.CANCELLING, PlanState.CANCELLED):
                self.request_stop("Action plan was cancelled by the user.")
                return


def _parent_failed(history: dict) -> bool:
    return not any(history.values())
