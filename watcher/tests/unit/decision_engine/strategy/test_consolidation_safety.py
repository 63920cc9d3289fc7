"""Every consolidation strategy's plan, on random overcommitted models: no step of the plan,
as the weight planner orders it and the applier runs it (two migrations at a time), takes a
host over its allocatable capacity or its measured-use limit, and no instance moves twice."""

import random

import numpy as np
import pytest

from watcher.decision_engine.strategy.packing import ordering
from watcher.decision_engine.strategy.packing.state import Packing
from watcher.decision_engine.strategy.strategies import basic_consolidation as basic
from watcher.decision_engine.strategy.strategies import packing_consolidation as pc
from watcher.decision_engine.strategy.strategies import vm_workload_consolidation as vwc
from watcher.tests.unit.decision_engine.strategy.harness import MetricsTable, planned_moves, run
from watcher.tests.unit.decision_engine.strategy.models import build, instance, node

STRATEGIES = [vwc.VMWorkloadConsolidation, basic.BasicConsolidation, pc.PackingConsolidation]
FLAVORS = [(1, 2048), (2, 4096), (4, 8192), (8, 16384)]


def random_cloud(seed: int, cpu_ratio: float):
    rng = random.Random(seed)
    hosts = [node(f"n{h:02d}", vcpus=16, memory=65536, disk=2000, vcpu_ratio=cpu_ratio,
                  memory_mb_reserved=512) for h in range(12)]
    placements, metrics = {}, MetricsTable()
    for h, compute in enumerate(hosts):
        servers, vcpus, memory = [], 0, 512
        for k in range(rng.randint(0, 9)):
            cores, ram = rng.choice(FLAVORS)
            if vcpus + cores > 16 * cpu_ratio or memory + ram > 65536:
                break
            vcpus, memory = vcpus + cores, memory + ram
            name = f"v{h:02d}{k}"
            servers.append(instance(name, cores, memory=ram, disk=20, state="active"))
            mean = rng.uniform(2, 60)
            metrics.set("instance_cpu_usage", **{name: mean})
            metrics.set_aggregate("instance_cpu_usage", "p95", **{name: min(100, mean * 1.8)})
        placements[compute.hostname] = servers
        # Some hosts report a little more than their instances (hypervisor overhead).
        metrics.set("host_cpu_usage", **{compute.hostname: 0.0})
    return build(hosts, placements), metrics


@pytest.mark.parametrize("strategy_class", STRATEGIES, ids=lambda c: c.NAME)
@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("cpu_ratio", [4.0, 16.0])
def test_every_intermediate_state_is_within_the_limits(strategy_class, seed, cpu_ratio):
    model, metrics = random_cloud(seed, cpu_ratio)
    strategy, solution = run(strategy_class, model, metrics)
    moves = planned_moves(strategy, solution)
    problem = strategy.problem
    assert len({m[0] for m in moves}) == len(moves), "an instance moves twice"
    assert ordering.violations(problem, moves, parallel=2) == []
    # One at a time too, and the final placement: only hosts over a limit before the plan
    # may be over it after, and none is more loaded than before.
    assert ordering.violations(problem, moves, parallel=1) == []
    final = Packing(problem)
    initial_over = final.over()
    for row, _, destination in moves:
        final.move(row, destination)
    assert not (final.over() & ~initial_over).any()
    assert np.all(final.load[initial_over] <= problem.load()[initial_over] + 1e-9)


def test_the_checker_sees_an_unsafe_order():
    # Control: n2 receives b before it has sent c, so for a moment it holds both.
    model = build([node("n1", vcpus=4, memory=4096), node("n2", vcpus=4, memory=4096),
                   node("n3", vcpus=4, memory=4096)],
                  {"n1": [instance("b", 2, memory=3072)], "n2": [instance("c", 2, memory=3072)]})
    strategy, _ = run(pc.PackingConsolidation, model, MetricsTable())
    problem = strategy.problem
    row = {i.name: r for r, i in enumerate(problem.instances)}
    unsafe = [(row["b"], 0, 1), (row["c"], 1, 2)]
    assert "step 1: host n2 memory_mb 6144.00 > 4096.00" in ordering.violations(
        problem, unsafe, parallel=1)
    assert ordering.violations(problem, unsafe[::-1], parallel=1) == []
    assert ordering.violations(problem, unsafe[::-1], parallel=2) != []
