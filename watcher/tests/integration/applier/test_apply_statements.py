"""Applying a plan costs a fixed number of statements per action, never a read per action
(SQLite, MariaDB, PostgreSQL), with notifications off and on: counted with a SQLAlchemy
cursor event for 100 and 1,000 actions run by the real taskflow engine. A plan that fails
or is cancelled costs as many statements for 400 actions as for 100."""

from __future__ import annotations

import collections
import contextlib
import math
import re
import threading
import time
from collections.abc import Iterator
from unittest import mock

import pytest
import sqlalchemy as sa
from oslo_config import fixture as cfg_fixture
from oslo_messaging.notify import _impl_test
from oslo_utils import uuidutils

from watcher import objects
from watcher.applier.action_plan import default as handler
from watcher.applier.actions import nop
from watcher.applier.workflow_engine import default as taskflow_engine
from watcher.common import context as watcher_context
from watcher.conf import CONF
from watcher.db.sqlalchemy import facade
from watcher.decision_engine import sync
from watcher.tests.fixtures import database

pytestmark = pytest.mark.integration

# The state changes of an action that runs and succeeds: ONGOING, then SUCCEEDED.
WRITES_PER_ACTION = 2
USER_CANCEL = "Action plan was cancelled by the user."


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


def _pending_plan(ctx, actions: int, first: tuple[str, dict] | None = None,
                  rest: tuple[str, dict] | None = None,
                  chained: bool = False) -> objects.ActionPlan:
    """``actions`` nops, unless ``first`` and ``rest`` (type, parameters) say otherwise;
    ``chained``: each after the one before, so none starts once one has not succeeded."""
    strategy = objects.Strategy.get_by_name(ctx, "dummy")
    audit = database.make_audit(state="SUCCEEDED", goal_id=strategy.goal_id)
    plan = objects.ActionPlan(ctx, audit_id=audit.id, strategy_id=strategy.id,
                              state="PENDING", global_efficacy=[])
    uuids = [uuidutils.generate_uuid() for _ in range(actions)]
    kinds = [rest or ("nop", {"message": str(n)}) for n in range(actions)]
    kinds[0] = first or kinds[0]
    plan.create_with_actions(
        [{"uuid": uuid, "action_type": kind, "input_parameters": params, "state": "PENDING",
          "parents": [uuids[n - 1]] if chained and n else []}
         for n, (uuid, (kind, params)) in enumerate(zip(uuids, kinds, strict=True))],
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


def _action_messages(plan: objects.ActionPlan) -> Iterator[tuple[str, dict, dict]]:
    """(event type, action data, its plan's data) of each action notification sent, each
    checked to be about ``plan``."""
    for _ctxt, message, _priority, _retry in _impl_test.NOTIFICATIONS:
        if message["event_type"].startswith("action."):
            data = message["payload"]["watcher_object.data"]
            terse = data["action_plan"]["watcher_object.data"]
            assert data["action_plan_uuid"] == terse["uuid"] == plan.uuid
            yield message["event_type"], data, terse


def _sent_about_actions(plan: objects.ActionPlan) -> collections.Counter:
    """Event types of the action notifications sent, each checked to describe the plan as
    it ran."""
    audit = objects.Audit.get_by_id(plan._context, plan.audit_id)
    sent: collections.Counter = collections.Counter()
    for event_type, _data, terse in _action_messages(plan):
        assert (terse["state"], terse["audit_uuid"]) == ("ONGOING", audit.uuid)
        sent[event_type] += 1
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


# -- plans that fail or are cancelled ----------------------------------------------------

# Two sizes are enough to show a count that does not grow; at 1,000 actions TaskFlow's own
# handling of the failed and reverted tasks takes about 25 s per case, not the database.
SMALL, LARGE = 100, 400


@contextlib.contextmanager
def _counting(counts: collections.Counter) -> Iterator[None]:
    """Statements by kind, plus 'polls' (the cancel watch's most plan reads), sent while the
    block runs by any thread but this one: the test's own reads and writes are not the
    applier's."""
    test_thread = threading.current_thread()

    def count(conn, cursor, statement, parameters, context, executemany):
        if threading.current_thread() is not test_thread:
            counts[_kind(statement)] += 1

    engine = facade.get_engine()
    sa.event.listen(engine, "before_cursor_execute", count)
    started = time.monotonic()
    try:
        yield
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
        counts["polls"] = math.ceil(
            (time.monotonic() - started) / taskflow_engine.CANCEL_POLL_SECONDS)


def _apply_in_thread(ctx, plan: objects.ActionPlan) -> threading.Thread:
    runner = threading.Thread(target=handler.ActionPlanHandler(
        ctx, taskflow_engine.DefaultWorkFlowEngine(ctx), plan.uuid).execute)
    runner.start()
    return runner


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _assert_size_free(small: collections.Counter, large: collections.Counter,
                      checked: frozenset = frozenset()) -> None:
    """Every kind of statement as often for the large plan as for the small one, but the
    plan reads of the cancel watch, which grow with the run's length only, and the kinds
    the caller has ``checked`` (on SQLite each of these with its BEGIN)."""
    grows = {"select action_plans", "polls", *checked}
    for counts in (small, large):
        assert counts["select action_plans"] <= counts["polls"] + 6, counts
        if counts["begin"]:
            counts["begin"] -= sum(counts[kind] for kind in grows - {"polls"})
    for kind in (set(small) | set(large)) - grows:
        assert large[kind] == small[kind], (kind, small, large)


def _action_events(plan: objects.ActionPlan) -> collections.Counter:
    """The action notifications sent: (event type, plan state they show), updates with
    their old and new state in between."""
    sent: collections.Counter = collections.Counter()
    for event_type, data, terse in _action_messages(plan):
        update = data.get("state_update", {}).get("watcher_object.data", {})
        sent[(event_type, *update.values(), terse["state"])] += 1
    return sent


def _nonzero(counts: dict) -> dict:
    return {key: count for key, count in counts.items() if count}


def _statements_to_fail(ctx, actions: int, chained: bool
                        ) -> tuple[collections.Counter, objects.ActionPlan, list[str]]:
    """The first action fails; chained, the others never start; not, TaskFlow has handed
    them all to its workers already: they run, succeed and are reverted."""
    plan = _pending_plan(ctx, actions, ("nop", {"message": "0", "fail_execute": True}),
                         chained=chained)
    _impl_test.reset()
    reverted: list[str] = []
    counts: collections.Counter = collections.Counter()
    with mock.patch.object(nop.Nop, "revert", autospec=True,
                           side_effect=lambda self: reverted.append(self.input_parameters)):
        with _counting(counts):
            _apply_in_thread(ctx, plan).join()
    plan.refresh()
    stored = handler.plan_actions(ctx, plan)
    assert (plan.state, plan.status_message) == (
        "FAILED", f"Workflow execution error: The action {stored[0].uuid} execution failed.")
    rest = ("PENDING", None) if chained else ("SUCCEEDED", None)
    assert [(a.state, a.status_message) for a in stored] == [
        ("FAILED", "Action failed in execute: execute returned False"),
        *[rest] * (actions - 1)]
    return counts, plan, sorted(params["message"] for params in reverted)


@pytest.fixture
def rollback(ctx):
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    conf.config(rollback_when_actionplan_failed=True, group="watcher_applier")
    try:
        yield
    finally:
        conf.cleanUp()


@pytest.mark.parametrize("chained", [True, False], ids=["chained", "parallel"])
def test_a_failed_plan_costs_as_many_statements_for_400_actions_as_for_100(
        ctx, notification_level, rollback, chained):
    small, _, _ = _statements_to_fail(ctx, SMALL, chained)
    large, plan, reverted = _statements_to_fail(ctx, LARGE, chained)
    started = 1 if chained else LARGE
    # Each started action's two state changes; nothing read or written for the revert.
    assert small["select actions"] == large["select actions"] == 1
    assert small["update actions"] == WRITES_PER_ACTION * (1 if chained else SMALL)
    assert large["update actions"] == WRITES_PER_ACTION * started
    _assert_size_free(small, large, checked=frozenset({"update actions"}))
    # The succeeded actions are each reverted, with the rollback on; the failed one not.
    assert reverted == sorted(str(n) for n in range(1, started))
    if notification_level:
        assert _action_events(plan) == _nonzero({
            ("action.update", "PENDING", "ONGOING", "ONGOING"): started,
            ("action.execution.start", "ONGOING"): started,
            ("action.update", "ONGOING", "SUCCEEDED", "ONGOING"): started - 1,
            ("action.execution.end", "ONGOING"): started - 1,
            ("action.update", "ONGOING", "FAILED", "ONGOING"): 1,
            ("action.execution.error", "ONGOING"): 1})


def _statements_to_cancel(ctx, actions: int, chained: bool
                          ) -> tuple[collections.Counter, objects.ActionPlan, int]:
    """The user cancels the plan (CANCELLING, as the API writes it) while its first actions
    sleep; the cancel watch aborts them. Chained, the first sleeps and the others never
    start; not, every action sleeps and as many run as there are workers, the others wait
    for one, and one of these is SKIPPED by another writer before the cancel."""
    workers = CONF[taskflow_engine.GROUP].max_workers
    sleep = ("sleep", {"duration": 60})
    plan = _pending_plan(ctx, actions, sleep, rest=None if chained else sleep,
                         chained=chained)
    started = 1 if chained else workers
    _impl_test.reset()
    counts: collections.Counter = collections.Counter()
    with _counting(counts):
        runner = _apply_in_thread(ctx, plan)
        _wait_for(lambda: [a.state for a in handler.plan_actions(ctx, plan)].count(
            "ONGOING") == started)
        stored = handler.plan_actions(ctx, plan)
        skipped = None if chained else next(a for a in stored if a.state == "PENDING")
        if skipped:
            skipped.state = "SKIPPED"
            skipped.save()
        plan.refresh()
        plan.state = "CANCELLING"
        plan.save()
        runner.join(60)
    assert not runner.is_alive()
    plan.refresh()
    assert (plan.state, plan.status_message) == ("CANCELLED", USER_CANCEL)
    assert [(a.state, a.status_message) for a in handler.plan_actions(ctx, plan)] == [
        ("SKIPPED", None) if skipped and a.uuid == skipped.uuid else ("CANCELLED", USER_CANCEL)
        for a in stored]
    return counts, plan, started


@pytest.mark.parametrize("chained", [True, False], ids=["chained", "parallel"])
def test_a_cancelled_plan_costs_as_many_statements_for_400_actions_as_for_100(
        ctx, notification_level, chained):
    small, _, _ = _statements_to_cancel(ctx, SMALL, chained)
    large, plan, started = _statements_to_cancel(ctx, LARGE, chained)
    # The plan's actions read once by the handler, then by the bulk write (chained: by the
    # handler's, parallel: by the engine's at its revert and by the handler's, which then
    # finds nothing to move); each started action's two state changes and the one bulk
    # write.
    assert small["select actions"] == large["select actions"] == (2 if chained else 3)
    assert large["update actions"] == WRITES_PER_ACTION * started + 1
    _assert_size_free(small, large)
    if notification_level:
        # The user's CANCELLING shows in what is sent once the cancel watch has seen it.
        assert _action_events(plan) == {
            ("action.update", "PENDING", "ONGOING", "ONGOING"): started,
            ("action.execution.start", "ONGOING"): started,
            ("action.update", "ONGOING", "CANCELLED", "CANCELLING"): started,
            ("action.cancel.end", "CANCELLING"): started,
            ("action.update", "PENDING", "CANCELLED", "CANCELLING"): (
                LARGE - started if chained else LARGE - started - 1),
            **({} if chained else {("action.update", "PENDING", "SKIPPED", "PENDING"): 1})}
