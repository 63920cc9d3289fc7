"""VM workload consolidation (goal ``server_consolidation``): first-fit packing on measured use.

Upstream's phases, with every move held to both limits of ``packing`` (allocations as
Placement counts them, and measured use at the ``percentile`` against the physical host):

1. Offload: from the busiest node down, a node over a limit moves its least CPU-hungry
   instances, each to the first node (busiest first) that takes it, until it is within its
   limits.
2. Consolidation: from the least busy node up, each node moves its most CPU-hungry instances
   to the busiest node above it in that order that takes them.
3. Optimisation: an instance moves at most once, and a node that received an instance is
   not emptied afterwards, nor does a node that sent one receive: upstream collapsed repeated
   moves afterwards, which could leave a node receiving before it had sent, over its limits
   in between. Here every intermediate state is within the limits, in any order.
4. Nodes left without instances are disabled (reason ``watcher_disabled``).

What an instance uses: its flavor for allocations; for measured use the percentile over
``usage_period`` of ``instance_cpu_usage`` x vCPUs and of ``instance_ram_usage`` (its flavor when
there is no reading, so a missing metric never makes room). A node's measured use is at least
what the host itself reports (``host_cpu_usage``, ``host_ram_usage``).

Nodes whose compute service is up take part, disabled ones included: a disabled node that
receives an instance is enabled first (an enable action, so the migration never targets a
disabled service). Excluded instances stay where they are; active and paused instances are
live migrated, stopped ones cold migrated, others stay.

Every metric is read once for all instances or all nodes; the candidate destinations of an
instance are tested in one vectorised comparison.
"""

from __future__ import annotations

import numpy as np
from oslo_log import log

from watcher.decision_engine.strategy.packing import problem as packing_problem
from watcher.decision_engine.strategy.packing.state import Packing
from watcher.decision_engine.strategy.strategies import consolidation_base

LOG = log.getLogger(__name__)

CPU_USE = packing_problem.CPU_USE


class VMWorkloadConsolidation(consolidation_base.ConsolidationStrategy):
    NAME = "vm_workload_consolidation"
    DISPLAY_NAME = "VM Workload Consolidation Strategy"
    DATASOURCE_METRICS = (
        "instance_ram_allocated",
        "instance_cpu_usage",
        "instance_ram_usage",
        "instance_root_disk_size",
        "host_cpu_usage",
        "host_ram_usage",
    )

    @classmethod
    def get_schema(cls) -> dict:
        return cls.with_safety({
            "period": {
                "description": "Upstream's window for the mean use, accepted as upstream; "
                "the limits read the percentile over usage_period.",
                "type": "number",
                "default": 3600,
            },
            "granularity": {
                "description": "The time between two measures in an aggregated timeseries "
                "of a metric.",
                "type": "number",
                "default": 300,
            },
        })

    def do_execute(self, audit=None) -> None:
        nodes = self.available_nodes(include_disabled=True)
        if not nodes:
            LOG.warning("No compute node is up: nothing to consolidate")
            return
        params = self.input_parameters
        state = Packing(self.packing_problem(nodes, params.granularity))
        before = relative_cpu(state)
        offload(state)
        consolidate(state)
        self.emit(state, enable_first=True)
        LOG.info("VM workload consolidation: %d migrations, relative CPU use of the nodes "
                 "%.3f -> %.3f", state.moved.sum(), before, relative_cpu(state))


def relative_cpu(state: Packing) -> float:
    capacity = state.problem.capacity[:, CPU_USE]
    held = state.active() & (capacity > 0)
    if not held.any():
        return 0.0
    return float(np.mean(state.load[held, CPU_USE] / capacity[held]))


def _by_cpu(state: Packing) -> np.ndarray:
    """Host rows, least CPU use first (host order among equals)."""
    return np.argsort(state.load[:, CPU_USE], kind="stable")


def _instances_by_cpu(state: Packing, host: int) -> list[int]:
    """The rows of the host's instances that may move, least CPU first."""
    rows = [int(i) for i in np.flatnonzero(state.placement == host) if state.may_move(i)]
    return sorted(rows, key=lambda i: (state.problem.demand[i, CPU_USE], i))


def _first_fit(state: Packing, instance: int, candidates: np.ndarray) -> int | None:
    fits = state.fitting(instance, candidates)
    return int(candidates[int(np.argmax(fits))]) if fits.any() else None


def offload(state: Packing) -> None:
    busiest_first = _by_cpu(state)[::-1]
    for host in busiest_first.tolist():
        if not state.over()[host]:
            continue
        LOG.info("Node %s overloaded, attempting to reduce load",
                 state.problem.hosts[host].hostname)
        for instance in _instances_by_cpu(state, host):
            destination = _first_fit(state, instance, busiest_first[busiest_first != host])
            if destination is not None:
                state.move(instance, destination)
            if not state.over()[host]:
                break


def consolidate(state: Packing) -> None:
    order = _by_cpu(state)
    for position, host in enumerate(order.tolist()):
        # Destinations: the nodes above this one in the order, busiest first.
        candidates = order[position + 1:][::-1]
        if not len(candidates):
            break
        for instance in reversed(_instances_by_cpu(state, host)):
            destination = _first_fit(state, instance, candidates)
            if destination is not None:
                state.move(instance, destination)
