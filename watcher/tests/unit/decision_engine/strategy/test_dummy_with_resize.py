import pytest

from watcher.common import exception, loader
from watcher.decision_engine.planner import weight
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import dummy_with_resize

FIRST = "b199db0c-1408-4d52-b5a5-5ca14de0ff36"
SECOND = "8db1b3c1-7938-4c34-8c03-6de14b874f8f"


def run(**parameters):
    strategy = dummy_with_resize.DummyWithResize()
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), parameters)
    )
    return strategy.execute()


def live_migration(server):
    return {
        "action_type": "migrate",
        "input_parameters": {
            "source_node": "compute2",
            "destination_node": "compute3",
            "migration_type": "live",
            "resource_id": server,
        },
    }


EXPECTED = [
    {"action_type": "nop", "input_parameters": {"message": "hello World"}},
    {"action_type": "nop", "input_parameters": {"message": "Welcome"}},
    {"action_type": "sleep", "input_parameters": {"duration": 5.0}},
    live_migration(FIRST),
    live_migration(SECOND),
    {"action_type": "resize", "input_parameters": {"flavor": "x2", "resource_id": SECOND}},
]


def test_identity():
    cls = dummy_with_resize.DummyWithResize
    assert (cls.get_name(), cls.get_display_name(), cls.get_goal_name()) == (
        "dummy_with_resize", "Dummy strategy with resize", "dummy"
    )
    assert cls.get_schema()["properties"]["para1"] == {
        "description": "number parameter example",
        "type": "number",
        "default": 3.2,
        "minimum": 1.0,
        "maximum": 10.2,
    }
    assert cls.get_schema()["properties"]["para2"]["default"] == "hello"


@pytest.mark.parametrize("parameters", [{}, {"para1": 10.2, "para2": "other"}])
def test_the_plan_is_fixed_whatever_the_parameters(parameters):
    solution = run(**parameters)
    assert solution.actions == EXPECTED
    assert solution.global_efficacy == []


def test_parameters_outside_the_schema_are_refused():
    with pytest.raises(exception.InvalidParameter):
        run(para1=10.3)


def test_every_action_is_valid_for_the_applier():
    for action in run().actions:
        cls = loader.load_class("watcher_actions", action["action_type"])
        instance = cls()
        instance.input_parameters = action["input_parameters"]
        assert instance.validate_parameters(), action


def test_weight_planner_order():
    ordered = weight.WeightPlanner().order(run().actions)
    assert [(a["action_type"], a["input_parameters"].get("resource_id")) for a, _ in ordered] == [
        ("nop", None),
        ("nop", None),
        ("sleep", None),
        ("migrate", FIRST),
        ("migrate", SECOND),
        ("resize", SECOND),
    ]
    # nop, nop, sleep one after another; both migrations together; then the resize.
    assert [parents for _, parents in ordered] == [[], [0], [1], [2], [2], [3, 4]]
