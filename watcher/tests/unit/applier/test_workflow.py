import threading
import time
import types

import pytest
from taskflow import exceptions as taskflow_exceptions

from watcher import objects
from watcher.applier import manager, sync
from watcher.applier.action_plan import default as handler
from watcher.applier.workflow_engine import default as engine_mod
from watcher.common import context as watcher_context
from watcher.conf import CONF
from watcher.tests.unit.decision_engine.conftest import make_plan


def _run(env, plan):
    engine = engine_mod.DefaultWorkFlowEngine(env.context)
    handler.ActionPlanHandler(env.context, engine, plan.uuid).execute()
    plan.refresh()
    return plan, handler.plan_actions(env.context, plan)


def _wait(predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_plan_runs_in_parent_order_and_succeeds(env):
    plan = make_plan(
        env, [("nop", {"message": "a"}), ("nop", {"message": "b"}), ("sleep", {"duration": 0})]
    )
    plan, actions = _run(env, plan)
    assert plan.state == "SUCCEEDED"
    assert plan.hostname == CONF.host
    assert [a.state for a in actions] == ["SUCCEEDED"] * 3
    starts = [n for n in env.notifications() if n[0] == "action.execution.start"]
    assert [n[1]["watcher_object.data"]["uuid"] for n in starts] == [a.uuid for a in actions]
    assert env.events().count("action_plan.execution.start") == 1
    assert env.events()[-1] == "action_plan.execution.end"


def test_failed_action_fails_the_plan_and_leaves_the_rest_pending(env):
    plan = make_plan(
        env, [("nop", {"message": "a", "fail_execute": True}), ("nop", {"message": "b"})]
    )
    plan, actions = _run(env, plan)
    assert plan.state == "FAILED"
    assert [a.state for a in actions] == ["FAILED", "PENDING"]
    assert actions[0].status_message.startswith("Action failed in execute")
    assert "action.execution.error" in env.events()
    errors = [n for n in env.notifications() if n[0] == "action_plan.execution.error"]
    assert errors and errors[0][2] == "ERROR"


def test_skipped_action_is_reported_on_the_plan(env):
    plan = make_plan(
        env, [("nop", {"message": "a", "skip_pre_condition": True}), ("nop", {"message": "b"})]
    )
    plan, actions = _run(env, plan)
    assert plan.state == "SUCCEEDED"
    assert plan.status_message == "One or more actions were skipped."
    assert [a.state for a in actions] == ["SKIPPED", "SUCCEEDED"]
    assert actions[0].status_message.startswith("Action was skipped automatically")


def test_user_cancel_aborts_the_running_action_and_cancels_the_rest(env):
    plan = make_plan(env, [("sleep", {"duration": 30}), ("nop", {"message": "b"})])
    runner = threading.Thread(target=_run, args=(env, plan))
    runner.start()
    _wait(lambda: handler.plan_actions(env.context, plan)[0].state == "ONGOING")
    plan.refresh()
    plan.state = "CANCELLING"
    plan.save()
    runner.join(10)
    assert not runner.is_alive()
    plan.refresh()
    assert plan.state == "CANCELLED"
    assert {a.state for a in handler.plan_actions(env.context, plan)} == {"CANCELLED"}
    assert "action_plan.cancel.end" in env.events()


def test_applier_stop_hands_back_a_defined_state(env):
    plan = make_plan(env, [("sleep", {"duration": 30}), ("nop", {"message": "b"})])
    applier = manager.ApplierManager()
    applier.launch_action_plan(env.context, plan.uuid)
    _wait(lambda: handler.plan_actions(env.context, plan)[0].state == "ONGOING")
    started = time.monotonic()
    applier.stop(wait=True)
    assert time.monotonic() - started < 10
    plan.refresh()
    assert plan.state == "CANCELLED"
    assert plan.status_message == sync.stopped_message(CONF.host)
    assert {a.state for a in handler.plan_actions(env.context, plan)} == {"CANCELLED"}
    # A launch after stop is refused; the plan it names stays as it is.
    other = make_plan(env, [("nop", {"message": "x"})])
    applier.launch_action_plan(env.context, other.uuid)
    other.refresh()
    assert other.state == "PENDING"


def test_applier_sync_cancels_this_hosts_ongoing_plans(env):
    mine = make_plan(env, [("nop", {"message": "a"})], state="PENDING")
    mine.state = "ONGOING"
    mine.hostname = CONF.host
    mine.save()
    theirs = make_plan(env, [("nop", {"message": "a"})], state="PENDING")
    theirs.state = "ONGOING"
    theirs.hostname = "elsewhere"
    theirs.save()
    taken = make_plan(env, [("nop", {"message": "a"})], state="PENDING")
    taken.hostname = CONF.host
    taken.save()
    api = _ApplierApi()
    sync.Syncer(env.context, api).sync()
    taken.refresh()
    assert api.launched == [taken.uuid] and taken.hostname is None
    mine.refresh()
    theirs.refresh()
    assert (mine.state, theirs.state) == ("CANCELLED", "ONGOING")
    assert mine.status_message == sync.stopped_message(CONF.host)
    assert [a.state for a in handler.plan_actions(env.context, mine)] == ["CANCELLED"]
    described = objects.ActionDescription.get_by_type(env.context, "sleep")
    assert described.description == "Wait for a given interval in seconds."


class _ApplierApi:
    def __init__(self):
        self.launched = []

    def launch_action_plan(self, context, uuid):
        self.launched.append(uuid)


def test_leader_applier_relaunches_plans_of_a_dead_applier_and_lost_launches(env):
    import datetime

    from oslo_utils import timeutils

    from watcher.applier import service_monitor

    now = timeutils.utcnow()
    for host, age in ((CONF.host, 0), ("dead", CONF.service_down_time + 5)):
        objects.Service(
            env.context,
            name="watcher-applier",
            host=host,
            last_seen_up=now - datetime.timedelta(seconds=age),
        ).create()
    running = make_plan(env, [("nop", {"message": "a"})])
    running.state = "ONGOING"
    running.hostname = "dead"
    running.save()
    taken = make_plan(env, [("nop", {"message": "a"})])
    taken.hostname = "dead"
    taken.save()
    lost = make_plan(env, [("nop", {"message": "a"})])
    api = _ApplierApi()
    monitor = service_monitor.ApplierMonitor("watcher-applier", api)
    monitor.stalled = lambda obj, now=None: obj.uuid == lost.uuid
    monitor.tick()
    running.refresh()
    assert running.state == "CANCELLED" and "dead" in running.status_message
    assert api.launched == [taken.uuid, lost.uuid]


def test_launch_records_the_host_before_running(env):
    plan = make_plan(env, [("nop", {"message": "a"})])
    applier = manager.ApplierManager()
    try:
        applier._take(env.context, plan.uuid)
        plan.refresh()
        assert (plan.state, plan.hostname) == ("PENDING", CONF.host)
    finally:
        applier.stop()


def test_any_rule_runs_a_child_only_when_its_parent_failed(env):
    CONF.set_override(
        "action_execution_rule", {"dummy": "ANY"}, group="watcher_workflow_engines.taskflow"
    )
    try:
        ok_first = make_plan(env, [("nop", {"message": "a"}), ("nop", {"message": "b"})])
        _, actions = _run(env, ok_first)
        assert [a.state for a in actions] == ["SUCCEEDED", "PENDING"]

        failing_first = make_plan(
            env, [("nop", {"message": "a", "fail_execute": True}), ("nop", {"message": "b"})]
        )
        _, actions = _run(env, failing_first)
        assert [a.state for a in actions] == ["FAILED", "SUCCEEDED"]
    finally:
        CONF.clear_override("action_execution_rule", group="watcher_workflow_engines.taskflow")


def _plan_actions(edges: dict[str, list[str]]):
    return [types.SimpleNamespace(uuid=uuid, action_type="nop", parents=parents)
            for uuid, parents in edges.items()]


def test_flow_links_each_action_to_its_parents():
    engine = engine_mod.DefaultWorkFlowEngine(watcher_context.get_admin_context())
    # The weight planner's shape: chunks of two, each action after the whole chunk before.
    edges = {"a": [], "b": [], "c": ["a", "b"], "d": ["a", "b"], "e": ["c", "d"]}
    flow = engine.build_flow(_plan_actions(edges), "ALWAYS")
    linked = sorted((u.name.split("-")[1], v.name.split("-")[1])
                    for u, v, _ in flow.iter_links())
    assert linked == sorted((p, c) for c, parents in edges.items() for p in parents)
    flow = engine.build_flow(_plan_actions(edges), "ANY")
    assert all(data.get("decider") is not None for _, _, data in flow.iter_links())
    with pytest.raises(taskflow_exceptions.DependencyFailure):
        engine.build_flow(_plan_actions({"a": ["b"], "b": ["a"]}), "ALWAYS")
