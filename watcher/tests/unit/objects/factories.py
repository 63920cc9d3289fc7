"""Create real rows through the objects, with unique names and sensible defaults."""

import itertools
from typing import Any

from watcher import objects

_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


def goal(ctx: Any, **values: Any) -> objects.Goal:
    n = _n()
    obj = objects.Goal(ctx, **{"name": f"goal-{n}", "display_name": f"Goal {n}",
                               "efficacy_specification": [], **values})
    obj.create()
    return obj


def strategy(ctx: Any, goal_obj: objects.Goal | None = None, **values: Any) -> objects.Strategy:
    n = _n()
    goal_obj = goal_obj or goal(ctx)
    obj = objects.Strategy(ctx, **{"name": f"strategy-{n}", "display_name": f"Strategy {n}",
                                   "goal_id": goal_obj.id, "parameters_spec": {}, **values})
    obj.create()
    return obj


def audit_template(ctx: Any, strategy_obj: objects.Strategy | None = None,
                   **values: Any) -> objects.AuditTemplate:
    strategy_obj = strategy_obj or strategy(ctx)
    obj = objects.AuditTemplate(ctx, **{"name": f"template-{_n()}",
                                        "goal_id": strategy_obj.goal_id,
                                        "strategy_id": strategy_obj.id, "scope": [], **values})
    obj.create()
    return obj


def audit(ctx: Any, strategy_obj: objects.Strategy | None = None,
          **values: Any) -> objects.Audit:
    strategy_obj = strategy_obj or strategy(ctx)
    obj = objects.Audit(ctx, **{"name": f"audit-{_n()}", "audit_type": "ONESHOT",
                                "state": "PENDING", "goal_id": strategy_obj.goal_id,
                                "strategy_id": strategy_obj.id, "auto_trigger": False,
                                "parameters": {}, "scope": [], **values})
    obj.create()
    return obj


def action_plan(ctx: Any, audit_obj: objects.Audit | None = None,
                **values: Any) -> objects.ActionPlan:
    audit_obj = audit_obj or audit(ctx)
    obj = objects.ActionPlan(ctx, **{"audit_id": audit_obj.id,
                                     "strategy_id": audit_obj.strategy_id,
                                     "state": "RECOMMENDED", "global_efficacy": [], **values})
    obj.create()
    return obj


def action(ctx: Any, plan: objects.ActionPlan | None = None, **values: Any) -> objects.Action:
    plan = plan or action_plan(ctx)
    obj = objects.Action(ctx, **{"action_plan_id": plan.id, "action_type": "nop",
                                 "state": "PENDING", "parents": [],
                                 "input_parameters": {"message": "hi"}, **values})
    obj.create()
    return obj


def efficacy_indicator(ctx: Any, plan: objects.ActionPlan | None = None,
                       **values: Any) -> objects.EfficacyIndicator:
    plan = plan or action_plan(ctx)
    obj = objects.EfficacyIndicator(ctx, **{"action_plan_id": plan.id,
                                            "name": f"indicator-{_n()}", "unit": "%",
                                            "description": "d", "value": 12.5, **values})
    obj.create()
    return obj


def scoring_engine(ctx: Any, **values: Any) -> objects.ScoringEngine:
    obj = objects.ScoringEngine(ctx, **{"name": f"engine-{_n()}", "description": "d",
                                        "metainfo": "{}", **values})
    obj.create()
    return obj


def service(ctx: Any, **values: Any) -> objects.Service:
    obj = objects.Service(ctx, **{"name": "watcher-applier", "host": f"host-{_n()}",
                                  **values})
    obj.create()
    return obj


def action_description(ctx: Any, **values: Any) -> objects.ActionDescription:
    obj = objects.ActionDescription(ctx, **{"action_type": f"type_{_n()}",
                                            "description": "does things", **values})
    obj.create()
    return obj
