"""Efficacy specifications of the upstream goals: their indicators and global efficacy.

Indicator names, descriptions and the global efficacy rows are upstream's, since they are
stored per action plan and shown by the API and the dashboard.
"""

from __future__ import annotations

from watcher.decision_engine.goal import efficacy

COUNT = {"type": "integer", "minimum": 0}
NUMBER = {"type": "number", "minimum": 0}


def _count(name: str, description: str) -> efficacy.IndicatorSpecification:
    return efficacy.IndicatorSpecification(name, description, None, COUNT)


COMPUTE_NODES_COUNT = _count("compute_nodes_count", "The total number of enabled compute nodes.")
RELEASED_COMPUTE_NODES_COUNT = _count(
    "released_compute_nodes_count", "The number of compute nodes to be released."
)
INSTANCE_MIGRATIONS_COUNT = _count(
    "instance_migrations_count", "The number of VM migrations to be performed."
)
# Plan quality against what any plan could reach (this project's, beyond upstream's three).
ACTIVE_COMPUTE_NODES_BEFORE = _count(
    "active_compute_nodes_before", "Compute nodes holding instances before the plan."
)
ACTIVE_COMPUTE_NODES_AFTER = _count(
    "active_compute_nodes_after", "Compute nodes holding instances after the plan."
)
COMPUTE_NODES_LOWER_BOUND = _count(
    "compute_nodes_lower_bound",
    "Fewest compute nodes any plan could leave active: the largest, over vCPU, memory and "
    "disk allocations and measured CPU and memory use, of the fewest nodes whose capacities "
    "hold the total.",
)
INSTANCE_MIGRATIONS_LOWER_BOUND = _count(
    "instance_migrations_lower_bound",
    "Fewest migrations of any plan leaving as many compute nodes active as this one.",
)
WORST_NODE_CPU_USAGE = efficacy.IndicatorSpecification(
    "worst_node_cpu_usage_after",
    "Highest projected CPU use of a compute node after the plan, in percent of its physical "
    "cores: the sum of its instances' use at the strategy's percentile.",
    "%", NUMBER,
)
WORST_NODE_RAM_USAGE = efficacy.IndicatorSpecification(
    "worst_node_ram_usage_after",
    "Highest projected memory use of a compute node after the plan, in percent of its "
    "physical memory.",
    "%", NUMBER,
)
WORST_NODE_ALLOCATION = efficacy.IndicatorSpecification(
    "worst_node_allocation_after",
    "Highest allocation of a compute node after the plan, in percent of its allocatable "
    "vCPU, memory or disk (as Placement counts them).",
    "%", NUMBER,
)
SOLVE_TIME = efficacy.IndicatorSpecification(
    "solve_time_seconds",
    "Time the strategy spent searching for the plan, once its metrics were read.",
    "s", NUMBER,
)
INSTANCES_COUNT = _count("instances_count", "The total number of audited instances in strategy.")
STANDARD_DEVIATION_AFTER = efficacy.IndicatorSpecification(
    "standard_deviation_after_audit", "The value of resulted standard deviation.", None, NUMBER
)
STANDARD_DEVIATION_BEFORE = efficacy.IndicatorSpecification(
    "standard_deviation_before_audit", "The value of original standard deviation.", None, NUMBER
)
LIVE_MIGRATE_INSTANCE_COUNT = _count(
    "live_migrate_instance_count", "The number of instances actually live migrated."
)
PLANNED_LIVE_MIGRATE_INSTANCE_COUNT = _count(
    "planned_live_migrate_instance_count", "The number of instances planned to live migrate."
)
COLD_MIGRATE_INSTANCE_COUNT = _count(
    "cold_migrate_instance_count", "The number of instances actually cold migrated."
)
PLANNED_COLD_MIGRATE_INSTANCE_COUNT = _count(
    "planned_cold_migrate_instance_count", "The number of instances planned to cold migrate."
)
VOLUME_MIGRATE_COUNT = _count(
    "volume_migrate_count", "The number of detached volumes actually migrated."
)
PLANNED_VOLUME_MIGRATE_COUNT = _count(
    "planned_volume_migrate_count", "The number of detached volumes planned to migrate."
)
VOLUME_UPDATE_COUNT = _count(
    "volume_update_count", "The number of attached volumes actually migrated."
)
PLANNED_VOLUME_UPDATE_COUNT = _count(
    "planned_volume_update_count", "The number of attached volumes planned to migrate."
)


