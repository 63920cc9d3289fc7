"""packing_consolidation on hand-built models: exact plans, both limits, the bounds."""

import pytest

from watcher.decision_engine.strategy.packing import ordering
from watcher.decision_engine.strategy.strategies import packing_consolidation as pc
from watcher.tests.unit.decision_engine.strategy.harness import (
    MetricsTable,
    indicators,
    migrate,
    planned_moves,
    run,
)
from watcher.tests.unit.decision_engine.strategy.models import build, instance, node

CPU = "instance_cpu_usage"


def host(name, **fields):
    """4 physical cores (3.6 usable at the 0.9 limit), 16 vCPUs allocatable, 8 GB."""
    return node(name, vcpus=4, memory=8192, disk=100, vcpu_ratio=4.0, **fields)


def vm(name, vcpus=2, memory=1024, **fields):
    return instance(name, vcpus, memory=memory, disk=10, state="active", **fields)


def disable(hostname):
    return {"action_type": "change_nova_service_state",
            "input_parameters": {"state": "disabled", "disabled_reason": "watcher_disabled",
                                 "resource_name": hostname,
                                 "resource_id": f"uuid-{hostname}"}}


def test_empties_the_hosts_cheapest_to_empty():
    # n1 holds three instances, n2 two, n3 one: n3 then n2 are the cheapest to empty, and
    # everything fits on n1 (6 x 0.5 cores, 6 x 1 GB).
    model = build([host("n1"), host("n2"), host("n3")], {
        "n1": [vm("a"), vm("b"), vm("c")], "n2": [vm("d"), vm("e")], "n3": [vm("f")]})
    metrics = MetricsTable().set(CPU, a=25.0, b=25.0, c=25.0, d=25.0, e=25.0, f=25.0)
    strategy, solution = run(pc.PackingConsolidation, model, metrics, solver_time_limit=0)
    assert solution.actions == [
        migrate("d", "n2", "n1"), migrate("e", "n2", "n1"), migrate("f", "n3", "n1"),
        disable("n2"), disable("n3")]
    found = indicators(solution)
    assert found["active_compute_nodes_before"] == 3
    assert found["active_compute_nodes_after"] == 1
    assert found["compute_nodes_lower_bound"] == 1
    assert found["instance_migrations_count"] == 3
    assert found["instance_migrations_lower_bound"] == 3
    assert found["released_compute_nodes_count"] == 2
    # 3 cores of 4 physical; 6 GB of the 8 GB less nothing reserved.
    assert found["worst_node_cpu_usage_after"] == pytest.approx(75.0)
    assert found["worst_node_ram_usage_after"] == pytest.approx(75.0)
    # Every metric read once for all, at the 95th percentile.
    assert {call[3] for call in metrics.calls} == {"p95"}
    assert len(metrics.calls) == len(pc.PackingConsolidation.DATASOURCE_METRICS)


def test_the_mean_fits_but_the_p95_does_not():
    # Each instance averages 20 % of its 2 vCPUs but reaches 95 %: together 3.8 cores at
    # their p95, over the 3.6 usable on one host. Packing by the mean would merge them.
    model = build([host("n1"), host("n2")], {"n1": [vm("a")], "n2": [vm("b")]})
    metrics = (MetricsTable().set(CPU, a=20.0, b=20.0)
               .set_aggregate(CPU, "p95", a=95.0, b=95.0))
    _, solution = run(pc.PackingConsolidation, model, metrics)
    assert solution.actions == []
    # At the median (50th percentile) they fit: b joins a.
    _, solution = run(pc.PackingConsolidation, model, metrics, percentile=50)
    assert solution.actions == [migrate("b", "n2", "n1"), disable("n2")]


def test_measured_ram_fits_but_allocations_do_not():
    # Each instance uses 1 GB of its 5 GB flavor: by measured use both fit on one 8 GB host,
    # but Placement would refuse the 10 GB of allocations.
    model = build([host("n1"), host("n2")], {
        "n1": [vm("a", memory=5120)], "n2": [vm("b", memory=5120)]})
    metrics = (MetricsTable().set(CPU, a=10.0, b=10.0)
               .set("instance_ram_usage", a=1024.0, b=1024.0))
    _, solution = run(pc.PackingConsolidation, model, metrics)
    assert solution.actions == []
    assert indicators(solution)["compute_nodes_lower_bound"] == 2


def test_overloaded_host_is_relieved_onto_a_kept_host():
    # n1's instances use 4 cores at their p95, over its 3.6: the largest one leaves for n2,
    # the host with the most instances; n3 is emptied into n2 as well.
    model = build([host("n1"), host("n2"), host("n3")], {
        "n1": [vm("a"), vm("b")], "n2": [vm("c"), vm("d"), vm("e")], "n3": [vm("f")]})
    metrics = MetricsTable().set(CPU, a=100.0, b=100.0, c=10.0, d=10.0, e=10.0, f=10.0)
    strategy, solution = run(pc.PackingConsolidation, model, metrics)
    assert solution.actions == [
        migrate("a", "n1", "n2"), migrate("f", "n3", "n2"), disable("n3")]
    assert ordering.violations(strategy.problem, planned_moves(strategy, solution), 2) == []


def test_excluded_instance_and_disabled_host():
    # n1's excluded instance pins it; disabled n3 receives nothing and is not disabled again.
    model = build([host("n1"), host("n2"), host("n3", status="disabled")], {
        "n1": [vm("a", watcher_exclude=True)], "n2": [vm("b")]})
    metrics = MetricsTable().set(CPU, a=10.0, b=10.0)
    _, solution = run(pc.PackingConsolidation, model, metrics)
    assert solution.actions == [migrate("b", "n2", "n1"), disable("n2")]


def test_same_model_same_plan():
    def plan():
        model = build([host(f"n{h}") for h in range(6)], {
            f"n{h}": [vm(f"v{h}{k}", vcpus=1 + (h + k) % 3) for k in range(1 + h % 3)]
            for h in range(6)})
        metrics = MetricsTable().set(CPU, **{
            f"v{h}{k}": 10.0 + 17 * ((h * 3 + k) % 5) for h in range(6) for k in range(3)})
        return run(pc.PackingConsolidation, model, metrics)[1].actions
    assert plan() == plan()
