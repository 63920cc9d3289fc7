import pytest

from watcher import objects
from watcher.common import exception
from watcher.decision_engine.planner import node_resource_consolidation as planner_mod
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import node_resource_consolidation as nrc
from watcher.tests.unit.decision_engine.strategy.models import build, instance, node


def service(hostname, state):
    return {
        "action_type": "change_nova_service_state",
        "input_parameters": {"state": state, "resource_id": hostname},
    }


def migrate(name, source):
    return {
        "action_type": "migrate",
        "input_parameters": {"resource_id": name, "source_node": source},
    }


def test_disables_then_chained_migrations_per_source_then_enables():
    actions = [
        service("n1", "disabled"),
        service("n2", "disabled"),
        migrate("a", "n1"),
        migrate("b", "n2"),
        migrate("c", "n1"),
        migrate("d", "n2"),
        migrate("e", "n1"),
        service("n1", "enabled"),
        service("n2", "enabled"),
    ]
    ordered = planner_mod.NodeResourceConsolidationPlanner().order(actions)
    names = [a["input_parameters"]["resource_id"] for a, _ in ordered]
    assert names == ["n1", "n2", "a", "c", "e", "b", "d", "n1", "n2"]
    assert [parents for _, parents in ordered] == [
        [],
        [],
        [0, 1],  # a: after the disables
        [0, 1, 2],  # c: after a (same source)
        [0, 1, 3],  # e: after c
        [0, 1],  # b: first of n2, parallel to n1's chain
        [0, 1, 5],  # d: after b
        [4, 6],  # enables: after the last migration of each source
        [4, 6],
    ]


def test_migrations_alone_run_one_chain_per_source():
    ordered = planner_mod.NodeResourceConsolidationPlanner().order(
        [migrate("a", "n1"), migrate("b", "n2"), migrate("c", "n1")]
    )
    assert [(a["input_parameters"]["resource_id"], p) for a, p in ordered] == [
        ("a", []),
        ("c", [0]),
        ("b", []),
    ]


def test_other_action_types_are_refused():
    with pytest.raises(exception.UnsupportedActionType):
        planner_mod.NodeResourceConsolidationPlanner().order(
            [{"action_type": "sleep", "input_parameters": {"duration": 1}}]
        )


def test_schedule_stores_the_plan_with_parents_and_indicators(env):
    model = build(
        [node("n0"), node("n1"), node("n2"), node("n3")],
        {"n1": [instance("a")], "n2": [instance("b", 2)], "n3": [instance("c", 14)]},
    )
    strategy = nrc.NodeResourceConsolidation()
    strategy.input_parameters.update(strategy_context.fill_defaults(strategy.get_schema(), {}))
    strategy.compute_model = model
    solution = strategy.execute()
    audit = env.audit(state="ONGOING")

    plan = planner_mod.NodeResourceConsolidationPlanner().schedule(env.context, audit, solution)

    assert plan.state == "RECOMMENDED"
    assert plan.global_efficacy[0]["name"] == "released_nodes_ratio"
    assert plan.global_efficacy[0]["value"] == 25.0
    actions = objects.Action.list(env.context, filters={"action_plan_uuid": plan.uuid})
    by_uuid = {a.uuid: a for a in actions}
    summary = sorted(
        (
            a.action_type,
            a.input_parameters.get("resource_name"),
            a.input_parameters.get("state"),
            sorted(by_uuid[p].input_parameters["resource_name"] for p in a.parents),
        )
        for a in actions
    )
    assert summary == [
        ("change_nova_service_state", "n0", "disabled", []),
        ("change_nova_service_state", "n0", "enabled", ["a"]),
        ("change_nova_service_state", "n1", "disabled", []),
        ("change_nova_service_state", "n1", "enabled", ["a"]),
        ("migrate", "a", None, ["n0", "n1"]),
    ]
    indicators = objects.EfficacyIndicator.list(env.context, filters={"action_plan_id": plan.id})
    assert {i.name: i.value for i in indicators} == {
        "compute_nodes_count": 4,
        "released_compute_nodes_count": 1,
        "instance_migrations_count": 1,
    }
