import pytest

from watcher.api.controllers.v1 import types, validation
from watcher.common import exception
from watcher.decision_engine.strategy.strategies.actuator import Actuator
from watcher.tests.functional.api.sample_data import DUMMY_PARAMETERS_SPEC


def test_defaults_are_filled_in():
    assert validation.validate_parameters(DUMMY_PARAMETERS_SPEC, {"para1": 2}) == {
        "para1": 2, "para2": "hello"}


def test_the_input_is_not_modified():
    given = {"para1": 2}
    validation.validate_parameters(DUMMY_PARAMETERS_SPEC, given)
    assert given == {"para1": 2}


@pytest.mark.parametrize("parameters", [{"para1": 0.5}, {"para1": 11}, {"para2": 3}])
def test_out_of_spec_values_are_refused(parameters):
    with pytest.raises(exception.Invalid, match="Invalid parameters for strategy"):
        validation.validate_parameters(DUMMY_PARAMETERS_SPEC, parameters)


def test_unknown_parameters_are_refused():
    with pytest.raises(exception.AuditParameterNotAllowed):
        validation.validate_parameters(DUMMY_PARAMETERS_SPEC, {"colour": "red"})


def test_parameters_without_spec_are_refused():
    with pytest.raises(exception.Invalid, match="no predefined strategy"):
        validation.validate_parameters(None, {"para1": 2})
    assert validation.validate_parameters(None, {}) == {}


def test_bare_compute_scope_is_wrapped():
    scope = [{"availability_zones": [{"name": "az1"}]}]
    assert validation.normalize_scope(scope) == [{"compute": scope}]


def test_storage_scope_is_kept():
    scope = [{"storage": [{"volume_types": [{"name": "ssd"}]}]}]
    assert validation.normalize_scope(scope) == scope


@pytest.mark.parametrize("scope", [
    "everything",
    [{"compute": [{"host_aggregates": [{"id": 1}]},
                  {"exclude": [{"host_aggregates": [{"id": 2}]}]}]}],
    [{"compute": [{"exclude": [{"unknown": []}]}]}],
    [{"network": []}, {"compute": []}],
])
def test_invalid_scopes(scope):
    with pytest.raises(exception.Invalid):
        validation.normalize_scope(scope)


@pytest.mark.parametrize("value", ["3600", 60, "*/5 * * * *", "0 0 * * 1"])
def test_interval_or_cron_accepts(value):
    assert types.IntervalOrCron.validate(value) == value


@pytest.mark.parametrize("value", ["soon", "1.5", "* * *", "61 * * * *"])
def test_interval_or_cron_refuses(value):
    with pytest.raises(exception.InvalidIntervalOrCron):
        types.IntervalOrCron.validate(value)


def test_actuator_input_parameters_are_free_form():
    parameters = {"actions": [{"action_type": "nop",
                               "input_parameters": {"message": "hello World"}}]}
    assert validation.validate_parameters(Actuator.get_schema(), parameters) == parameters


def test_unknown_keys_of_an_actuator_action_are_refused():
    parameters = {"actions": [{"action_type": "nop", "input_parameters": {},
                               "colour": "red"}]}
    with pytest.raises(exception.AuditParameterNotAllowed):
        validation.validate_parameters(Actuator.get_schema(), parameters)
