import math

import numpy as np
import pytest

from watcher.common import exception
from watcher.decision_engine.strategy.strategies import workload_stabilization as ws
from watcher.tests.unit.decision_engine.strategy.harness import (
    MetricsTable,
    indicators,
    migrate,
    run,
)
from watcher.tests.unit.decision_engine.strategy.models import build, instance, node

CPU = "instance_cpu_usage"


def cluster(n3_status="enabled"):
    """Hosts at 60, 20 and 10 % CPU; a and b each add a quarter of an 8-vCPU host."""
    model = build(
        [node("n1", vcpus=8), node("n2", vcpus=8), node("n3", vcpus=8, status=n3_status)],
        {
            "n1": [instance("a", 4), instance("b", 2)],
            "n2": [instance("c", 2)],
            "n3": [instance("d", 1)],
        },
    )
    metrics = (MetricsTable().set("host_cpu_usage", n1=60.0, n2=20.0, n3=10.0)
               .set(CPU, a=50.0, b=100.0, c=40.0, d=80.0))
    return model, metrics


def sd(*loads):
    mean = sum(loads) / len(loads)
    return math.sqrt(sum((x - mean) ** 2 for x in loads) / len(loads))


def stabilize(model, reader, /, **parameters):
    parameters.setdefault("host_choice", "fullsearch")
    return run(ws.WorkloadStabilization, model, reader, **parameters)


def test_best_move_first_then_stop_once_under_the_threshold():
    model, metrics = cluster()
    strategy, solution = stabilize(model, metrics)
    # a -> n3 gives loads 0.35 / 0.2 / 0.35 (sd 0.071 < 0.1): one move is enough.
    assert solution.actions == [migrate("a", "n1", "n3")]
    assert indicators(solution) == {
        "instance_migrations_count": 1,
        "instances_count": 4,
        "standard_deviation_before_audit": pytest.approx(sd(0.6, 0.2, 0.1)),
        "standard_deviation_after_audit": pytest.approx(sd(0.35, 0.2, 0.35)),
    }
    # Host readings with the compute_node period, instance readings with the instance one.
    assert metrics.calls == [("host", "host_cpu_usage", 600, "mean", 300),
                             ("instance", CPU, 720, "mean", 300)]


def test_excluded_instance_stays():
    model, metrics = cluster()
    model.get_instance_by_uuid("uuid-a").watcher_exclude = True
    _, solution = stabilize(model, metrics)
    assert solution.actions == [migrate("b", "n1", "n3")]


def test_disabled_host_takes_no_part():
    model, metrics = cluster("disabled")
    _, solution = stabilize(model, metrics)
    # n1 and n2 only: a -> n2 gives 0.35 / 0.45.
    assert solution.actions == [migrate("a", "n1", "n2")]


def test_host_without_reading_is_left_out():
    model, metrics = cluster()
    del metrics.values[("host_cpu_usage", "uuid-n3")]
    _, solution = stabilize(model, metrics)
    assert solution.actions == [migrate("a", "n1", "n2")]


def test_destination_must_have_room():
    model, metrics = cluster()
    # n3 has 4 vCPUs free for a's 4, but not a's 20 GB of disk.
    model.get_node_by_name("n3").disk = 30
    model.invalidate_resource_cache()
    _, solution = stabilize(model, metrics, host_choice="fullsearch")
    assert solution.actions[0] == migrate("a", "n1", "n2")


def test_balanced_cluster_is_left_alone():
    model, metrics = cluster()
    strategy, solution = stabilize(model, metrics, thresholds={CPU: 0.3})
    assert solution.actions == []
    assert indicators(solution)["standard_deviation_before_audit"] == pytest.approx(
        sd(0.6, 0.2, 0.1))


def test_retry_count_beyond_the_other_hosts_is_a_full_search():
    model, metrics = cluster()
    _, solution = stabilize(model, metrics, host_choice="retry", retry_count=5)
    assert solution.actions == [migrate("a", "n1", "n3")]


def test_ram_loads_are_fractions_of_host_memory():
    model = build(
        [node("n1", memory=10000), node("n2", memory=10000)],
        {"n1": [instance("a", memory=4096), instance("b", memory=1024)], "n2": []},
    )
    metrics = (MetricsTable().set("host_ram_usage", n1=6000 * 1024.0, n2=2000 * 1024.0)
               .set("instance_ram_usage", a=2000.0, b=500.0))
    _, solution = stabilize(model, metrics, metrics=["instance_ram_usage"])
    # a's 2000 MB moved gives 0.4 / 0.4.
    assert solution.actions == [migrate("a", "n1", "n2")]


@pytest.mark.parametrize("parameters", [{"host_choice": "best"}, {"metrics": []},
                                        {"weights": {"instance_ram_usage_weight": 1.0}}])
def test_unusable_parameters_are_refused(parameters):
    model, metrics = cluster()
    with pytest.raises(exception.InvalidParameter):
        stabilize(model, metrics, **parameters)


def test_deviations_from_running_sums_match_a_direct_computation():
    model, metrics = cluster()
    strategy, _ = stabilize(model, metrics, thresholds={CPU: 0.9})
    _, loads = strategy._host_loads()
    c = model.get_instance_by_uuid("uuid-c")
    got = strategy._deviations(loads, c, 1, np.array([0, 2]))
    assert got[0] == pytest.approx([sd(0.7, 0.1, 0.1), sd(0.6, 0.1, 0.2)])
