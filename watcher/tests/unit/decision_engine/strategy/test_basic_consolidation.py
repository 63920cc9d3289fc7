import pytest
from oslo_config import fixture as cfg_fixture

from watcher.conf import CONF
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import basic_consolidation as basic
from watcher.tests.unit.decision_engine.strategy.harness import (
    MetricsTable,
    indicators,
    migrate,
    run,
)
from watcher.tests.unit.decision_engine.strategy.models import build, instance, node


def disable(hostname):
    return {
        "action_type": "change_nova_service_state",
        "input_parameters": {"state": "disabled", "disabled_reason": "watcher_disabled",
                             "resource_name": hostname, "resource_id": f"uuid-{hostname}"},
    }


def cluster(n1_status="enabled"):
    """n1 (8 vCPUs, 80 % busy) runs a; n2 (50 %) b and c; n3 (20 %) d; n4 (10 %) e and f."""
    model = build(
        [node("n1", vcpus=8, status=n1_status), node("n2"), node("n3"), node("n4")],
        {
            "n1": [instance("a", 4)],
            "n2": [instance("b", 4), instance("c", 2)],
            "n3": [instance("d", 2)],
            "n4": [instance("e", 2), instance("f", 1)],
        },
    )
    metrics = (MetricsTable().set("host_cpu_usage", n1=80.0, n2=50.0, n3=20.0, n4=10.0)
               .set("instance_cpu_usage", a=90.0, b=40.0, c=90.0, d=50.0, e=30.0, f=60.0))
    return model, metrics


def test_releases_the_least_busy_nodes_best_fit_decreasing():
    model, metrics = cluster()
    strategy, solution = run(basic.BasicConsolidation, model, metrics)
    # n4 empties: f (the busier) onto n1, whose host reads 6.4 of its 8 cores busy, so 7.0
    # after; e's 0.6 more cores would pass n1's 7.2-core limit (90 %), so e goes to n2, and
    # so does n3's d. n2 received, so it is not emptied in turn.
    assert solution.actions == [
        migrate("f", "n4", "n1"),
        migrate("e", "n4", "n2"),
        migrate("d", "n3", "n2"),
        disable("n3"),
        disable("n4"),
    ]
    found = indicators(solution)
    assert 0 <= found.pop("solve_time_seconds") < 5
    assert found == {"compute_nodes_count": 4,
                     "released_compute_nodes_count": 2,
                     "instance_migrations_count": 3,
                     "active_compute_nodes_before": 4,
                     "active_compute_nodes_after": 2,
                     "compute_nodes_lower_bound": 1,
                     "instance_migrations_lower_bound": 2,
                     "worst_node_cpu_usage_after": 87.5,
                     "worst_node_ram_usage_after": 25.0,
                     "worst_node_allocation_after": 62.5}
    assert solution.global_efficacy[0]["value"] == pytest.approx(50.0)
    # The ordering reads upstream's aggregates; the limits the 95th percentile of 4 hours.
    assert metrics.calls == [("host", "host_cpu_usage", 7200, "mean", 300),
                             ("instance", "instance_cpu_usage", 7200, "mean", 300),
                             ("instance", "instance_cpu_usage", 14400, "p95", 300),
                             ("instance", "instance_ram_usage", 14400, "p95", 300),
                             ("host", "host_cpu_usage", 14400, "p95", 300),
                             ("host", "host_ram_usage", 14400, "p95", 300)]


def test_disabled_node_receives_nothing():
    model, metrics = cluster("disabled")
    _, solution = run(basic.BasicConsolidation, model, metrics)
    assert solution.actions == [
        migrate("f", "n4", "n2"),
        migrate("e", "n4", "n2"),
        migrate("d", "n3", "n2"),
        disable("n3"),
        disable("n4"),
    ]


def test_node_without_cpu_reading_is_left_out():
    model, metrics = cluster()
    del metrics.values[("host_cpu_usage", "uuid-n1")]
    _, solution = run(basic.BasicConsolidation, model, metrics)
    assert solution.actions == [
        migrate("f", "n4", "n2"),
        migrate("e", "n4", "n2"),
        migrate("d", "n3", "n2"),
        disable("n3"),
        disable("n4"),
    ]


def test_excluded_instance_pins_its_node():
    model, metrics = cluster()
    model.get_instance_by_uuid("uuid-e").watcher_exclude = True
    _, solution = run(basic.BasicConsolidation, model, metrics)
    # f leaves n4 but e stays, so n4 is not released; d's core would take n1 past its
    # limit, so it goes to n2.
    assert solution.actions == [
        migrate("f", "n4", "n1"),
        migrate("d", "n3", "n2"),
        disable("n3"),
    ]


@pytest.mark.parametrize("attempts, moves", [
    # n4 keeps e, n3 keeps d: two fruitless rounds in a row; one allowed stops before n2.
    (1, [migrate("f", "n4", "n1")]),
    (0, [migrate("f", "n4", "n1"), migrate("c", "n2", "n1")]),
])
def test_migration_attempts_bound_fruitless_rounds(attempts, moves):
    model, metrics = cluster()
    metrics.set("host_cpu_usage", n1=50.0)
    for name in ("e", "d"):
        model.get_instance_by_uuid(f"uuid-{name}").watcher_exclude = True
    _, solution = run(basic.BasicConsolidation, model, metrics, migration_attempts=attempts)
    assert solution.actions == moves


def test_optimize_metadata_is_honoured_when_configured():
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    try:
        fixture.config(check_optimize_metadata=True, group="watcher_strategies.basic")
        model, metrics = cluster()
        model.get_instance_by_uuid("uuid-f").metadata = {"optimize": "false"}
        strategy = basic.BasicConsolidation(
            config=strategy_context.strategy_config(basic.BasicConsolidation))
        strategy.input_parameters.update(
            strategy_context.fill_defaults(strategy.get_schema(), {}))
        strategy.compute_model = model
        strategy.datasource_backend = metrics
        solution = strategy.execute()
    finally:
        fixture.cleanUp()
    assert solution.actions[0] == migrate("e", "n4", "n1")
    assert migrate("f", "n4", "n1") not in solution.actions
