import jsonschema
import pytest

from watcher.common import exception
from watcher.decision_engine.model.scope import compute
from watcher.tests.unit.decision_engine.model import builders

TOPOLOGY = compute.Topology(
    aggregates=[
        {"id": 1, "name": "rack1", "hosts": ["host-1", "host-2"]},
        {"id": 2, "name": "rack2", "hosts": ["host-3"]},
    ],
    host_zones={"host-1": "az1", "host-2": "az1", "host-3": "az2", "host-4": "az2"},
)


@pytest.fixture
def model():
    m = builders.model({1: [1, 2], 2: [3], 3: [4], 4: [5]})
    m.get_instance_by_uuid("vm-2").metadata = {"optimize": "False"}
    m.get_instance_by_uuid("vm-3").project_id = "p2"
    return m


def scoped(model, rules, **kwargs):
    return compute.get_scoped_model(model, [{"compute": rules}], TOPOLOGY, **kwargs)


def nodes(model):
    return sorted(n.hostname for n in model.get_all_compute_nodes().values())


def excluded(model):
    return sorted(u for u, i in model.get_all_instances().items() if i.watcher_exclude)


def test_no_compute_rules_is_a_full_copy(model):
    for scope in (None, [], [{"storage": []}]):
        result = compute.get_scoped_model(model, scope, TOPOLOGY)
        assert nodes(result) == ["host-1", "host-2", "host-3", "host-4"]
        assert result is not model


def test_flat_scope_without_compute_wrapper_is_compute_rules(model):
    result = compute.get_scoped_model(model, [{"availability_zones": [{"name": "az2"}]}],
                                      TOPOLOGY)
    assert nodes(result) == ["host-3", "host-4"]


def test_aggregates_by_id_name_and_wildcard(model):
    assert nodes(scoped(model, [{"host_aggregates": [{"id": 2}]}])) == ["host-3"]
    assert nodes(scoped(model, [{"host_aggregates": [{"name": "rack1"}]}])) == [
        "host-1",
        "host-2",
    ]
    assert nodes(scoped(model, [{"host_aggregates": [{"id": "*"}]}])) == [
        "host-1",
        "host-2",
        "host-3",
    ]
    with pytest.raises(exception.WildcardCharacterIsUsed):
        scoped(model, [{"host_aggregates": [{"id": "*"}, {"id": 1}]}])


def test_zones_and_aggregates_add_up(model):
    rules = [{"host_aggregates": [{"id": 2}]}, {"availability_zones": [{"name": "az1"}]}]
    assert nodes(scoped(model, rules)) == ["host-1", "host-2", "host-3"]


def test_unknown_aggregate_scopes_to_nothing(model):
    assert nodes(scoped(model, [{"host_aggregates": [{"name": "nowhere"}]}])) == []


def test_excludes(model):
    rules = [
        {
            "exclude": [
                {"compute_nodes": [{"name": "host-4"}]},
                {"host_aggregates": [{"id": 2}]},
                {"instances": [{"uuid": "vm-1"}]},
                {"projects": [{"uuid": "p2"}]},
                {"instance_metadata": [{"optimize": "false"}]},
            ]
        }
    ]
    result = scoped(model, rules)
    assert nodes(result) == ["host-1", "host-2"]
    # Metadata exclusion only applies when the strategy asks for it.
    assert excluded(result) == ["vm-1", "vm-3"]
    assert excluded(scoped(model, rules, check_optimize_metadata=True)) == [
        "vm-1",
        "vm-2",
        "vm-3",
    ]
    assert excluded(model) == []


def test_schema_accepts_upstream_scopes_and_rejects_others():
    # Like upstream's API, the collector schema sits under "compute" of the audit scope
    # schema; its $refs point into that wrapper.
    wrapper = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"compute": compute.SCHEMA},
            "additionalProperties": False,
        },
    }
    validator = jsonschema.Draft4Validator(wrapper)
    validator.validate(
        [
            {
                "compute": [
                    {"host_aggregates": [{"id": 1}, {"name": "rack1"}, {"id": "*"}]},
                    {"availability_zones": [{"name": "az1"}]},
                    {"exclude": [{"instances": [{"uuid": "x"}]}, {"instance_metadata": [{}]}]},
                ]
            }
        ]
    )
    for bad in (
        [{"zones": []}],
        [{"host_aggregates": [{"id": "one"}]}],
        [{"exclude": [{"volumes": []}]}],
    ):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate([{"compute": bad}])
