"""Action plans of cloud actions run by the applier's taskflow engine against the simulator."""

import threading
import time

import pytest

from watcher.applier.action_plan import default as handler
from watcher.applier.workflow_engine import default as engine_mod
from watcher.tests.integration.applier.actions.conftest import configure, server
from watcher.tests.unit.decision_engine.conftest import env, make_plan  # noqa: F401

pytestmark = pytest.mark.integration


@pytest.fixture
def cloud(sim, conf, env):  # noqa: F811 - env is the fixture imported above
    configure(conf, sim)
    return env


def _run(env, plan):  # noqa: F811
    engine = engine_mod.DefaultWorkFlowEngine(env.context)
    handler.ActionPlanHandler(env.context, engine, plan.uuid).execute()
    plan.refresh()
    return plan, handler.plan_actions(env.context, plan)


def _live(vm, source, destination):
    return ("migrate", {"resource_id": vm.id, "migration_type": "live",
                        "source_node": source, "destination_node": destination,
                        "resource_name": vm.name})


def test_migration_plan_succeeds_and_moves_the_server(sim, cloud):
    vm = server(sim, "vm1")
    plan = make_plan(cloud, [_live(vm, "cmp1", "cmp2"),
                             ("stop", {"resource_id": server(sim, "vm2").id})])
    plan, actions = _run(cloud, plan)
    assert plan.state == "SUCCEEDED"
    assert [a.state for a in actions] == ["SUCCEEDED", "SUCCEEDED"]
    assert vm.host == "cmp2"
    assert server(sim, "vm2").status == "SHUTOFF"
    assert "action_plan.execution.end" in cloud.events()


def test_refused_migration_fails_the_plan_and_the_revert_restores_the_servers(
        sim, cloud, conf):
    conf.config(group="watcher_applier", rollback_when_actionplan_failed=True)
    vm1, vm2 = server(sim, "vm1"), server(sim, "vm2")
    # cmp4 refuses live migrations (scenario failure rule).
    plan = make_plan(cloud, [_live(vm1, "cmp1", "cmp2"), _live(vm2, "cmp1", "cmp4")])
    plan, actions = _run(cloud, plan)
    assert plan.state == "FAILED"
    assert [a.state for a in actions] == ["SUCCEEDED", "FAILED"]
    assert actions[1].status_message.startswith("Action failed in execute")
    # The first migration was undone by the plan-level revert, the second never happened.
    assert (vm1.host, vm2.host) == ("cmp1", "cmp1")
    statuses = [m.status for m in sim.state.migrations.values()]
    assert statuses == ["completed", "error", "completed"]


def test_cancel_aborts_the_running_live_migration(sim, cloud):
    vm = server(sim, "vm1")
    sim.clock.speed = 0.001  # the migration runs until the abort
    plan = make_plan(cloud, [_live(vm, "cmp1", "cmp2"), ("nop", {"message": "after"})])
    runner = threading.Thread(target=_run, args=(cloud, plan))
    runner.start()
    deadline = time.monotonic() + 10
    while vm.status != "MIGRATING" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert vm.status == "MIGRATING"
    plan.refresh()
    plan.state = "CANCELLING"
    plan.save()
    runner.join(20)
    assert not runner.is_alive()
    plan.refresh()
    assert plan.state == "CANCELLED"
    assert {a.state for a in handler.plan_actions(cloud.context, plan)} == {"CANCELLED"}
    assert vm.host == "cmp1" and vm.status == "ACTIVE"
    assert [m.status for m in sim.state.migrations.values()] == ["cancelled"]
