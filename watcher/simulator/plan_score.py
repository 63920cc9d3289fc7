"""An independent judge of consolidation plans on a trace-driven cloud.

It knows nothing of watcher's strategies (it imports none of them): it takes arrays (each
server's CPU demand per trace step, its flavor, where it runs) and a plan's migrations, and
counts what an operator would see:

- ``replay_cpu``: per host and step, demand = sum of its servers' cores; a host-step is
  overloaded when demand exceeds the host's physical cores; unmet CPU is the excess over all
  host-steps as a percentage of all demand.
- ``allocation_violations``: the plan replayed in dependency order (an action runs once all
  its parents have); the actions that could run together form a chunk, counted worst case
  (every incoming server lands before any outgoing one leaves). Each host whose VCPU,
  MEMORY_MB or DISK_GB allocations exceed its allocatable capacity in any state counts.
- ``host_lower_bound``: no placement can use fewer hosts than, for each resource,
  ``ceil(total / per-host capacity)``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable

import numpy as np

RESOURCES = ("VCPU", "MEMORY_MB", "DISK_GB")


@dataclasses.dataclass(frozen=True)
class Move:
    server: int       # server index
    source: int       # host index
    destination: int  # host index
    uuid: str = ""
    parents: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class CpuReplay:
    active_host_steps: int
    overloaded_host_steps: int
    demand_cores: float     # summed over host-steps
    unmet_cores: float      # summed over host-steps

    @property
    def unmet_percent(self) -> float:
        return 100.0 * self.unmet_cores / self.demand_cores if self.demand_cores else 0.0


@dataclasses.dataclass(frozen=True)
class Violation:
    chunk: int              # 0 = before the plan; i = while the i-th chunk runs
    host: int
    resource: str
    allocated: float
    allocatable: float


def active_hosts(placement: np.ndarray) -> int:
    return len(np.unique(placement))


def replay_cpu(placement: np.ndarray, cores: np.ndarray, physical: np.ndarray) -> CpuReplay:
    """``cores``: (servers, steps) demand in cores; ``physical``: cores per host."""
    demand = np.zeros((len(physical), cores.shape[1]))
    np.add.at(demand, placement, cores)
    active = np.zeros(len(physical), dtype=bool)
    active[placement] = True
    excess = np.maximum(0.0, demand - physical[:, None])
    return CpuReplay(int(active.sum()) * cores.shape[1], int((excess > 0).sum()),
                     float(demand.sum()), float(excess.sum()))


def chunks(moves: Iterable[Move]) -> list[list[Move]]:
    """Moves in the order they can run: each chunk holds the moves whose parents all ran in
    earlier chunks. Parents that are not moves (service state changes...) are taken as done."""
    pending = list(moves)
    known = {m.uuid for m in pending}
    done: set[str] = set()
    out = []
    while pending:
        ready = [m for m in pending if all(p in done or p not in known for p in m.parents)]
        if not ready:
            raise ValueError("the plan's actions depend on each other in a cycle")
        out.append(ready)
        done.update(m.uuid for m in ready)
        taken = {id(m) for m in ready}
        pending = [m for m in pending if id(m) not in taken]
    return out


def allocation_violations(placement: np.ndarray, flavors: np.ndarray, allocatable: np.ndarray,
                          plan: list[list[Move]]) -> list[Violation]:
    """``flavors``: (servers, 3) VCPU, MEMORY_MB, DISK_GB; ``allocatable``: (hosts, 3)."""
    allocated = np.zeros(allocatable.shape)
    np.add.at(allocated, placement, flavors)
    found = _over(allocated, allocatable, 0)
    for number, chunk in enumerate(plan, start=1):
        worst = allocated.copy()
        for move in chunk:
            worst[move.destination] += flavors[move.server]
        found += _over(worst, allocatable, number)
        for move in chunk:
            allocated[move.destination] += flavors[move.server]
            allocated[move.source] -= flavors[move.server]
    return found


def _over(allocated: np.ndarray, allocatable: np.ndarray, chunk: int) -> list[Violation]:
    hosts, resources = np.nonzero(allocated > allocatable + 1e-9)
    return [Violation(chunk, int(h), RESOURCES[r], float(allocated[h, r]),
                      float(allocatable[h, r])) for h, r in zip(hosts, resources, strict=True)]


def apply(placement: np.ndarray, plan: Iterable[Iterable[Move]]) -> np.ndarray:
    after = placement.copy()
    for chunk in plan:
        for move in chunk:
            after[move.server] = move.destination
    return after


def host_lower_bound(cpu_demand: float, physical_cores: float, flavors: np.ndarray,
                     allocatable: np.ndarray) -> dict[str, int]:
    """Per limit, the fewest hosts that can hold the total: CPU demand (in cores) against
    physical cores, and the flavors' VCPU, MEMORY_MB and DISK_GB against one host's
    allocatable capacity; ``"hosts"`` is the largest of them."""
    bounds = {"CPU": math.ceil(cpu_demand / physical_cores - 1e-9)}
    totals = flavors.sum(axis=0)
    for index, name in enumerate(RESOURCES):
        bounds[name] = math.ceil(totals[index] / allocatable[index] - 1e-9)
    bounds["hosts"] = max(bounds.values())
    return bounds
