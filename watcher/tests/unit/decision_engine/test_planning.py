import pytest

from watcher.common import exception
from watcher.decision_engine.planner import weight
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import dummy_strategy


class _Config:
    def __init__(self, weights, parallelization):
        self.weights = weights
        self.parallelization = parallelization


def _action(kind, n):
    return {"action_type": kind, "input_parameters": {"n": n}}


def test_weight_planner_orders_by_weight_and_chunks_by_parallelization():
    planner = weight.WeightPlanner(
        _Config({"nop": 70, "sleep": 40, "migrate": 30}, {"nop": 1, "sleep": 1, "migrate": 2})
    )
    actions = [
        _action("migrate", 1),
        _action("sleep", 2),
        _action("nop", 3),
        _action("migrate", 4),
        _action("nop", 5),
        _action("migrate", 6),
    ]
    ordered = planner.order(actions)
    kinds = [(a["action_type"], a["input_parameters"]["n"]) for a, _ in ordered]
    assert kinds == [
        ("nop", 3),
        ("nop", 5),
        ("sleep", 2),
        ("migrate", 1),
        ("migrate", 4),
        ("migrate", 6),
    ]
    parents = [p for _, p in ordered]
    # nop chunks of 1 chain; migrate chunk of 2 runs in parallel after the sleep.
    assert parents == [[], [0], [1], [2], [2], [3, 4]]


def test_weight_planner_rejects_unknown_action_types():
    planner = weight.WeightPlanner(_Config({"nop": 70}, {"nop": 1}))
    with pytest.raises(exception.UnsupportedActionType):
        planner.order([_action("reboot", 1)])


def test_dummy_strategy_solution_uses_defaults_and_parameters():
    strategy = dummy_strategy.DummyStrategy()
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), {"para1": 2.0})
    )
    solution = strategy.execute()
    assert solution.actions == [
        {"action_type": "nop", "input_parameters": {"message": "hello"}},
        {"action_type": "nop", "input_parameters": {"message": "Welcome"}},
        {"action_type": "sleep", "input_parameters": {"duration": 2.0}},
    ]
    assert solution.global_efficacy == []


def test_parameters_outside_schema_are_rejected():
    with pytest.raises(exception.InvalidParameter):
        strategy_context.fill_defaults(dummy_strategy.DummyStrategy.get_schema(), {"para1": 50})


def test_solution_drops_duplicates_and_reserves_resource_id():
    solution = dummy_strategy.DummyStrategy().solution
    solution.add_action("nop", {"message": "x"}, resource_id="r1")
    solution.add_action("nop", {"message": "x"}, resource_id="r1")
    assert solution.actions == [
        {"action_type": "nop", "input_parameters": {"message": "x", "resource_id": "r1"}}
    ]
    with pytest.raises(exception.ReservedWord):
        solution.add_action("nop", {"resource_id": "r2"})
