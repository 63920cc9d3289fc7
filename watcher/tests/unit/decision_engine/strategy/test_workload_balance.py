import numpy as np
import pytest

from watcher.common import exception
from watcher.decision_engine.strategy.strategies import workload_balance
from watcher.tests.unit.decision_engine.strategy.harness import (
    MetricsTable,
    indicators,
    migrate,
    run,
)
from watcher.tests.unit.decision_engine.strategy.models import build, instance, node

CPU = "instance_cpu_usage"


def cluster(n3_status="enabled"):
    """n1 busy (a 3.2 cores, b 1.0, e 1.0 of 8), n2 0.8 cores, n3 0.4 cores."""
    return build(
        [node("n1", vcpus=8), node("n2", vcpus=8), node("n3", vcpus=8, status=n3_status)],
        {
            "n1": [instance("a", 4), instance("b", 2), instance("e", 1)],
            "n2": [instance("c", 2)],
            "n3": [instance("d", 1)],
        },
    )


def cpu_usage():
    return MetricsTable().set(CPU, a=80.0, b=50.0, e=100.0, c=40.0, d=40.0)


def test_moves_the_instance_that_brings_the_source_nearest_the_average():
    metrics = cpu_usage()
    strategy, solution = run(workload_balance.WorkloadBalance, cluster(), metrics)
    # Average workload 2.133 cores; n1 is 5.2: moving b (or e, later) leaves 4.2.
    assert solution.actions == [migrate("b", "n1", "n3")]
    assert strategy.compute_model.get_node_by_instance_uuid("uuid-b").hostname == "n3"
    # One bulk read of the metric for every instance.
    assert metrics.calls == [("instance", CPU, 300, "mean", 300)]
    before = np.std([5.2 / 8 * 100, 10.0, 5.0])
    after = np.std([4.2 / 8 * 100, 10.0, 1.4 / 8 * 100])
    assert indicators(solution) == {
        "instance_migrations_count": 1,
        "instances_count": 5,
        "standard_deviation_before_audit": pytest.approx(before),
        "standard_deviation_after_audit": pytest.approx(after),
    }
    assert solution.global_efficacy[0]["value"] == pytest.approx(20.0)


def test_excluded_instance_stays_and_the_next_candidate_moves():
    model = cluster()
    model.get_instance_by_uuid("uuid-b").watcher_exclude = True
    _, solution = run(workload_balance.WorkloadBalance, model, cpu_usage())
    assert solution.actions == [migrate("e", "n1", "n3")]


def test_disabled_host_is_never_a_destination():
    _, solution = run(workload_balance.WorkloadBalance, cluster("disabled"), cpu_usage())
    # Without n3 the average is 3.0 cores: e or b leaves 4.2 >= 3.0; n2 takes it (1.8 < 2).
    assert solution.actions == [migrate("b", "n1", "n2")]


def test_instances_without_measurements_neither_count_nor_move():
    metrics = MetricsTable().set(CPU, a=80.0, e=100.0, c=40.0, d=40.0)
    _, solution = run(workload_balance.WorkloadBalance, cluster(), metrics)
    # n1 is 4.2 cores (52.5 %), average 1.8: e leaves 3.2 above it; b has no value.
    assert solution.actions == [migrate("e", "n1", "n3")]


def test_destination_must_stay_under_the_threshold():
    # Threshold 12 %: n3 would reach (0.4 + 1.0) / 8 = 17.5 %, n2 22.5 %: nowhere to go.
    _, solution = run(workload_balance.WorkloadBalance, cluster(), cpu_usage(), threshold=12.0)
    assert solution.actions == []


def test_nothing_to_do_under_the_threshold():
    strategy, solution = run(workload_balance.WorkloadBalance, cluster(), cpu_usage(),
                             threshold=70.0)
    assert solution.actions == []
    assert indicators(solution)["instance_migrations_count"] == 0


def test_ram_metric_balances_resident_memory():
    model = build(
        [node("n1", memory=8192), node("n2", memory=8192)],
        {"n1": [instance("a", memory=4096), instance("b", memory=2048)], "n2": []},
    )
    metrics = MetricsTable().set("instance_ram_usage", a=3000.0, b=1000.0)
    _, solution = run(workload_balance.WorkloadBalance, model, metrics,
                      metrics="instance_ram_usage", threshold=30.0)
    # Average 2000 MB, n1 holds 4000: moving a would leave it under the average, b leaves
    # 3000; n2 then holds 1000 MB, under 30 % of 8192.
    assert solution.actions == [migrate("b", "n1", "n2")]


def test_unknown_metric_is_refused():
    with pytest.raises(exception.InvalidParameter):
        run(workload_balance.WorkloadBalance, cluster(), cpu_usage(), metrics="disk")


def test_strategy_uses_the_workload_stabilization_planner():
    assert workload_balance.WorkloadBalance.planner == "workload_stabilization"
    assert workload_balance.WorkloadBalance.get_goal_name() == "workload_balancing"


def test_node_without_vcpus_takes_no_part():
    model = cluster()
    model.add_node(node("n0", vcpus=0))
    with np.errstate(all="raise"):
        _, solution = run(workload_balance.WorkloadBalance, model, cpu_usage())
    assert solution.actions == [migrate("b", "n1", "n3")]
