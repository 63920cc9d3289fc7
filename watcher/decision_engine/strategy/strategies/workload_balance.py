"""Workload balance (goal ``workload_balancing``): move one instance off the busiest host.

A host's workload is the sum of its instances' measured use: CPU cores in use
(``instance_cpu_usage`` percent x vCPUs) or resident memory (``instance_ram_usage``, MB),
depending on the ``metrics`` parameter. Its utilisation is that workload over its vCPUs or
memory, in percent. Hosts at or above ``threshold`` are sources, the others targets.

From the most utilised source, the instance chosen is the one that brings the host closest
to the cluster's average workload without going below it; it goes to the least utilised
target with room for its flavor that stays under the threshold once it is there. One
migration per audit, as upstream: the move changes the measurements the next decision needs,
so the strategy is meant for continuous audits.

Only enabled, up hosts take part. Instances without a measurement neither count in their
host's workload nor move; excluded and non-active instances stay. Per-host workloads are one
``bincount`` over the instance -> host index.
"""

from __future__ import annotations

import numpy as np
from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.strategy.strategies import metric_base

LOG = log.getLogger(__name__)

CPU = "instance_cpu_usage"
RAM = "instance_ram_usage"


class WorkloadBalance(metric_base.WorkloadStabilizationBaseStrategy):
    NAME = "workload_balance"
    DISPLAY_NAME = "Workload Balance Migration Strategy"
    DATASOURCE_METRICS = (CPU, RAM)

    def __init__(self, config=None) -> None:
        super().__init__(config)
        self.instance_migrations_count = 0
        self.sd_before = 0.0
        self.sd_after = 0.0

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
                "metrics": {
                    "description": "Workload balance based on metrics: cpu or ram utilization",
                    "type": "string",
                    "choice": [CPU, RAM],
                    "default": CPU,
                },
                "threshold": {
                    "description": "workload threshold for migration",
                    "type": "number",
                    "default": 25.0,
                },
                "period": {
                    "description": "aggregate time period of ceilometer",
                    "type": "number",
                    "default": 300,
                },
                "granularity": {
                    "description": "The time between two measures in an aggregated timeseries "
                    "of a metric.",
                    "type": "number",
                    "default": 300,
                },
            },
        }

    def pre_execute(self) -> None:
        super().pre_execute()
        if self.input_parameters.metrics not in (CPU, RAM):
            raise exception.InvalidParameter(
                parameter="metrics", parameter_type=f"'{CPU}' or '{RAM}'"
            )

    def do_execute(self, audit=None) -> None:
        params = self.input_parameters
        meter, threshold = params.metrics, float(params.threshold)
        model = self.compute_model
        # A node reporting no vCPUs or memory has no utilisation to compare.
        nodes = [n for n in self.available_nodes() if (n.vcpus if meter == CPU else n.memory)]
        if not nodes:
            LOG.warning("No enabled compute node is up: nothing to balance")
            return
        node_pos = {node.uuid: i for i, node in enumerate(nodes)}
        instances = [i for node in nodes for i in model.get_node_instances(node)]
        usage = self.instance_metric(instances, meter, params.period,
                                     granularity=params.granularity)
        measured = [i for i in instances if i.uuid in usage]
        host = np.array([node_pos[model.get_node_by_instance_uuid(i.uuid).uuid]
                         for i in measured], dtype=np.int64)
        load = np.array([usage[i.uuid] * i.vcpus / 100.0 if meter == CPU else usage[i.uuid]
                         for i in measured], dtype=float)
        capacity = np.array([n.vcpus if meter == CPU else n.memory for n in nodes], float)
        workload = np.bincount(host, weights=load, minlength=len(nodes))
        utilisation = workload / capacity * 100.0
        self.sd_before = self.sd_after = float(np.std(utilisation))
        average = workload.sum() / len(nodes)
        overloaded = utilisation >= threshold
        if not overloaded.any():
            LOG.debug("No hosts require optimization")
            return
        if overloaded.all():
            LOG.warning("No hosts currently have %s under %s percent, therefore there are no "
                        "possible target hosts for any migration", meter, threshold)
            return

        load_of = {i.uuid: w for i, w in zip(measured, load.tolist(), strict=True)}
        choice = self._choose_instance(nodes, overloaded, utilisation, workload, average,
                                       load_of)
        if choice is None:
            LOG.info("No movable instance brings a host nearer the average workload")
            return
        source_pos, instance = choice
        moved = load_of[instance.uuid]
        targets = [
            pos for pos in np.argsort(utilisation, kind="stable").tolist()
            if not overloaded[pos]
            and metric_base.fits(model.get_node_free_resources(nodes[pos]), instance)
            and moved + workload[pos] < threshold / 100.0 * capacity[pos]
        ]
        if not targets:
            LOG.warning("No proper target host could be found, it might be because there's "
                        "not enough CPU/Memory/DISK")
            return
        destination_pos = targets[0]
        source, destination = nodes[source_pos], nodes[destination_pos]
        if model.migrate_instance(instance, source, destination):
            self.add_action_migrate(instance, metric_base.LIVE, source, destination)
            self.instance_migrations_count += 1
            workload[source_pos] -= moved
            workload[destination_pos] += moved
            self.sd_after = float(np.std(workload / capacity * 100.0))

    def _choose_instance(self, nodes, overloaded, utilisation, workload, average, load_of):
        """``(node position, instance)`` to move: from the most utilised source, the
        instance whose move leaves the source nearest above the average workload."""
        model = self.compute_model
        for pos in np.argsort(-utilisation, kind="stable").tolist():
            if not overloaded[pos]:
                break
            excess = workload[pos] - average
            best, best_delta = None, None
            for instance in model.get_node_instances(nodes[pos]):
                if instance.uuid not in load_of or not self.is_movable(instance):
                    continue
                delta = excess - load_of[instance.uuid]
                if delta >= 0 and (best_delta is None or delta < best_delta):
                    best, best_delta = instance, delta
            if best is not None:
                return pos, best
        return None

    def post_execute(self) -> None:
        self.solution.set_efficacy_indicators(
            instance_migrations_count=self.instance_migrations_count,
            instances_count=len(self.compute_model.get_all_instances()),
            standard_deviation_before_audit=self.sd_before,
            standard_deviation_after_audit=self.sd_after,
        )
