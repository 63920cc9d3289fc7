import pytest

from watcher import objects
from watcher.common import loader
from watcher.decision_engine.goal import specs

UPSTREAM_GOALS = {
    "dummy": ("Dummy goal", []),
    "unclassified": ("Unclassified", []),
    "server_consolidation": (
        "Server Consolidation",
        # Upstream's three, then this project's plan-quality figures.
        ["compute_nodes_count", "released_compute_nodes_count", "instance_migrations_count",
         "active_compute_nodes_before", "active_compute_nodes_after",
         "compute_nodes_lower_bound", "instance_migrations_lower_bound",
         "worst_node_cpu_usage_after", "worst_node_ram_usage_after",
         "worst_node_allocation_after", "solve_time_seconds"],
    ),
    "thermal_optimization": ("Thermal Optimization", []),
    "workload_balancing": (
        "Workload Balancing",
        [
            "instance_migrations_count",
            "instances_count",
            "standard_deviation_after_audit",
            "standard_deviation_before_audit",
        ],
    ),
    "airflow_optimization": ("Airflow Optimization", []),
    "noisy_neighbor": ("Noisy Neighbor", []),
    "saving_energy": ("Saving Energy", []),
    "hardware_maintenance": (
        "Hardware Maintenance",
        [
            "live_migrate_instance_count",
            "planned_live_migrate_instance_count",
            "cold_migrate_instance_count",
            "planned_cold_migrate_instance_count",
            "volume_migrate_count",
            "planned_volume_migrate_count",
            "volume_update_count",
            "planned_volume_update_count",
        ],
    ),
    "cluster_maintaining": ("Cluster Maintaining", []),
}


def test_installed_goals_are_upstreams():
    goals = loader.list_classes("watcher_goals")
    found = {
        name: (
            cls.get_display_name(),
            [
                s["name"]
                for s in cls.get_efficacy_specification().serialize_indicators_specifications()
            ],
        )
        for name, cls in goals.items()
    }
    assert found == UPSTREAM_GOALS
    for name, cls in goals.items():
        assert cls.get_name() == name


def test_sync_writes_every_goal_with_its_specification(env):
    rows = {g.name: g for g in objects.Goal.list(env.context)}
    assert set(rows) == set(UPSTREAM_GOALS)
    consolidation = rows["server_consolidation"].efficacy_specification
    assert consolidation[1] == {
        "name": "released_compute_nodes_count",
        "description": "The number of compute nodes to be released.",
        "unit": None,
        "schema": '{"minimum": 0, "type": "integer"}',
    }
    strategies = {s.name: s.goal_id for s in objects.Strategy.list(env.context)}
    assert strategies["node_resource_consolidation"] == rows["server_consolidation"].id
    assert strategies["host_maintenance"] == rows["cluster_maintaining"].id
    assert strategies["actuator"] == rows["unclassified"].id


def global_values(spec, **indicators):
    return {row["name"]: row["value"] for row in spec.get_global_efficacy_indicator(indicators)}


def test_server_consolidation_ratio():
    spec = specs.ServerConsolidation()
    assert global_values(
        spec, compute_nodes_count=8, released_compute_nodes_count=2, instance_migrations_count=5
    ) == {"released_nodes_ratio": 25.0}
    assert global_values(spec, compute_nodes_count=0, released_compute_nodes_count=0) == {
        "released_nodes_ratio": 0
    }


def test_workload_balancing_ratio():
    spec = specs.WorkloadBalancing()
    assert global_values(spec, instance_migrations_count=3, instances_count=12) == {
        "live_migrations_count": 25.0
    }
    assert global_values(spec, instance_migrations_count=0, instances_count=12) == {
        "live_migrations_count": 0
    }


def test_hardware_maintenance_ratios():
    spec = specs.HardwareMaintenance()
    values = global_values(
        spec,
        live_migrate_instance_count=4,
        planned_live_migrate_instance_count=2,
        cold_migrate_instance_count=0,
        planned_cold_migrate_instance_count=0,
        volume_migrate_count=2,
        planned_volume_migrate_count=2,
        volume_update_count=5,
        planned_volume_update_count=1,
    )
    assert values == {
        "live_instance_migrate_ratio": 50.0,
        "cold_instance_migrate_ratio": 0,
        "volume_migrate_ratio": 100.0,
        "volume_update_ratio": 20.0,
    }


@pytest.mark.parametrize("spec", [specs.ServerConsolidation(), specs.HardwareMaintenance()])
def test_count_indicators_are_non_negative_integers(spec):
    for indicator in spec.serialize_indicators_specifications():
        if indicator["unit"] in ("%", "s"):
            assert indicator["schema"] == '{"minimum": 0, "type": "number"}'
            continue
        assert indicator["schema"] == '{"minimum": 0, "type": "integer"}'
        assert indicator["unit"] is None


def test_standard_deviations_are_non_negative_numbers():
    rows = {
        row["name"]: row["schema"]
        for row in specs.WorkloadBalancing().serialize_indicators_specifications()
    }
    assert rows["standard_deviation_after_audit"] == '{"minimum": 0, "type": "number"}'
    assert rows["instances_count"] == '{"minimum": 0, "type": "integer"}'
