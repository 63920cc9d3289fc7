import pytest
from oslo_config import fixture as cfg_fixture

from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.planner import workload_stabilization as wsp


def action(kind, resource_id, **params):
    return {"action_type": kind, "input_parameters": dict(params, resource_id=resource_id)}


MIGRATE_A = action("migrate", "a", migration_type="live", source_node="n1",
                   destination_node="n2")
MIGRATE_B = action("migrate", "b", migration_type="live", source_node="n1",
                   destination_node="n3")
RESIZE_A = action("resize", "a", flavor="m2")
DISABLE = action("change_nova_service_state", "n1", state="disabled")
NOP = action("nop", "x", message="hi")
SLEEP = action("sleep", "y", duration=1)
ACPI = action("turn_host_to_acpi_s3_state", "n1")


def test_heavier_types_first_and_chains_per_resource():
    ordered = wsp.WorkloadStabilizationPlanner().order(
        [ACPI, MIGRATE_A, RESIZE_A, SLEEP, MIGRATE_B, DISABLE, NOP])
    assert ordered == [
        (NOP, []),
        (DISABLE, []),
        (SLEEP, []),
        (MIGRATE_A, []),
        (MIGRATE_B, []),
        (RESIZE_A, [3]),     # after a's migration
        (ACPI, [5, 4]),      # after the resize on n1 and the migration no resize waits for
    ]


def test_weights_come_from_the_planner_group():
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    try:
        fixture.config(weights={"migrate": 9, "nop": 1},
                       group="watcher_planners.workload_stabilization")
        ordered = wsp.WorkloadStabilizationPlanner().order([NOP, MIGRATE_A])
        assert [a for a, _ in ordered] == [MIGRATE_A, NOP]
    finally:
        fixture.cleanUp()


@pytest.mark.parametrize("kind", ["volume_migrate", "stop"])
def test_types_without_a_rule_are_refused(kind):
    with pytest.raises(exception.UnsupportedActionType):
        wsp.WorkloadStabilizationPlanner().order([action(kind, "v")])


def test_empty_solution_gives_an_empty_plan():
    assert wsp.WorkloadStabilizationPlanner().order([]) == []
