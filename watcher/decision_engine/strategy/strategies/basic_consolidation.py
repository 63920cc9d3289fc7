"""Basic offline consolidation (strategy ``basic``, goal ``server_consolidation``).

Nodes running instances are scored by measured CPU use (``host_cpu_usage`` over ``period``)
and sorted from the busiest down. The least busy node is the one to release: its active
instances, the busiest first (``instance_cpu_usage``), go Best-Fit-Decreasing to the first
node of that order with room for their flavor (vCPU, memory, disk against the model's
capacities). A node left without instances is disabled (reason ``watcher_disabled``). When a
round moves nothing the node is dropped from the order and the next least busy one is
tried; ``migration_attempts`` (0: no limit) bounds how many such fruitless rounds in a row
are allowed.

Departures from upstream, where it is loose: a node without a CPU reading is left out
(upstream read it as 100 % busy, so it could still receive instances); disabled nodes are
never destinations (they may still be released, without a new disable action); instances
excluded by the audit scope stay. With ``[watcher_strategies.basic] check_optimize_metadata``
only instances whose metadata ``optimize`` is true move (one without metadata moves, as
upstream).

Each metric is read once for all nodes or instances; the destination of an instance is found
with one vectorised comparison over the remaining nodes' free resources.
"""

from __future__ import annotations

import numpy as np
from oslo_log import log
from oslo_utils import strutils

from watcher.decision_engine.strategy.strategies import metric_base

LOG = log.getLogger(__name__)


class BasicConsolidation(metric_base.MetricStrategy):
    NAME = "basic"
    DISPLAY_NAME = "Basic offline consolidation"
    GOAL_NAME = "server_consolidation"
    REASON_FOR_DISABLE = "watcher_disabled"
    DATASOURCE_METRICS = ("host_cpu_usage", "instance_cpu_usage")

    def __init__(self, config=None) -> None:
        super().__init__(config)
        self.number_of_enabled_nodes = 0
        self.number_of_released_nodes = 0
        self.number_of_migrations = 0

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
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
            },
        }

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
        self.number_of_enabled_nodes = sum(n.status == metric_base.ENABLED for n in nodes)
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
        self._release(order, usage)

    def _release(self, order, usage) -> None:
        model = self.compute_model
        free = np.array([[f["vcpu"], f["memory"], f["disk"]]
                         for f in map(model.get_node_free_resources, order)], dtype=float)
        receives = np.array([n.status == metric_base.ENABLED for n in order])
        attempts = int(self.input_parameters.migration_attempts)
        fruitless = 0
        while order and (not attempts or attempts >= fruitless):
            last = len(order) - 1
            source = order[last]
            candidates = [i for i in model.get_node_instances(source) if self._may_move(i)]
            # A missing reading counts as fully busy (upstream): such instances go first.
            candidates.sort(key=lambda i: usage.get(i.uuid, 100.0), reverse=True)
            moved = 0
            for instance in candidates:
                need = np.array([instance.vcpus or 0, instance.memory or 0, instance.disk or 0],
                                dtype=float)
                room = receives[:last] & (free[:last] >= need).all(axis=1)
                if not room.any():
                    continue
                target = int(np.argmax(room))
                if not model.migrate_instance(instance, source, order[target]):
                    continue
                free[target] -= need
                free[last] += need
                self.add_action_migrate(instance, metric_base.LIVE, source, order[target])
                moved += 1
                if not model.get_node_instances(source):
                    self.number_of_released_nodes += 1
                    if source.status == metric_base.DISABLED:
                        continue
                    self.solution.add_action(
                        metric_base.CHANGE_NOVA_SERVICE_STATE,
                        {
                            "state": metric_base.DISABLED,
                            "disabled_reason": self.REASON_FOR_DISABLE,
                            "resource_name": source.hostname,
                        },
                        source.uuid,
                    )
            if moved:
                self.number_of_migrations += moved
                fruitless = 0
            else:
                fruitless += 1
                order.pop()
                free = free[:last]
                receives = receives[:last]

    def post_execute(self) -> None:
        self.solution.set_efficacy_indicators(
            compute_nodes_count=self.number_of_enabled_nodes,
            released_compute_nodes_count=self.number_of_released_nodes,
            instance_migrations_count=self.number_of_migrations,
        )
