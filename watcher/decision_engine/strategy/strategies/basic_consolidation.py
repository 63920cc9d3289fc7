"""Basic offline consolidation (strategy ``basic``, goal ``server_consolidation``).

Nodes running instances are scored by measured CPU use (``host_cpu_usage`` over ``period``)
and sorted from the busiest down. The least busy node is the one to release: its active
instances, the busiest first (``instance_cpu_usage``), go Best-Fit-Decreasing to the first
node of that order that takes them within both limits of ``packing``: their flavor against
the allocatable vCPU, memory and disk, and their measured use at the ``percentile`` against
the physical host. A node left without instances is disabled (reason ``watcher_disabled``).
The node is then dropped from the order and the next least busy one is tried;
``migration_attempts`` (0: no limit) bounds how many rounds in a row that move nothing are
allowed. A node that received instances is never emptied afterwards and an instance moves
at most once, so no intermediate state of the plan is over a limit.

Departures from upstream, where it is loose: a node without a CPU reading is left out
(upstream read it as 100 % busy, so it could still receive instances); disabled nodes are
never destinations (they may still be released, without a new disable action); instances
excluded by the audit scope stay. With ``[watcher_strategies.basic] check_optimize_metadata``
only instances whose metadata ``optimize`` is true move (one without metadata moves, as
upstream).

Each metric is read once for all nodes or instances; the destination of an instance is found
with one vectorised comparison over the remaining nodes.
"""

from __future__ import annotations

import numpy as np
from oslo_log import log
from oslo_utils import strutils

from watcher.decision_engine.strategy.packing.state import Packing
from watcher.decision_engine.strategy.strategies import consolidation_base, metric_base

LOG = log.getLogger(__name__)


class BasicConsolidation(consolidation_base.ConsolidationStrategy):
    NAME = "basic"
    DISPLAY_NAME = "Basic offline consolidation"
    DATASOURCE_METRICS = consolidation_base.USAGE_METRICS

    @classmethod
    def get_schema(cls) -> dict:
        return cls.with_safety({
            "migration_attempts": {
                "description": "Maximum number of combinations to be tried by the strategy "
                "while searching for potential candidates. To remove the limit, set it to "
                "0 (by default)",
                "type": "number",
                "default": 0,
            },
            "period": {
                "description": "The time interval in seconds for getting statistic "
                "aggregation",
                "type": "number",
                "default": 7200,
            },
            "granularity": {
                "description": "The time between two measures in an aggregated timeseries "
                "of a metric.",
                "type": "number",
                "default": 300,
            },
            "aggregation_method": {
                "description": "Function used to aggregate multiple measures into an "
                "aggregate. For example, the min aggregation method will aggregate the "
                "values of different measures to the minimum value of all the measures "
                "in the time range.",
                "type": "object",
                "properties": {
                    "instance": {"type": "string", "default": "mean"},
                    "compute_node": {"type": "string", "default": "mean"},
                    "node": {"type": "string", "default": ""},
                },
                "default": {"instance": "mean", "compute_node": "mean", "node": ""},
            },
        })

    def _aggregate(self, kind: str) -> str:
        methods = dict(self.input_parameters.aggregation_method)
        if kind == "compute_node" and methods.get("node"):
            # "node" is the old name of "compute_node", still honoured when set.
            return methods["node"]
        return methods.get(kind) or "mean"

    def _may_move(self, instance) -> bool:
        if not self.is_movable(instance):
            return False
        if not getattr(self.config, "check_optimize_metadata", False) or not instance.metadata:
            return True
        return strutils.bool_from_string(instance.metadata.get("optimize"))

    def do_execute(self, audit=None) -> None:
        model = self.compute_model
        params = self.input_parameters
        nodes = self.available_nodes(include_disabled=True)
        busy = [n for n in nodes if model.get_node_instances(n)]
        cpu = self.host_metric(busy, "host_cpu_usage", params.period,
                               self._aggregate("compute_node"), params.granularity)
        scored = [n for n in busy if n.uuid in cpu]
        if not scored:
            LOG.warning("The workloads of the compute nodes of the cluster is zero")
            return
        # Busiest first; the node to release is taken from the end.
        order = sorted(scored, key=lambda n: cpu[n.uuid], reverse=True)
        instances = [i for n in order for i in model.get_node_instances(n)]
        usage = self.instance_metric(instances, "instance_cpu_usage", params.period,
                                     self._aggregate("instance"), params.granularity)
        for instance in instances:
            if instance.uuid not in usage:
                LOG.error("No values returned by %s for instance_cpu_usage", instance.uuid)
        state = Packing(self.packing_problem(
            nodes, params.granularity,
            [n.status == metric_base.ENABLED for n in nodes]))
        row = {node.uuid: position for position, node in enumerate(nodes)}
        self._release(state, [row[n.uuid] for n in order], usage)
        self.emit(state)

    def _release(self, state: Packing, order: list[int], usage: dict[str, float]) -> None:
        """Empty the least busy nodes of ``order`` (host rows, busiest first) into the
        busier ones, Best-Fit-Decreasing, until ``migration_attempts`` rounds in a row
        move nothing."""
        problem = state.problem
        attempts = int(self.input_parameters.migration_attempts)
        fruitless = 0
        while order and (not attempts or attempts >= fruitless):
            source = order[-1]
            candidates = [i for i in np.flatnonzero(state.placement == source)
                          if state.may_move(i) and self._may_move(problem.instances[i])]
            # A missing reading counts as fully busy (upstream): such instances go first.
            candidates.sort(key=lambda i: (-usage.get(problem.instances[i].uuid, 100.0), i))
            destinations = np.array(order[:-1], dtype=np.int64)
            moved = 0
            for instance in candidates:
                fits = state.fitting(instance, destinations) if len(destinations) else None
                if fits is None or not fits.any():
                    continue
                state.move(instance, int(destinations[int(np.argmax(fits))]))
                moved += 1
            if moved:
                # Tried again, as upstream: the round that then moves nothing counts.
                fruitless = 0
            else:
                fruitless += 1
                order.pop()
