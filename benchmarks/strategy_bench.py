#!/usr/bin/env python3
"""Strategy benchmark: node_resource_consolidation on generated compute models.

Each model has N identical hypervisors and 20 x N instances whose flavors and placement are
skewed (most flavors small, a few hosts busy, many lightly used). For each size it prints
the wall time of the strategy run (model snapshot to solution, planner ordering included),
its peak Python memory (tracemalloc, in a separate run so tracing does not slow the timed
one), the number of actions and released nodes, and the nodes still in use against the lower
bound max over resources of ceil(total demand / node capacity). The plan is replayed on the
arrays to check that no destination is overcommitted.

    .venv/bin/python benchmarks/strategy_bench.py            # 100, 1000 and 5000 hosts
    .venv/bin/python benchmarks/strategy_bench.py --hosts 200 --seed 3
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc

import numpy as np

import watcher  # noqa: F401  (before any oslo library)
from watcher.decision_engine.model import element, model_root
from watcher.decision_engine.planner import node_resource_consolidation as planner_mod
from watcher.decision_engine.strategy.strategies import node_resource_consolidation as nrc

INSTANCES_PER_HOST = 20
HOST = {"vcpus": 48, "vcpu_ratio": 4.0, "memory": 524288, "disk": 4000}
# (vcpus, memory MB, disk GB) and how often each flavor is drawn.
FLAVORS = np.array([(1, 2048, 20), (2, 4096, 40), (4, 8192, 80), (8, 16384, 160)], float)
FLAVOR_WEIGHTS = np.array([0.5, 0.25, 0.15, 0.10])
MAX_PER_HOST = 60


def generate(hosts: int, seed: int) -> model_root.ModelRoot:
    rng = np.random.default_rng(seed)
    total = INSTANCES_PER_HOST * hosts
    # Lognormal host weights: a long tail of busy hosts, most hosts lightly used.
    weights = rng.lognormal(0.0, 1.2, hosts)
    counts = rng.multinomial(total, weights / weights.sum())
    overflow = int(np.maximum(counts - MAX_PER_HOST, 0).sum())
    counts = np.minimum(counts, MAX_PER_HOST)
    while overflow:
        room = np.flatnonzero(counts < MAX_PER_HOST)
        extra = rng.choice(room, size=min(overflow, len(room)), replace=False)
        counts[extra] += 1
        overflow -= len(extra)
    flavors = rng.choice(len(FLAVORS), size=total, p=FLAVOR_WEIGHTS)

    model = model_root.ModelRoot()
    nodes = []
    for h in range(hosts):
        compute = element.ComputeNode(uuid=f"node-{h:05d}", hostname=f"cmp{h:05d}", **HOST)
        model.add_node(compute)
        nodes.append(compute)
    owner = np.repeat(np.arange(hosts), counts)
    for i in range(total):
        vcpus, memory, disk = FLAVORS[flavors[i]]
        server = element.Instance(
            uuid=f"vm-{i:07d}",
            name=f"vm{i}",
            vcpus=int(vcpus),
            memory=int(memory),
            disk=int(disk),
        )
        model.add_instance(server)
        model.map_instance(server, nodes[owner[i]])
    return model


def run_strategy(model: model_root.ModelRoot, host_choice: str):
    strategy = nrc.NodeResourceConsolidation()
    strategy.input_parameters.update({"host_choice": host_choice})
    strategy.compute_model = model
    solution = strategy.execute()
    ordered = planner_mod.NodeResourceConsolidationPlanner().order(solution.actions)
    return solution, ordered


def lower_bound(model: model_root.ModelRoot) -> int:
    view = model.arrays()
    capacity = view.capacity[0]
    return max(math.ceil(view.demand[:, k].sum() / capacity[k]) for k in range(3))


def check_plan(model: model_root.ModelRoot, solution) -> tuple[int, bool]:
    """Nodes in use after the plan, and whether every node it adds load to stays within its
    capacity (the generator may leave a few busy hosts overcommitted to begin with)."""
    view = model.arrays()
    placement = view.placement.copy()
    for action in solution.actions:
        if action["action_type"] != "migrate":
            continue
        parameters = action["input_parameters"]
        destination = model.get_node_by_name(parameters["destination_node"]).uuid
        placement[view.instance_index[parameters["resource_id"]]] = view.node_index[destination]
    used = np.zeros_like(view.capacity)
    np.add.at(used, placement, view.demand)
    grown = (used > view.usage()).any(axis=1)
    in_use = int((np.bincount(placement, minlength=len(view.node_uuids)) > 0).sum())
    return in_use, bool((used[grown] <= view.capacity[grown]).all())


def bench(hosts: int, seed: int) -> None:
    started = time.perf_counter()
    model = generate(hosts, seed)
    built = time.perf_counter() - started

    started = time.perf_counter()
    solution, ordered = run_strategy(model, "specify")
    elapsed = time.perf_counter() - started

    tracemalloc.start()
    run_strategy(model, "specify")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    indicators = {row["name"]: row["value"] for row in solution.efficacy_indicators}
    in_use, within = check_plan(model, solution)
    before = sum(1 for n in model.get_all_compute_nodes().values() if model.get_node_instances(n))
    print(
        f"{hosts:>6} hosts {INSTANCES_PER_HOST * hosts:>7} instances | model built {built:6.2f} s"
        f" | strategy {elapsed:6.3f} s, peak {peak / 2**20:7.1f} MiB"
        f" | {len(ordered):>6} actions, {indicators['instance_migrations_count']:>6} migrations"
        f" | released {indicators['released_compute_nodes_count']:>5}"
        f" | hosts in use {before} -> {in_use} (lower bound {lower_bound(model)})"
        f" | capacity respected: {'yes' if within else 'NO'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, nargs="*", default=[100, 1000, 5000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for hosts in args.hosts:
        bench(hosts, args.seed)


if __name__ == "__main__":
    main()