def _percent(part: float, whole: float) -> float:
    """``part / whole`` in percent; 0 when nothing was to be done (upstream's convention)."""
    return part / whole * 100 if whole else 0


def _row(name: str, description: str, value: float) -> dict:
    return {"name": name, "description": description, "unit": "%", "value": value}


class ServerConsolidation(efficacy.EfficacySpecification):
    indicators = (
        COMPUTE_NODES_COUNT,
        RELEASED_COMPUTE_NODES_COUNT,
        INSTANCE_MIGRATIONS_COUNT,
        ACTIVE_COMPUTE_NODES_BEFORE,
        ACTIVE_COMPUTE_NODES_AFTER,
        COMPUTE_NODES_LOWER_BOUND,
        INSTANCE_MIGRATIONS_LOWER_BOUND,
        WORST_NODE_CPU_USAGE,
        WORST_NODE_RAM_USAGE,
        WORST_NODE_ALLOCATION,
        SOLVE_TIME,
    )

    def get_global_efficacy_indicator(self, indicators: dict) -> list[dict]:
        value = _percent(
            indicators.get("released_compute_nodes_count", 0),
            indicators.get("compute_nodes_count", 0),
        )
        return [
            _row(
                "released_nodes_ratio",
                "Ratio of released compute nodes divided by the total number of enabled "
                "compute nodes.",
                value,
            )
        ]


class WorkloadBalancing(efficacy.EfficacySpecification):
    indicators = (
        INSTANCE_MIGRATIONS_COUNT,
        INSTANCES_COUNT,
        STANDARD_DEVIATION_AFTER,
        STANDARD_DEVIATION_BEFORE,
    )

    def get_global_efficacy_indicator(self, indicators: dict) -> list[dict]:
        migrations = indicators.get("instance_migrations_count", 0)
        value = _percent(migrations, indicators.get("instances_count", 0)) if migrations else 0
        return [
            _row(
                "live_migrations_count",
                "Ratio of migrated virtual machines to audited virtual machines",
                value,
            )
        ]


class HardwareMaintenance(efficacy.EfficacySpecification):
    indicators = (
        LIVE_MIGRATE_INSTANCE_COUNT,
        PLANNED_LIVE_MIGRATE_INSTANCE_COUNT,
        COLD_MIGRATE_INSTANCE_COUNT,
        PLANNED_COLD_MIGRATE_INSTANCE_COUNT,
        VOLUME_MIGRATE_COUNT,
        PLANNED_VOLUME_MIGRATE_COUNT,
        VOLUME_UPDATE_COUNT,
        PLANNED_VOLUME_UPDATE_COUNT,
    )

    # (global indicator, planned count, count, description)
    RATIOS = (
        (
            "live_instance_migrate_ratio",
            "planned_live_migrate_instance_count",
            "live_migrate_instance_count",
            "Ratio of actual live migrated instances to planned live migrate instances.",
        ),
        (
            "cold_instance_migrate_ratio",
            "planned_cold_migrate_instance_count",
            "cold_migrate_instance_count",
            "Ratio of actual cold migrated instances to planned cold migrate instances.",
        ),
        (
            "volume_migrate_ratio",
            "planned_volume_migrate_count",
            "volume_migrate_count",
            "Ratio of actual detached volumes migrated to planned detached volumes migrate.",
        ),
        (
            "volume_update_ratio",
            "planned_volume_update_count",
            "volume_update_count",
            "Ratio of actual attached volumes migrated to planned attached volumes migrate.",
        ),
    )

    def get_global_efficacy_indicator(self, indicators: dict) -> list[dict]:
        rows = []
        for name, planned, total, description in self.RATIOS:
            value = _percent(indicators.get(planned, 0), indicators.get(total, 0))
            rows.append(_row(name, description, value))
        return rows
