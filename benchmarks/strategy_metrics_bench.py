#!/usr/bin/env python3
"""Metric-driven strategies on generated clouds: wall time per strategy run.

Each cloud has N hosts and about 140 x N instances (upstream's reported worst case was 113
hosts and 15,769 instances), placed with a skew so some hosts are busy and many idle. CPU,
memory and temperature readings are random but seeded, served by an in-memory reader that
counts the bulk reads each strategy makes. For each strategy it prints the time from the
model snapshot to the solution, the number of actions and the number of reads.

    .venv/bin/python benchmarks/strategy_metrics_bench.py             # 113 hosts
    .venv/bin/python benchmarks/strategy_metrics_bench.py --hosts 500 --seed 2
"""

from __future__ import annotations

import argparse
import time
import zlib

import numpy as np

import watcher  # noqa: F401  (before any oslo library)
from watcher.decision_engine.model import element, model_root
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import (
    basic_consolidation,
    noisy_neighbor,
    outlet_temp_control,
    uniform_airflow,
    vm_workload_consolidation,
    workload_balance,
    workload_stabilization,
)

INSTANCES_PER_HOST = 140
FLAVORS = np.array([(1, 2048, 20), (2, 4096, 40), (4, 8192, 80)], float)

# Reading ranges per meter; CPU percentages otherwise.
RANGES = {
    "host_outlet_temp": (20, 45),
    "host_inlet_temp": (20, 45),
    "host_airflow": (100, 600),
    "host_power": (150, 450),
    "host_ram_usage": (0.1 * 2**30, 0.9 * 2**30),
    "instance_ram_usage": (256, 2048),
    "instance_ram_allocated": (256, 2048),
    "instance_l3_cache_usage": (1, 100),
}

STRATEGIES = [
    (workload_balance.WorkloadBalance, {}),
    (vm_workload_consolidation.VMWorkloadConsolidation, {}),
    (workload_stabilization.WorkloadStabilization, {"host_choice": "fullsearch"}),
    (basic_consolidation.BasicConsolidation, {}),
    (outlet_temp_control.OutletTempControl, {}),
    (uniform_airflow.UniformAirflow, {}),
    (noisy_neighbor.NoisyNeighbor, {}),
]


class RandomReadings:
    """Seeded readings per (meter, resource); every bulk read is counted."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.reads = 0

    def _value(self, meter: str, uuid: str, period: float) -> float:
        # A hash, not a generator per value: the reader must not dominate the timings.
        unit = zlib.crc32(f"{self.seed}/{meter}/{uuid}/{period}".encode()) / 2**32
        low, high = RANGES.get(meter, (1, 95))
        return low + (high - low) * unit

    def _all(self, resources, meter, period):
        self.reads += 1
        return {r.uuid: self._value(meter, r.uuid, period) for r in resources}

    def host_metric_all(self, nodes, meter_name, period=300, aggregate="mean",
                        granularity=300):
        return self._all(nodes, meter_name, period)

    def instance_metric_all(self, instances, meter_name, period=300, aggregate="mean",
                            granularity=300):
        return self._all(instances, meter_name, period)


def generate(hosts: int, seed: int) -> model_root.ModelRoot:
    rng = np.random.default_rng(seed)
    total = INSTANCES_PER_HOST * hosts
    weights = rng.lognormal(0.0, 0.8, hosts)
    owner = rng.choice(hosts, size=total, p=weights / weights.sum())
    flavors = rng.choice(len(FLAVORS), size=total, p=[0.6, 0.3, 0.1])
    model = model_root.ModelRoot()
    for h in range(hosts):
        model.add_node(element.ComputeNode(
            uuid=f"node-{h:05d}", hostname=f"cmp{h:05d}", vcpus=128, vcpu_ratio=4.0,
            memory=1048576, memory_ratio=1.5, disk=40000))
    for i in range(total):
        vcpus, memory, disk = FLAVORS[flavors[i]]
        server = element.Instance(uuid=f"vm-{i:06d}", name=f"vm{i}", vcpus=int(vcpus),
                                  memory=int(memory), disk=int(disk),
                                  metadata={"watcher-priority": str(int(rng.integers(1, 10)))})
        model.add_instance(server)
        model.map_instance(server, f"node-{owner[i]:05d}")
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=113)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    base = generate(args.hosts, args.seed)
    print(f"{args.hosts} hosts, {len(base.get_all_instances())} instances")
    print(f"{'strategy':28} {'seconds':>8} {'actions':>8} {'reads':>6}")
    for cls, parameters in STRATEGIES:
        strategy = cls()
        strategy.input_parameters.update(
            strategy_context.fill_defaults(cls.get_schema(), parameters))
        strategy.compute_model = base.copy()
        readings = RandomReadings(args.seed)
        strategy.datasource_backend = readings
        started = time.perf_counter()
        solution = strategy.execute()
        elapsed = time.perf_counter() - started
        print(f"{cls.NAME:28} {elapsed:8.3f} {len(solution.actions):8d} {readings.reads:6d}")


if __name__ == "__main__":
    main()
