"""Applying a plan costs a fixed number of statements per action, never a read per action
(SQLite, MariaDB, PostgreSQL), with notifications off and on: counted with a SQLAlchemy
cursor event for 100 and 1,000 actions run by the real taskflow engine."""

from __future__ import annotations

import collections
import math
import re
import time

import pytest
import sqlalchemy as sa
from oslo_config import fixture as cfg_fixture
from oslo_messaging.notify import _impl_test

from watcher import objects
from watcher.applier.action_plan import default as handler
from watcher.applier.workflow_engine import default as taskflow_engine
from watcher.common import context as watcher_context
from watcher.conf import CONF
from watcher.db.sqlalchemy import facade
from watcher.decision_engine import sync
from watcher.tests.fixtures import database

pytestmark = pytest.mark.integration

# The state changes of an action that runs and succeeds: ONGOING, then SUCCEEDED.
WRITES_PER_ACTION = 2


@pytest.fixture
def ctx(any_db, notification_level):
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    conf.config(max_workers=8, group="watcher_workflow_engines.taskflow")
    sync.Syncer().sync()
    try:
        yield watcher_context.get_admin_context()
    finally:
        conf.cleanUp()


def _pending_plan(ctx, actions: int) -> objects.ActionPlan:
    strategy = objects.Strategy.get_by_name(ctx, "dummy")
    audit = database.make_audit(state="SUCCEEDED", goal_id=strategy.goal_id)
    plan = objects.ActionPlan(ctx, audit_id=audit.id, strategy_id=strategy.id,
                              state="PENDING", global_efficacy=[])
    plan.create_with_actions(
        [{"action_type": "nop", "input_parameters": {"message": str(n)}, "state": "PENDING",
          "parents": []} for n in range(actions)],
        [])
    return plan


def _kind(statement: str) -> str:
    """'select actions', 'update actions', ... (verb and first table)."""
    verb = statement.split(None, 1)[0].lower()
    table = re.search(r"\b(?:FROM|UPDATE|INTO)\s+[`\"]?(\w+)", statement, re.I)
    return f"{verb} {table.group(1) if table else ''}".strip()


def _statements_to_apply(ctx, actions: int) -> tuple[collections.Counter, objects.ActionPlan]:
    """Statements by kind (plus 'polls', the cancel watch's most plan reads), and the plan."""
    plan = _pending_plan(ctx, actions)
    _impl_test.reset()
    counts: collections.Counter = collections.Counter()

    def count(conn, cursor, statement, parameters, context, executemany):
        counts[_kind(statement)] += 1

    engine = facade.get_engine()
    sa.event.listen(engine, "before_cursor_execute", count)
    started = time.monotonic()
    try:
        handler.ActionPlanHandler(
            ctx, taskflow_engine.DefaultWorkFlowEngine(ctx), plan.uuid).execute()
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    counts["polls"] = math.ceil((time.monotonic() - started) / taskflow_engine.CANCEL_POLL_SECONDS)
    plan.refresh()
    assert plan.state == "SUCCEEDED"
    states = {a.state for a in handler.plan_actions(ctx, plan)}
    assert states == {"SUCCEEDED"}
    return counts, plan


def _sent_about_actions(plan: objects.ActionPlan) -> collections.Counter:
    """Event types of the action notifications sent, each checked to describe the plan as
    it ran."""
    audit = objects.Audit.get_by_id(plan._context, plan.audit_id)
    sent: collections.Counter = collections.Counter()
    for _ctxt, message, _priority, _retry in _impl_test.NOTIFICATIONS:
        if message["event_type"].startswith("action."):
            data = message["payload"]["watcher_object.data"]
            terse = data["action_plan"]["watcher_object.data"]
            assert data["action_plan_uuid"] == terse["uuid"] == plan.uuid
            assert (terse["state"], terse["audit_uuid"]) == ("ONGOING", audit.uuid)
            sent[message["event_type"]] += 1
    return sent


def test_applying_reads_the_actions_in_bulk_and_writes_each_state_once(ctx, notification_level):
    small, _ = _statements_to_apply(ctx, 100)
    large, plan = _statements_to_apply(ctx, 1000)
    if notification_level:
        # Each action's two state changes, its execution start and end.
        assert _sent_about_actions(plan) == {
            "action.update": 2000, "action.execution.start": 1000,
            "action.execution.end": 1000}
    # Actions are read with their plan (start, end), never one by one.
    assert small["select actions"] == large["select actions"] <= 2
    # Each action's two state changes are one UPDATE each, with no read before them.
    assert small["update actions"] == WRITES_PER_ACTION * 100
    assert large["update actions"] == WRITES_PER_ACTION * 1000
    # The plan is read a few times by the handler, then by the cancel watch every half
    # second of the run: never per action, notifications included.
    for counts in (small, large):
        assert counts["select action_plans"] <= counts["polls"] + 6, counts
    # Everything else (plan state changes, the strategy's rule, with notifications the
    # plan's audit, goal and strategy) does not depend on the plan's size.
    # On SQLite each transaction also sends a BEGIN.
    grows = {"select actions", "update actions", "select action_plans", "begin", "polls"}
    for kind in set(large) - grows:
        assert large[kind] == small[kind], (kind, small, large)
    assert large["begin"] <= large["update actions"] + large["select action_plans"] + 10
