"""The packing core: problem arrays, lower bounds, the heuristic and the CP-SAT stage."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from watcher.decision_engine.strategy.packing import bounds, heuristic, problem, solver
from watcher.decision_engine.strategy.strategies import packing_consolidation as pc
from watcher.tests.unit.decision_engine.strategy.harness import (
    MetricsTable,
    indicators,
    migrate,
    run,
)
from watcher.tests.unit.decision_engine.strategy.models import build, instance, node


def ram_host(name):
    """10 GB of memory, plenty of CPU: memory decides."""
    return node(name, vcpus=32, memory=10240, disk=1000)


def gb(name, size):
    return instance(name, 1, memory=size * 1024, disk=1, state="active")


def fragmented():
    """b holds two instances (5 + 4 GB), a one of 6 GB, c one of 5 GB: 20 GB in all."""
    return build([ram_host("a"), ram_host("b"), ram_host("c")], {
        "a": [gb("a1", 6)], "b": [gb("b1", 5), gb("b2", 4)], "c": [gb("c1", 5)]})


def problem_of(model, readings=None):
    nodes = sorted(model.get_all_compute_nodes().values(), key=lambda n: n.hostname)
    return problem.build(model, nodes, readings or {}, 0.9, 1.0)


def test_demand_and_capacity_columns():
    model = build([node("n1", vcpus=8, memory=4096, disk=100, vcpu_ratio=2.0,
                        vcpu_reserved=1, memory_mb_reserved=512)],
                  {"n1": [instance("v", 2, memory=1024, disk=10)]})
    p = problem_of(model, {"instance_cpu_usage": {"uuid-v": 50.0},
                           "host_cpu_usage": {"uuid-n1": 25.0}})
    assert p.demand.tolist() == [[2, 1024, 10, 1.0, 1024]]
    # Allocatable as Placement counts it; measured use against 7 cores x 0.9 and 3.5 GB.
    assert p.capacity.tolist() == [[14, 3584, 100, pytest.approx(6.3), 3584]]
    # The host reads 2 cores busy, one more than its instance.
    assert p.base[0].tolist() == [0, 0, 0, 1.0, 0]


def test_host_bound_counts_flavor_granularity():
    # 3 x 4 GB on 10 GB hosts: 12 GB would fit 2 hosts by volume, but a host holds two.
    model = build([ram_host("a"), ram_host("b"), ram_host("c")],
                  {"a": [gb("x", 4)], "b": [gb("y", 4)], "c": [gb("z", 4)]})
    assert bounds.host_lower_bound(problem_of(model)) == 2
    model = build([ram_host("a"), ram_host("b"), ram_host("c"), ram_host("d")],
                  {"a": [gb("x", 4)], "b": [gb("y", 4)], "c": [gb("z", 4)],
                   "d": [gb("w", 4), gb("v", 4)]})
    # 20 GB in 4 GB steps: 8 GB per host, so 3 hosts.
    assert bounds.host_lower_bound(problem_of(model)) == 3


def test_migration_bound_empties_the_cheapest_hosts():
    p = problem_of(fragmented())
    assert bounds.migration_lower_bound(p, 3) == 0
    # One host to empty: a or c, one instance each.
    assert bounds.migration_lower_bound(p, 2) == 1
    # Two to empty: a and c (no plan reaches one host, but none could do it cheaper).
    assert bounds.migration_lower_bound(p, 1) == 2


def test_heuristic_keeps_the_dearest_hosts_and_stops_where_best_fit_fails():
    p = problem_of(fragmented())
    state = heuristic.consolidate(p)
    # Keeping b (two instances) and a, c's 5 GB fits neither: no plan at 2 hosts.
    assert solver.objective(state) == (3, 0)


def test_solver_reaches_the_bound_where_the_heuristic_cannot():
    p = problem_of(fragmented())
    improved = solver.improve(p, heuristic.consolidate(p), time_limit=5)
    # Emptying b instead: 5 GB next to c's 5, 4 GB next to a's 6.
    assert solver.objective(improved) == (2, 2)
    names = {p.instances[i].name: p.hosts[d].hostname for i, _, d in improved.moves()}
    assert names == {"b1": "c", "b2": "a"}
    assert not improved.over().any()


def test_strategy_uses_the_solver_and_reports_the_bounds():
    strategy, solution = run(pc.PackingConsolidation, fragmented(), MetricsTable())
    assert solution.actions == [migrate("b1", "b", "c"), migrate("b2", "b", "a"), {
        "action_type": "change_nova_service_state",
        "input_parameters": {"state": "disabled", "disabled_reason": "watcher_disabled",
                             "resource_name": "b", "resource_id": "uuid-b"}}]
    found = indicators(solution)
    assert (found["active_compute_nodes_after"], found["compute_nodes_lower_bound"]) == (2, 2)
    assert (found["instance_migrations_count"],
            found["instance_migrations_lower_bound"]) == (2, 1)
    assert found["worst_node_ram_usage_after"] == pytest.approx(100.0)
    # Without the solver, the heuristic's plan: nothing moves.
    _, solution = run(pc.PackingConsolidation, fragmented(), MetricsTable(),
                      solver_time_limit=0)
    assert solution.actions == []


def test_solver_gives_the_same_plan_every_time():
    rng = np.random.default_rng(3)
    hosts = [ram_host(f"h{k}") for k in range(8)]
    sizes = iter(rng.choice([1, 2, 3, 5], size=40).tolist())
    placements = {h.hostname: [gb(f"{h.hostname}v{j}", next(sizes)) for j in range(3)]
                  for h in hosts}
    plans = []
    for _ in range(2):
        p = problem_of(build(hosts, placements))
        plans.append(solver.improve(p, heuristic.consolidate(p), time_limit=2).moves())
    assert plans[0] == plans[1]


def test_ctrl_c_still_raises_keyboard_interrupt_after_a_solve():
    # In a child process: were CP-SAT to leave SIGINT at SIG_DFL, the signal would kill the
    # child (return code -2) instead of raising KeyboardInterrupt.
    code = textwrap.dedent("""
        import os, signal, time
        from watcher.decision_engine.strategy.packing import heuristic, solver
        from watcher.tests.unit.decision_engine.strategy import test_packing as t
        p = t.problem_of(t.fragmented())
        assert solver.objective(solver.improve(p, heuristic.consolidate(p), 5)) == (2, 2)
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            print("KeyboardInterrupt")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "KeyboardInterrupt"), done.stderr
