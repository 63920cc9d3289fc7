"""A packing problem: what each instance needs and what each host offers, as arrays.

Five columns, the same for demand and capacity:

``VCPU``, ``RAM``, ``DISK``
    allocations: the flavor's vCPUs, memory MB and root disk GB against the host's
    ``(total - reserved) x allocation_ratio`` (what Placement lets Nova schedule);
``CPU_USE``, ``RAM_USE``
    measured use: the percentile of the instance's CPU use in cores and memory use in MB
    over the period, against ``(physical - reserved) x usage limit``. An instance without a
    reading counts as using all of its flavor, so missing metrics never make room.

What a host's own readings show beyond its instances' sum (the hypervisor's overhead, or
guests the model does not know) is its ``base`` load, never negative.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from watcher.decision_engine.model import element

VCPU, RAM, DISK, CPU_USE, RAM_USE = range(5)
COLUMNS = ("vcpu", "memory_mb", "disk_gb", "cpu_cores_used", "memory_mb_used")

LIVE, COLD = "live", "cold"
# How an instance in each state moves; instances in other states stay where they are.
MIGRATION_TYPES = {element.InstanceState.ACTIVE.value: LIVE,
                   element.InstanceState.PAUSED.value: LIVE,
                   element.InstanceState.STOPPED.value: COLD}

# The parameters every consolidation strategy adds to its schema for safe plans.
SAFETY_SCHEMA = {
    "usage_period": {
        "description": "Length in seconds of the trailing window whose measured use (its "
        "percentile) every host must hold after the plan. An hour's peaks say little "
        "about the afternoon's: four hours by default.",
        "type": "number",
        "exclusiveMinimum": 0,
        "default": 14400,
    },
    "percentile": {
        "description": "Percentile of each instance's measured CPU and memory use over the "
        "period that a host must hold (95: the use exceeded only 5 % of the time).",
        "type": "number",
        "minimum": 1,
        "maximum": 100,
        "default": 95,
    },
    "cpu_usage_limit": {
        "description": "Largest share of a host's physical cores (less the reserved ones) "
        "that the measured CPU use of its instances may reach after each step of the plan.",
        "type": "number",
        "exclusiveMinimum": 0,
        "maximum": 1,
        "default": 0.9,
    },
    "ram_usage_limit": {
        "description": "Largest share of a host's physical memory (less the reserved "
        "memory) that the measured memory use of its instances may reach.",
        "type": "number",
        "exclusiveMinimum": 0,
        "maximum": 1,
        "default": 1.0,
    },
}


@dataclasses.dataclass
class PackingProblem:
    """Hosts (rows of ``capacity``) and instances (rows of ``demand``); ``placement[i]`` is
    the host row of instance ``i``."""

    hosts: list[element.ComputeNode]
    instances: list[element.Instance]
    demand: np.ndarray
    capacity: np.ndarray
    base: np.ndarray
    placement: np.ndarray
    movable: np.ndarray
    receives: np.ndarray
    # The share of each capacity column a plan may use (1 for allocations).
    usage_limits: np.ndarray = dataclasses.field(default_factory=lambda: np.ones(5))

    @property
    def n_hosts(self) -> int:
        return len(self.hosts)

    @property
    def n_instances(self) -> int:
        return len(self.instances)

    def load(self, placement: np.ndarray | None = None) -> np.ndarray:
        """Per-host load (n_hosts x 5) of a placement (the initial one by default)."""
        where = self.placement if placement is None else placement
        load = self.base.copy()
        np.add.at(load, where, self.demand)
        return load

    def instance_counts(self, placement: np.ndarray | None = None) -> np.ndarray:
        where = self.placement if placement is None else placement
        return np.bincount(where, minlength=self.n_hosts)


def host_capacity(node: element.ComputeNode, cpu_limit: float, ram_limit: float) -> list:
    """The five capacities of a node: allocatable, then physical with the usage limits."""
    return [
        node.vcpu_capacity,
        node.memory_mb_capacity,
        node.disk_gb_capacity,
        max(0.0, (node.vcpus or 0) - (node.vcpu_reserved or 0)) * cpu_limit,
        max(0.0, (node.memory or 0) - (node.memory_mb_reserved or 0)) * ram_limit,
    ]


def instance_demand(instance: element.Instance, cpu_percent: float | None,
                    ram_mb: float | None) -> list:
    """The five demands of an instance from its flavor and its measured use."""
    vcpus = float(instance.vcpus or 0)
    memory = float(instance.memory or 0)
    cores = vcpus if cpu_percent is None else vcpus * min(max(cpu_percent, 0.0), 100.0) / 100
    used_ram = memory if ram_mb is None else max(0.0, float(ram_mb))
    return [vcpus, memory, float(instance.disk or 0), cores, used_ram]


def build(model, nodes: list[element.ComputeNode], readings: dict[str, dict[str, float]],
          cpu_limit: float, ram_limit: float,
          receives: list[bool] | None = None) -> PackingProblem:
    """The problem for ``nodes`` and their instances.

    ``readings`` maps ``instance_cpu_usage`` (percent of the instance's vCPUs),
    ``instance_ram_usage`` (MB), ``host_cpu_usage`` (percent of the host's vCPUs) and
    ``host_ram_usage`` (KiB) to ``{uuid: value}``; a missing key or value is no reading.
    ``receives[h]`` says whether host ``h`` may take instances (all by default).
    """
    cpu = readings.get("instance_cpu_usage", {})
    ram = readings.get("instance_ram_usage", {})
    host_cpu = readings.get("host_cpu_usage", {})
    host_ram = readings.get("host_ram_usage", {})
    instances, placement, demand = [], [], []
    for row, node in enumerate(nodes):
        for instance in model.get_node_instances(node):
            instances.append(instance)
            placement.append(row)
            demand.append(instance_demand(instance, cpu.get(instance.uuid),
                                          ram.get(instance.uuid)))
    demand_array = np.array(demand, dtype=float).reshape(len(instances), 5)
    placement_array = np.array(placement, dtype=np.int64)
    capacity = np.array([host_capacity(n, cpu_limit, ram_limit) for n in nodes],
                        dtype=float).reshape(len(nodes), 5)
    summed = np.zeros((len(nodes), 5))
    np.add.at(summed, placement_array, demand_array)
    base = np.zeros((len(nodes), 5))
    for row, node in enumerate(nodes):
        # Zero readings count as none, as upstream: an idle host reports no load at all.
        if host_cpu.get(node.uuid):
            cores = host_cpu[node.uuid] * (node.vcpus or 0) / 100.0
            base[row, CPU_USE] = max(0.0, cores - summed[row, CPU_USE])
        if host_ram.get(node.uuid):
            base[row, RAM_USE] = max(0.0, host_ram[node.uuid] / 1024.0 - summed[row, RAM_USE])
    movable = np.array([not i.watcher_exclude and i.state in MIGRATION_TYPES
                        for i in instances], dtype=bool)
    return PackingProblem(
        hosts=list(nodes),
        instances=instances,
        demand=demand_array,
        capacity=capacity,
        base=base,
        placement=placement_array,
        movable=movable,
        receives=np.array(receives if receives is not None else [True] * len(nodes),
                          dtype=bool),
        usage_limits=np.array([1.0, 1.0, 1.0, cpu_limit, ram_limit]),
    )
