import pytest

from watcher.common import exception
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import host_maintenance
from watcher.tests.unit.decision_engine.strategy.models import build, instance, node


def cluster(backup_status="enabled", spares=()):
    """m1 under maintenance runs an active and a stopped instance (3 vCPU, 6 GiB)."""
    nodes = [node("m1"), node("m2", status=backup_status), node("busy", vcpus=4), *spares]
    return build(
        nodes,
        {
            "m1": [instance("a", 2, 4096), instance("b", 1, 2048, state="stopped")],
            "busy": [instance("c", 3, 1024)],
        },
    )


def run(model, **parameters):
    strategy = host_maintenance.HostMaintenance()
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), parameters)
    )
    strategy.compute_model = model
    return strategy.execute()


def migrate(name, migration_type, destination=None, source="m1"):
    parameters = {
        "migration_type": migration_type,
        "source_node": source,
        "resource_name": name,
        "resource_id": f"uuid-{name}",
    }
    if destination:
        parameters["destination_node"] = destination
    return {"action_type": "migrate", "input_parameters": parameters}


def maintain(hostname="m1"):
    return {
        "action_type": "change_nova_service_state",
        "input_parameters": {
            "state": "disabled",
            "disabled_reason": "watcher_maintaining",
            "resource_name": hostname,
            "resource_id": f"uuid-{hostname}",
        },
    }


def enable(hostname):
    return {
        "action_type": "change_nova_service_state",
        "input_parameters": {
            "state": "enabled",
            "resource_name": hostname,
            "resource_id": f"uuid-{hostname}",
        },
    }


def stop(name):
    return {"action_type": "stop", "input_parameters": {"resource_id": f"uuid-{name}"}}


def test_backup_node_takes_everything_and_is_enabled_first():
    solution = run(cluster("disabled"), maintenance_node="m1", backup_node="m2")
    assert solution.actions == [
        enable("m2"),
        maintain(),
        migrate("a", "live", "m2"),
        migrate("b", "cold", "m2"),
    ]
    assert solution.efficacy_indicators == []
    assert solution.global_efficacy == []


def test_enabled_backup_node_is_not_enabled_again():
    solution = run(cluster(), maintenance_node="m1", backup_node="m2")
    assert solution.actions == [maintain(), migrate("a", "live", "m2"), migrate("b", "cold", "m2")]


def test_backup_without_room_falls_back_to_the_smallest_watcher_disabled_spare():
    spares = [
        node("spare-big", vcpus=32, status="disabled", disabled_reason="watcher_disabled"),
        node("spare-small", vcpus=4, status="disabled", disabled_reason="watcher_disabled"),
        node("spare-tiny", vcpus=2, status="disabled", disabled_reason="watcher_disabled"),
        node("ops-disabled", vcpus=4, status="disabled", disabled_reason="hardware"),
    ]
    solution = run(cluster(spares=spares), maintenance_node="m1", backup_node="busy")
    assert solution.actions == [
        enable("spare-small"),
        maintain(),
        migrate("a", "live", "spare-small"),
        migrate("b", "cold", "spare-small"),
    ]


def test_without_backup_the_scheduler_places_the_instances():
    solution = run(cluster(), maintenance_node="m1")
    assert solution.actions == [maintain(), migrate("a", "live"), migrate("b", "cold")]


def test_live_migration_disabled_cold_migrates_active_instances():
    solution = run(cluster(), maintenance_node="m1", backup_node="m2", disable_live_migration=True)
    assert solution.actions == [maintain(), migrate("a", "cold", "m2"), migrate("b", "cold", "m2")]


def test_both_migrations_disabled_stop_active_and_leave_inactive_instances():
    solution = run(
        cluster(),
        maintenance_node="m1",
        disable_live_migration=True,
        disable_cold_migration=True,
    )
    assert solution.actions == [maintain(), stop("a")]


def test_cold_migration_disabled_leaves_inactive_instances():
    solution = run(cluster(), maintenance_node="m1", disable_cold_migration=True)
    assert solution.actions == [maintain(), migrate("a", "live")]


def test_empty_node_is_only_disabled_once():
    model = build([node("m1"), node("m2")], {})
    assert run(model, maintenance_node="m1").actions == [maintain()]
    model.get_node_by_name("m1").disabled_reason = "watcher_maintaining"
    assert run(model, maintenance_node="m1").actions == []


def test_unknown_maintenance_node():
    with pytest.raises(exception.ComputeNodeNotFound):
        run(cluster(), maintenance_node="nope")


def test_maintenance_node_is_required():
    with pytest.raises(exception.InvalidParameter):
        run(cluster())
