"""The audit -> plan -> applied flow, driven the way a client drives it, shared by the
embedded, RabbitMQ and HA tests."""

from __future__ import annotations

import time

from oslo_utils import uuidutils

from watcher import objects
from watcher.applier import rpcapi as applier_rpcapi
from watcher.common import context as watcher_context
from watcher.decision_engine import rpcapi as de_rpcapi


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def create_audit(
    audit_type: str = "ONESHOT", interval: str | None = None, parameters: dict | None = None
):
    context = watcher_context.get_admin_context()
    goal = objects.Goal.get_by_name(context, "dummy")
    strategy = objects.Strategy.get_by_name(context, "dummy")
    audit = objects.Audit(
        context,
        uuid=uuidutils.generate_uuid(),
        name=f"test-{uuidutils.generate_uuid()[:8]}",
        audit_type=audit_type,
        state=objects.audit.State.PENDING,
        goal_id=goal.id,
        strategy_id=strategy.id,
        parameters=parameters if parameters is not None else {"para1": 1.0},
        interval=interval,
        scope=[],
        auto_trigger=False,
        force=False,
    )
    audit.create()
    return audit


def audit_state(uuid: str) -> str:
    return objects.Audit.get_by_uuid(watcher_context.get_admin_context(), uuid).state


def plans_of(audit_uuid: str) -> list:
    return objects.ActionPlan.list(
        watcher_context.get_admin_context(), filters={"audit_uuid": audit_uuid}
    )


def actions_of(plan_uuid: str) -> list:
    return objects.Action.list(
        watcher_context.get_admin_context(), filters={"action_plan_uuid": plan_uuid}
    )


def run_oneshot_audit(timeout: float = 30.0):
    """Create and trigger a dummy audit; returns (audit uuid, its RECOMMENDED plan)."""
    audit = create_audit()
    de_rpcapi.DecisionEngineAPI().trigger_audit(watcher_context.get_admin_context(), audit.uuid)
    wait_for(
        lambda: audit_state(audit.uuid) in ("SUCCEEDED", "FAILED", "CANCELLED"),
        timeout,
        what="audit end",
    )
    assert audit_state(audit.uuid) == "SUCCEEDED", audit.uuid
    plans = plans_of(audit.uuid)
    assert [p.state for p in plans] == ["RECOMMENDED"]
    return audit.uuid, plans[0]


def start_plan(plan, timeout: float = 30.0) -> str:
    """What ``POST /v1/action_plans/{uuid}/start`` does, then wait for the plan's end."""
    plan.state = objects.action_plan.State.PENDING
    plan.save()
    applier_rpcapi.ApplierAPI().launch_action_plan(watcher_context.get_admin_context(), plan.uuid)

    def ended():
        plan.refresh()
        return plan.state in ("SUCCEEDED", "FAILED", "CANCELLED")

    wait_for(ended, timeout, what="plan end")
    return plan.state


def api_run_oneshot_audit(client, timeout: float = 30.0) -> tuple[str, str]:
    """Through the REST API: create a dummy audit, wait for it; returns (audit, plan) uuids."""
    audit = client.request(
        "POST",
        "/v1/audits",
        {
            "audit_type": "ONESHOT",
            "goal": "dummy",
            "strategy": "dummy",
            "parameters": {"para1": 1.0},
        },
    )
    assert audit["state"] == "PENDING"
    ended = client.wait(
        f"/v1/audits/{audit['uuid']}", "state", {"SUCCEEDED", "FAILED", "CANCELLED"}, timeout
    )
    assert ended["state"] == "SUCCEEDED", ended
    plans = client.request("GET", f"/v1/action_plans?audit_uuid={audit['uuid']}")
    assert [p["state"] for p in plans["action_plans"]] == ["RECOMMENDED"]
    return audit["uuid"], plans["action_plans"][0]["uuid"]


def api_start_plan(client, plan_uuid: str, timeout: float = 30.0) -> str:
    client.request("POST", f"/v1/action_plans/{plan_uuid}/start")
    plan = client.wait(
        f"/v1/action_plans/{plan_uuid}", "state", {"SUCCEEDED", "FAILED", "CANCELLED"}, timeout
    )
    return plan["state"]
