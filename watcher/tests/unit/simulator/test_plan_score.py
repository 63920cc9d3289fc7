"""The independent plan scorer on hand-made placements, traces and plans (numbers checked by
hand in the comments)."""

import numpy as np
import pytest

from watcher.simulator import plan_score
from watcher.simulator.plan_score import Move

# Two hosts of 4 physical cores; allocatable 4 VCPU, 8192 MB, 100 GB each.
PHYSICAL = np.array([4.0, 4.0])
ALLOCATABLE = np.array([[4.0, 8192.0, 100.0], [4.0, 8192.0, 100.0]])
FLAVORS = np.array([[2.0, 4096.0, 40.0]] * 3)


def test_cpu_replay_counts_overloaded_host_steps_and_unmet_demand():
    cores = np.array([[1.0, 3.0, 5.0],    # s0
                      [2.0, 2.0, 0.0],    # s1
                      [1.0, 1.0, 1.0]])   # s2
    replay = plan_score.replay_cpu(np.array([0, 0, 1]), cores, PHYSICAL)
    # host 0 demand 3, 5, 5 on 4 cores: 2 overloaded steps, 1 + 1 cores short;
    # host 1 demand 1, 1, 1. All demand: 13 + 3 = 16 cores; 2 / 16 = 12.5 % unmet.
    assert replay == plan_score.CpuReplay(active_host_steps=6, overloaded_host_steps=2,
                                          demand_cores=16.0, unmet_cores=2.0)
    assert replay.unmet_percent == pytest.approx(12.5)


def test_cpu_replay_counts_only_hosts_with_servers_as_active():
    replay = plan_score.replay_cpu(np.array([1, 1, 1]), np.ones((3, 2)), PHYSICAL)
    assert (replay.active_host_steps, replay.overloaded_host_steps) == (2, 0)
    assert plan_score.active_hosts(np.array([1, 1, 1])) == 1


def test_parallel_swap_is_counted_worst_case_incoming_before_outgoing():
    # s0, s1 on host 0 (4 VCPU, 8192 MB, 80 GB: full), s2 on host 1. Swapping s1 and s2 in
    # one chunk: while both run, host 0 holds s0, s1 and s2: 6 VCPU, 12288 MB, 120 GB.
    plan = plan_score.chunks([Move(1, 0, 1, "a"), Move(2, 1, 0, "b")])
    assert [[m.uuid for m in chunk] for chunk in plan] == [["a", "b"]]
    found = plan_score.allocation_violations(np.array([0, 0, 1]), FLAVORS, ALLOCATABLE, plan)
    assert found == [
        plan_score.Violation(1, 0, "VCPU", 6.0, 4.0),
        plan_score.Violation(1, 0, "MEMORY_MB", 12288.0, 8192.0),
        plan_score.Violation(1, 0, "DISK_GB", 120.0, 100.0),
    ]
    assert plan_score.apply(np.array([0, 0, 1]), plan).tolist() == [0, 1, 0]


def test_the_same_swap_in_sequence_never_overfills_a_host():
    plan = plan_score.chunks([Move(2, 1, 0, "b", parents=("a",)), Move(1, 0, 1, "a")])
    assert [[m.uuid for m in chunk] for chunk in plan] == [["a"], ["b"]]
    assert plan_score.allocation_violations(np.array([0, 0, 1]), FLAVORS, ALLOCATABLE,
                                            plan) == []


def test_a_host_full_before_the_plan_is_reported_as_chunk_zero():
    found = plan_score.allocation_violations(np.array([0, 0, 0]), FLAVORS, ALLOCATABLE, [])
    assert [(v.chunk, v.host, v.resource) for v in found] == [
        (0, 0, "VCPU"), (0, 0, "MEMORY_MB"), (0, 0, "DISK_GB")]


def test_chunks_take_parents_that_are_not_moves_as_done_and_refuse_cycles():
    plan = plan_score.chunks([Move(0, 0, 1, "a", parents=("disable-host-0",))])
    assert len(plan) == 1
    with pytest.raises(ValueError, match="cycle"):
        plan_score.chunks([Move(0, 0, 1, "a", ("b",)), Move(1, 0, 1, "b", ("a",))])


def test_host_lower_bound_is_the_largest_per_resource_ceiling():
    # CPU 9.5 / 4 -> 3; VCPU 6 / 4 -> 2; RAM 12288 / 8192 -> 2; disk 120 / 100 -> 2.
    assert plan_score.host_lower_bound(9.5, 4.0, FLAVORS, ALLOCATABLE[0]) == {
        "CPU": 3, "VCPU": 2, "MEMORY_MB": 2, "DISK_GB": 2, "hosts": 3}
    # An exact fit needs no extra host.
    assert plan_score.host_lower_bound(8.0, 4.0, FLAVORS[:2], ALLOCATABLE[0])["hosts"] == 2
