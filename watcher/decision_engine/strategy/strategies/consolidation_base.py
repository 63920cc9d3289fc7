"""What the server_consolidation strategies share: safe limits, their metrics, the actions
of a final placement and the efficacy figures that say how far it is from the bounds.

Each strategy keeps its own search; all of them test a move with the same ``packing.Packing``
(allocations and measured use at a percentile, see ``packing``) and emit the same kind of
plan: an instance moves at most once, a host sends or receives but never both, hosts left
empty are disabled. So no step of any of their plans takes a host over its limits.
"""

from __future__ import annotations

import time
from concurrent import futures

import numpy as np
from oslo_log import log

from watcher.decision_engine.model import element
from watcher.decision_engine.strategy.packing import bounds
from watcher.decision_engine.strategy.packing import problem as packing_problem
from watcher.decision_engine.strategy.packing.state import Packing
from watcher.decision_engine.strategy.strategies import metric_base

LOG = log.getLogger(__name__)

USAGE_METRICS = ("instance_cpu_usage", "instance_ram_usage", "host_cpu_usage",
                 "host_ram_usage")


class ConsolidationStrategy(metric_base.MetricStrategy):
    GOAL_NAME = "server_consolidation"
    REASON_FOR_DISABLE = "watcher_disabled"

    def __init__(self, config=None) -> None:
        super().__init__(config)
        self.problem: packing_problem.PackingProblem | None = None
        self.final: Packing | None = None
        # The search runs from the problem built (metrics read) to the plan emitted.
        self._search_started = 0.0
        self.solve_seconds = 0.0

    @classmethod
    def with_safety(cls, properties: dict) -> dict:
        """A parameter schema: the strategy's own properties plus the safety limits."""
        return {"properties": {**properties, **packing_problem.SAFETY_SCHEMA}}

    def _parameter(self, name: str):
        value = self.input_parameters.get(name)
        return packing_problem.SAFETY_SCHEMA[name]["default"] if value is None else value

    def read_usage(self, nodes: list[element.ComputeNode],
                   granularity: float) -> dict[str, dict[str, float]]:
        """Each usage metric at the ``percentile`` parameter over ``usage_period``, read once
        for all nodes or all of their instances."""
        aggregate = f"p{self._parameter('percentile'):g}"
        period = float(self._parameter("usage_period"))
        instances = [i for node in nodes for i in self.compute_model.get_node_instances(node)]

        def read(meter: str) -> dict[str, float]:
            subjects, reader = ((instances, self.instance_metric) if meter.startswith(
                "instance") else (nodes, self.host_metric))
            return reader(subjects, meter, period, aggregate, granularity) if subjects else {}

        # At once: while one answer of thousands of series is decoded here, the metric
        # store computes the next (15,769 instances: about 1 s less than one after another).
        with futures.ThreadPoolExecutor(len(USAGE_METRICS),
                                        thread_name_prefix="usage-read") as pool:
            return dict(zip(USAGE_METRICS, pool.map(read, USAGE_METRICS), strict=True))

    def packing_problem(self, nodes: list[element.ComputeNode], granularity: float,
                        receives: list[bool] | None = None) -> packing_problem.PackingProblem:
        self.problem = packing_problem.build(
            self.compute_model, nodes, self.read_usage(nodes, granularity),
            float(self._parameter("cpu_usage_limit")), float(self._parameter("ram_usage_limit")),
            receives)
        self._search_started = time.monotonic()
        return self.problem

    # -- the plan ---------------------------------------------------------------------------

    def emit(self, state: Packing, enable_first: bool = False) -> None:
        """Actions for ``state``: enable the disabled hosts that receive (``enable_first``),
        migrate each moved instance, disable the enabled hosts left empty."""
        problem = state.problem
        moves = state.moves()
        if enable_first:
            for host in sorted({dst for _, _, dst in moves}):
                node = problem.hosts[host]
                if node.status == metric_base.DISABLED:
                    self.solution.add_action(
                        metric_base.CHANGE_NOVA_SERVICE_STATE,
                        {"state": metric_base.ENABLED, "resource_name": node.hostname},
                        node.uuid)
        for instance, source, destination in moves:
            server = problem.instances[instance]
            self.add_action_migrate(server, packing_problem.MIGRATION_TYPES[server.state],
                                    problem.hosts[source], problem.hosts[destination])
        emptied = state.problem.instance_counts() > 0
        emptied &= ~state.active()
        for host in np.flatnonzero(emptied):
            node = problem.hosts[host]
            if node.status == metric_base.DISABLED:
                continue
            self.solution.add_action(
                metric_base.CHANGE_NOVA_SERVICE_STATE,
                {"state": metric_base.DISABLED, "disabled_reason": self.REASON_FOR_DISABLE,
                 "resource_name": node.hostname},
                node.uuid)
        self.final = state
        self.solve_seconds = time.monotonic() - self._search_started

    def post_execute(self) -> None:
        nodes = self.available_nodes(include_disabled=True)
        enabled = sum(n.status == metric_base.ENABLED for n in nodes)
        values = {"compute_nodes_count": enabled, "released_compute_nodes_count": 0,
                  "instance_migrations_count": 0}
        if self.problem is not None and self.final is not None:
            values.update(quality(self.problem, self.final),
                          solve_time_seconds=round(self.solve_seconds, 3))
        self.solution.set_efficacy_indicators(**values)


def quality(problem: packing_problem.PackingProblem, state: Packing) -> dict[str, float]:
    """The efficacy figures of a final placement."""
    before = int((problem.instance_counts() > 0).sum())
    after = int(state.active().sum())
    physical = problem.capacity / problem.usage_limits
    share = np.divide(state.load, physical, out=np.zeros_like(state.load),
                      where=physical > 0) * 100
    held = state.active()
    worst = share[held].max(axis=0) if held.any() else np.zeros(5)
    return {
        "released_compute_nodes_count": max(0, before - after),
        "instance_migrations_count": int(state.moved.sum()),
        "active_compute_nodes_before": before,
        "active_compute_nodes_after": after,
        "compute_nodes_lower_bound": bounds.host_lower_bound(problem),
        "instance_migrations_lower_bound": bounds.migration_lower_bound(problem, after),
        "worst_node_cpu_usage_after": round(float(worst[packing_problem.CPU_USE]), 2),
        "worst_node_ram_usage_after": round(float(worst[packing_problem.RAM_USE]), 2),
        "worst_node_allocation_after": round(float(worst[:3].max()), 2),
    }
