"""Payload builders for audits, action plans, actions and services (upstream's shapes)."""

from __future__ import annotations

from collections.abc import Mapping

from watcher import objects
from watcher.notifications.base import envelope, exception_payload, timestamp


def field(obj, name: str):
    """A field of an object, or a column of a plain row (the actions of a new plan are
    announced as their rows: building thousands of objects costs more than their payloads)."""
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _times(obj) -> dict:
    return {
        "created_at": timestamp(field(obj, "created_at")),
        "updated_at": timestamp(field(obj, "updated_at")),
        "deleted_at": timestamp(field(obj, "deleted_at")),
    }


def _state_update(old_state: str | None, state: str) -> dict:
    # As upstream: an update that did not change the state carries no new state either.
    return {"old_state": old_state, "state": state if old_state else None}


def _get_by_id(cls, context, obj_id):
    if obj_id is None:
        return None
    # Payloads describe soft-deleted parents too (a plan's strategy may have been replaced).
    ctx = context.elevated(read_deleted="yes") if hasattr(context, "elevated") else context
    try:
        return cls.get_by_id(ctx, obj_id)
    except Exception:
        return None


def _related(context, obj, name: str, cls, obj_id):
    """Sub-object ``name`` of ``obj`` when it carries it already (the applier's plan carries
    its audit and strategy, its actions carry the plan), else read by id."""
    if not isinstance(obj, Mapping) and name in obj.fields and obj.obj_attr_is_set(name):
        return obj[name]
    return _get_by_id(cls, context, obj_id)


def goal_payload(goal) -> dict | None:
    if goal is None:
        return None
    data = {
        "uuid": goal.uuid,
        "name": goal.name,
        "display_name": goal.display_name,
        "efficacy_specification": goal.efficacy_specification or [],
        **_times(goal),
    }
    return envelope("GoalPayload", data)


def strategy_payload(strategy) -> dict | None:
    if strategy is None:
        return None
    data = {
        "uuid": strategy.uuid,
        "name": strategy.name,
        "display_name": strategy.display_name,
        "parameters_spec": strategy.parameters_spec or {},
        **_times(strategy),
    }
    return envelope("StrategyPayload", data)


def _terse_audit_data(context, audit) -> dict:
    goal = _get_by_id(objects.Goal, context, audit.goal_id)
    strategy = _get_by_id(objects.Strategy, context, audit.strategy_id)
    return (
        {
            "uuid": audit.uuid,
            "name": audit.name,
            "audit_type": audit.audit_type,
            "state": audit.state,
            "parameters": audit.parameters or {},
            "interval": audit.interval,
            "scope": audit.scope or [],
            "auto_trigger": audit.auto_trigger,
            "next_run_time": timestamp(audit.next_run_time),
            "status_message": getattr(audit, "status_message", None),
            "goal_uuid": goal.uuid if goal else None,
            "strategy_uuid": strategy.uuid if strategy else None,
            **_times(audit),
        },
        goal,
        strategy,
    )


def terse_audit_payload(context, audit) -> dict:
    data, _, _ = _terse_audit_data(context, audit)
    return envelope("TerseAuditPayload", data, "1.2")


def audit_payload(
    context, audit, name: str, old_state: str | None = None, fault: BaseException | None = None
) -> dict:
    data, goal, strategy = _terse_audit_data(context, audit)
    data["goal"] = goal_payload(goal)
    data["strategy"] = strategy_payload(strategy)
    if name == "AuditUpdatePayload":
        data["state_update"] = envelope(
            "AuditStateUpdatePayload", _state_update(old_state, audit.state)
        )
    if name == "AuditActionPayload":
        data["fault"] = exception_payload(fault) if fault else None
    return envelope(name, data, "1.2")


def _terse_plan_data(context, plan) -> tuple[dict, object, object]:
    audit = _related(context, plan, "audit", objects.Audit, plan.audit_id)
    strategy = _related(context, plan, "strategy", objects.Strategy, plan.strategy_id)
    return (
        {
            "uuid": plan.uuid,
            "state": plan.state,
            "global_efficacy": plan.global_efficacy or [],
            "status_message": getattr(plan, "status_message", None),
            "audit_uuid": audit.uuid if audit else None,
            "strategy_uuid": strategy.uuid if strategy else None,
            **_times(plan),
        },
        audit,
        strategy,
    )


def action_plan_payload(
    context, plan, name: str, old_state: str | None = None, fault: BaseException | None = None
) -> dict:
    data, audit, strategy = _terse_plan_data(context, plan)
    data["audit"] = terse_audit_payload(context, audit) if audit else None
    data["strategy"] = strategy_payload(strategy)
    if name == "ActionPlanUpdatePayload":
        data["state_update"] = envelope(
            "ActionPlanStateUpdatePayload", _state_update(old_state, plan.state)
        )
    if name in ("ActionPlanActionPayload", "ActionPlanCancelPayload"):
        data["fault"] = exception_payload(fault) if fault else None
    return envelope(name, data, "1.1")


def terse_plan_of_action(context, action) -> tuple[str, dict] | None:
    """(plan uuid, terse plan envelope) of the action's plan, None when it is gone.

    ``action`` is an Action or its row. One result serves every action of the plan: their
    payloads share it (built once, not copied, not changed afterwards).
    """
    plan_id = field(action, "action_plan_id")
    plan = _related(context, action, "action_plan", objects.ActionPlan, plan_id)
    if plan is None:
        return None
    return plan.uuid, envelope("TerseActionPlanPayload", _terse_plan_data(context, plan)[0], "1.1")


_UNSET = object()


def action_payload(
    context,
    action,
    name: str,
    old_state: str | None = None,
    fault: BaseException | None = None,
    plan=_UNSET,
) -> dict:
    """``action`` is an Action or its row; ``plan``: what ``terse_plan_of_action``
    returned, when the caller has it already."""
    if plan is _UNSET:
        plan = terse_plan_of_action(context, action)
    plan_uuid, plan_envelope = plan if plan else (None, None)
    state = field(action, "state")
    data = {
        "uuid": field(action, "uuid"),
        "action_type": field(action, "action_type"),
        "input_parameters": field(action, "input_parameters") or {},
        "state": state,
        "parents": field(action, "parents") or [],
        "status_message": field(action, "status_message"),
        "action_plan_uuid": plan_uuid,
        "action_plan": plan_envelope,
        **_times(action),
    }
    if name == "ActionUpdatePayload":
        data["state_update"] = envelope(
            "ActionStateUpdatePayload", _state_update(old_state, state)
        )
    if name in ("ActionExecutionPayload", "ActionCancelPayload"):
        data["fault"] = exception_payload(fault) if fault else None
    return envelope(name, data, "1.1")


def service_update_payload(service, old_state: str, state: str) -> dict:
    data = {
        # Upstream's field is spelled "sevice_host"; consumers depend on that spelling.
        "sevice_host": service.host,
        "name": service.name,
        "last_seen_up": timestamp(service.last_seen_up),
        "status_update": envelope(
            "ServiceStatusUpdatePayload", {"old_state": old_state, "state": state}
        ),
    }
    return envelope("ServiceUpdatePayload", data)
