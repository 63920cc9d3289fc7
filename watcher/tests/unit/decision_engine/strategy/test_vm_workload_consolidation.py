"""vm_workload_consolidation on hand-built models: upstream's phases, held to both limits."""

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
    """4 physical cores (3.6 usable at the default 90 % limit), 16 vCPUs allocatable."""
    return node(hostname, vcpus=4, memory=8192, disk=100, vcpu_ratio=4.0, **fields)


def vm(name, vcpus=2, **fields):
    return instance(name, vcpus, memory=1024, disk=10, state="active", **fields)


def service(hostname, state):
    parameters = {"state": state, "resource_name": hostname, "resource_id": f"uuid-{hostname}"}
    if state == "disabled":
        parameters["disabled_reason"] = "watcher_disabled"
    return {"action_type": "change_nova_service_state", "input_parameters": parameters}


def overloaded():
    """n1 uses 4.5 cores (a 2, b 2, c 0.5); n2 and n3 one core each; n4 disabled, empty."""
    model = build(
        [small("n1"), small("n2"), small("n3"), small("n4", status="disabled")],
        {"n1": [vm("a"), vm("b"), vm("c")], "n2": [vm("d")], "n3": [vm("e", 1)]},
    )
    metrics = MetricsTable().set(CPU, a=100.0, b=100.0, c=25.0, d=50.0, e=100.0)
    return model, metrics


def test_offload_stops_where_the_receiver_is_full():
    model, metrics = overloaded()
    strategy, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    # Offload from n1, least CPU first, to the busiest node that takes it: c then a go to
    # n3 (3.5 cores). Consolidation: d fits neither n3 (4.5 > 3.6) nor n1, which has sent
    # and so may not receive; n1 is not emptied onto n3 either.
    assert solution.actions == [migrate("c", "n1", "n3"), migrate("a", "n1", "n3")]
    found = indicators(solution)
    assert found["instance_migrations_count"] == 2
    assert found["active_compute_nodes_after"] == 3
    assert found["worst_node_cpu_usage_after"] == pytest.approx(87.5)
    # Each metric read once, in bulk, at the 95th percentile of the last four hours.
    assert {call[3] for call in metrics.calls} == {"p95"}
    assert all(call[2] == 14400 for call in metrics.calls)


def test_consolidation_empties_the_least_busy_nodes():
    model = build([small("n1"), small("n2"), small("n3")],
                  {"n1": [vm("a")], "n2": [vm("b")], "n3": [vm("c", 1)]})
    metrics = MetricsTable().set(CPU, a=50.0, b=50.0, c=50.0)
    _, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    # n3 (0.5 core) first, to the busiest node above it (n2, last of the tie); then n1.
    assert solution.actions == [
        migrate("c", "n3", "n2"), migrate("a", "n1", "n2"),
        service("n1", "disabled"), service("n3", "disabled")]
    assert indicators(solution)["released_compute_nodes_count"] == 2


def test_disabled_node_is_enabled_before_it_receives():
    model = build([small("n1"), small("n2"), small("n4", status="disabled")],
                  {"n1": [vm("a"), vm("b"), vm("c")], "n2": [vm("d", 4)]})
    metrics = MetricsTable().set(CPU, a=100.0, b=100.0, c=25.0, d=80.0)
    _, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    # n2 is busy (3.2 cores): c, then a, go to n4, which is enabled first.
    assert solution.actions == [
        service("n4", "enabled"), migrate("c", "n1", "n4"), migrate("a", "n1", "n4")]


def test_the_mean_fits_but_the_p95_does_not():
    model = build([small("n1"), small("n2")], {"n1": [vm("a")], "n2": [vm("b")]})
    metrics = (MetricsTable().set(CPU, a=20.0, b=20.0)
               .set_aggregate(CPU, "p95", a=95.0, b=95.0))
    # 1.9 + 1.9 cores at their p95 is over n2's 3.6: upstream's mean (0.4 each) would merge.
    _, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    assert solution.actions == []


def test_measured_ram_fits_but_allocations_do_not():
    model = build([small("n1"), small("n2")], {
        "n1": [instance("a", 2, memory=5120, disk=10, state="active")],
        "n2": [instance("b", 2, memory=5120, disk=10, state="active")]})
    metrics = (MetricsTable().set(CPU, a=10.0, b=10.0)
               .set("instance_ram_usage", a=1024.0, b=1024.0))
    # 2 GB measured fits, 10 GB of flavors on an 8 GB host does not.
    _, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    assert solution.actions == []


def test_down_node_takes_no_part():
    model, metrics = overloaded()
    model.get_node_by_name("n3").state = "down"
    _, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    # Without n3: c and a go to n2 (1 + 0.5 + 2 cores).
    assert solution.actions == [migrate("c", "n1", "n2"), migrate("a", "n1", "n2")]


def test_missing_instance_cpu_counts_all_its_vcpus():
    model, metrics = overloaded()
    del metrics.values[(CPU, "uuid-c")]
    _, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    # c now weighs 2 cores like a and b: a, first of the three, is offloaded to n3, then b
    # (n1 still at 4 cores) to n2; nothing else fits.
    assert solution.actions == [migrate("a", "n1", "n3"), migrate("b", "n1", "n2")]


def test_excluded_and_stopped_instances():
    model, metrics = overloaded()
    model.get_instance_by_uuid("uuid-c").watcher_exclude = True
    model.get_instance_by_uuid("uuid-a").state = "stopped"
    _, solution = run(vwc.VMWorkloadConsolidation, model, metrics)
    # c stays (excluded); a is the next least busy and is cold migrated.
    assert solution.actions == [migrate("a", "n1", "n3", migration_type="cold")]
