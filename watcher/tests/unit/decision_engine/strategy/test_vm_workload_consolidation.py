import pytest

from watcher.decision_engine.strategy.strategies import vm_workload_consolidation as vwc
from watcher.tests.unit.decision_engine.strategy.harness import (
    MetricsTable,
    indicators,
    migrate,
    run,
)
from watcher.tests.unit.decision_engine.strategy.models import build, instance, node

CPU = "instance_cpu_usage"


def small(hostname, **fields):
    return node(hostname, vcpus=4, memory=8192, disk=100, **fields)


def vm(name, vcpus=2, **fields):
    return instance(name, vcpus, memory=1024, disk=10, **fields)


def service(hostname, state):
    parameters = {"state": state, "resource_name": hostname, "resource_id": f"uuid-{hostname}"}
    if state == "disabled":
        parameters["disabled_reason"] = "watcher_disabled"
    return {"action_type": "change_nova_service_state", "input_parameters": parameters}


def spread():
    """n1 uses 5 of 4 cores (a 2, b 2, c 1); n2 and n3 one core each; n4 disabled, empty."""
    model = build(
        [small("n1"), small("n2"), small("n3"), small("n4", status="disabled")],
        {"n1": [vm("a"), vm("b"), vm("c")], "n2": [vm("d")], "n3": [vm("e", 1)]},
    )
    metrics = MetricsTable().set(CPU, a=100.0, b=100.0, c=50.0, d=50.0, e=100.0)
    return model, metrics


def test_offload_then_consolidate_then_disable_the_emptied_node():
    model, metrics = spread()
    strategy, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    # Offload: c (least CPU of n1) to the busiest node with room, n3. Consolidation: d from
    # n2 (least busy enabled) to n3 (n1 is full). n2 is left empty and disabled.
    assert solution.actions == [
        migrate("c", "n1", "n3"),
        migrate("d", "n2", "n3"),
        service("n2", "disabled"),
    ]
    assert indicators(solution) == {
        "compute_nodes_count": 4,
        "released_compute_nodes_count": 1,
        "instance_migrations_count": 2,
    }
    assert solution.global_efficacy[0]["value"] == pytest.approx(25.0)
    # Each metric read once, in bulk (no instance has a RAM reading, so the allocation is
    # read too, once for all).
    assert sorted(set(metrics.bulk_reads())) == sorted(vwc.VMWorkloadConsolidation
                                                       .DATASOURCE_METRICS)
    assert len(metrics.calls) == len(vwc.VMWorkloadConsolidation.DATASOURCE_METRICS)
    assert all(call[2:] == (3600, "mean", 300) for call in metrics.calls)


def test_host_reading_above_the_instances_sum_counts():
    model, metrics = spread()
    # n3's host reports 3 cores busy, more than e's one: c still fits there (3 + 1), then
    # n3 is full and d stays on n2.
    metrics.set("host_cpu_usage", n3=75.0)
    _, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    assert solution.actions == [migrate("c", "n1", "n3")]


def full_but_disabled_node():
    return build(
        [small("n1"), small("n2"), small("n4", status="disabled")],
        {"n1": [vm("a"), vm("b"), vm("c")], "n2": [vm("d", 4)]},
    )


def test_disabled_node_is_enabled_before_it_receives():
    metrics = MetricsTable().set(CPU, a=100.0, b=100.0, c=50.0, d=100.0)
    _, solution = run(vwc.VMWorkloadConsolidation, full_but_disabled_node(), metrics)
    assert solution.actions == [service("n4", "enabled"), migrate("c", "n1", "n4")]
    assert indicators(solution)["released_compute_nodes_count"] == 0


def test_excluded_and_stopped_instances():
    model = full_but_disabled_node()
    model.get_instance_by_uuid("uuid-c").watcher_exclude = True
    model.get_instance_by_uuid("uuid-a").state = "stopped"
    metrics = MetricsTable().set(CPU, a=100.0, b=100.0, c=50.0, d=100.0)
    _, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    # c stays (excluded); a is the next least busy and is cold migrated.
    assert solution.actions == [
        service("n4", "enabled"),
        migrate("a", "n1", "n4", migration_type="cold"),
    ]


def test_down_node_takes_no_part():
    model, metrics = spread()
    model.get_node_by_name("n3").state = "down"
    _, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    # Without n3: c goes to n2 (1 + 1 core); nothing else fits anywhere.
    assert solution.actions == [migrate("c", "n1", "n2")]


def test_missing_instance_cpu_counts_all_its_vcpus():
    model, metrics = spread()
    del metrics.values[(CPU, "uuid-c")]
    _, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    # c now weighs 2 cores like a and b: a, first of the three, is offloaded to n3.
    assert solution.actions == [
        migrate("a", "n1", "n3"),
        migrate("d", "n2", "n3"),
        service("n2", "disabled"),
    ]


def _strategy_with_moves(*moves):
    model, metrics = spread()
    strategy = vwc.VMWorkloadConsolidation()
    strategy.input_parameters.update(period=3600, granularity=300)
    strategy.compute_model = model
    strategy.datasource_backend = metrics
    packing = vwc._Packing(strategy, model, strategy.available_nodes(include_disabled=True))
    for name, source, destination in moves:
        packing._move(model.get_instance_by_uuid(f"uuid-{name}"), packing.pos[f"uuid-{source}"],
                      packing.pos[f"uuid-{destination}"])
    strategy._emit(packing)
    return strategy


def test_chained_moves_become_one_migration():
    strategy = _strategy_with_moves(("c", "n1", "n2"), ("c", "n2", "n3"))
    assert strategy.solution.actions == [migrate("c", "n1", "n3")]
    assert strategy.number_of_migrations == 1


def test_a_move_back_is_no_move():
    strategy = _strategy_with_moves(("e", "n3", "n4"), ("e", "n4", "n3"))
    # n4 received nothing in the end: no enable; it stays disabled and empty.
    assert strategy.solution.actions == []
