"""The start-up sweep on SQLite, MariaDB and PostgreSQL: the run-once audits a dead engine left
ONGOING end CANCELLED, and none of their plans can be started any more."""

import pytest

from watcher import objects
from watcher.common import context as watcher_context
from watcher.decision_engine.audit import recovery
from watcher.tests.fixtures import database

pytestmark = pytest.mark.integration

HOST = "de-restarted"


@pytest.fixture
def ctx(any_db):
    return watcher_context.get_admin_context()


def _audit(audit_type="ONESHOT", state="ONGOING", hostname=HOST):
    return database.make_audit(audit_type=audit_type, state=state, hostname=hostname)


def _plan(audit, state):
    return database.make_action_plan(audit_id=audit.id, state=state).uuid


def _plan_state(ctx, uuid):
    plan = objects.ActionPlan.get_by_uuid(ctx, uuid)
    return plan.state, plan.status_message


def test_interrupted_run_once_audits_and_their_startable_plans_are_cancelled(ctx):
    oneshot, event = _audit(), _audit("EVENT")
    recommended, pending = _plan(oneshot, "RECOMMENDED"), _plan(oneshot, "PENDING")
    running = _plan(oneshot, "ONGOING")
    event_plan = _plan(event, "RECOMMENDED")

    swept = recovery.cancel_interrupted_audits(ctx, HOST)

    assert sorted(a.uuid for a in swept) == sorted([oneshot.uuid, event.uuid])
    for uuid in (recommended, pending, event_plan):
        assert _plan_state(ctx, uuid) == ("CANCELLED", recovery.plan_reason(HOST))
    # A plan the applier runs is whole (it was started), and the applier owns it.
    assert _plan_state(ctx, running)[0] == "ONGOING"
    audit = objects.Audit.get_by_uuid(ctx, oneshot.uuid)
    assert (audit.state, audit.status_message) == ("CANCELLED", recovery.audit_reason(HOST, 2))
    assert "2 of its action plans" in audit.status_message
    audit = objects.Audit.get_by_uuid(ctx, event.uuid)
    assert audit.status_message == recovery.audit_reason(HOST, 1)


def test_other_audits_and_plans_are_left_alone(ctx):
    finished = _audit(state="SUCCEEDED")
    elsewhere = _audit(hostname="de-other")
    continuous = _audit("CONTINUOUS")
    plans = [_plan(finished, "RECOMMENDED"), _plan(elsewhere, "RECOMMENDED"),
             _plan(continuous, "RECOMMENDED")]

    assert recovery.cancel_interrupted_audits(ctx, HOST) == []

    assert [_plan_state(ctx, uuid)[0] for uuid in plans] == ["RECOMMENDED"] * 3
    states = [objects.Audit.get_by_uuid(ctx, a.uuid).state
              for a in (finished, elsewhere, continuous)]
    assert states == ["SUCCEEDED", "ONGOING", "ONGOING"]
