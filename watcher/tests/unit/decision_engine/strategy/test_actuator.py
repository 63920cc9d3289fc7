import pytest

from watcher.common import exception
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import actuator


def run(parameters):
    strategy = actuator.Actuator()
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), parameters)
    )
    return strategy.execute()


def test_actions_are_added_verbatim_in_order():
    solution = run(
        {
            "actions": [
                {"action_type": "sleep", "input_parameters": {"duration": 2}},
                {
                    "action_type": "change_nova_service_state",
                    "resource_id": "node-1",
                    "input_parameters": {"state": "disabled", "resource_name": "cmp1"},
                },
                {"action_type": "nop", "input_parameters": {"message": "done"}},
            ]
        }
    )
    assert solution.actions == [
        {"action_type": "sleep", "input_parameters": {"duration": 2}},
        {
            "action_type": "change_nova_service_state",
            "input_parameters": {
                "state": "disabled",
                "resource_name": "cmp1",
                "resource_id": "node-1",
            },
        },
        {"action_type": "nop", "input_parameters": {"message": "done"}},
    ]
    assert solution.global_efficacy == []


def test_actions_parameter_is_required():
    with pytest.raises(exception.InvalidParameter):
        run({})


def test_each_action_needs_a_type_and_parameters():
    with pytest.raises(exception.InvalidParameter):
        run({"actions": [{"action_type": "nop"}]})


def test_exact_duplicates_are_dropped():
    nop = {"action_type": "nop", "input_parameters": {"message": "once"}}
    other = {"action_type": "nop", "input_parameters": {"message": "twice"}}
    solution = run({"actions": [nop, other, nop, other, nop]})
    assert solution.actions == [nop, other]
