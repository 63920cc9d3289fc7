"""VM workload consolidation (goal ``server_consolidation``): first-fit packing on measured use.

Four phases, as upstream:

1. Offload: from the busiest node down, a node whose CPU use exceeds its capacity moves its
   least CPU-hungry instances, each to the first node (busiest first) where it fits, until
   it is no longer overloaded.
2. Consolidation: from the least busy node up, each node moves its most CPU-hungry instances
   to the busiest node above it in that order where they fit.
3. Optimisation: an instance moved several times is moved once, from where it was to where
   it ends (a move back to where it was is no move at all).
4. Nodes left without instances are disabled (reason ``watcher_disabled``).

What an instance uses: CPU cores (``instance_cpu_usage`` x vCPUs; all its vCPUs when there
is no value), memory (``instance_ram_usage``, else ``instance_ram_allocated``, else its
flavor) and root disk (``instance_root_disk_size``, else its flavor). What a node uses: the
sum over its instances, except that CPU and memory are at least what the host itself reports
(``host_cpu_usage`` x vCPUs, ``host_ram_usage``), adjusted by the planned moves (an
instance's cores and its flavor memory). A node without host values is judged on its
instances alone (logged). Capacities are the model's (total - reserved) x allocation ratio.

Nodes whose compute service is up take part, disabled ones included: a disabled node that
receives an instance is enabled first (an enable action, so the migration never targets a
disabled service). Excluded instances stay where they are; active and paused instances are
live migrated, stopped ones cold migrated, others stay.

Every metric is read once for all instances or all nodes. Node usage lives in arrays (one
``bincount`` to build, two rows updated per move) and the candidate destinations of an
instance are tested in one vectorised comparison.
"""

from __future__ import annotations

import numpy as np
from oslo_log import log

from watcher.decision_engine.model import element
from watcher.decision_engine.strategy.strategies import metric_base

LOG = log.getLogger(__name__)

MIGRATION_TYPES = {
    metric_base.ACTIVE: metric_base.LIVE,
    metric_base.PAUSED: metric_base.LIVE,
    metric_base.STOPPED: metric_base.COLD,
}
CPU, RAM, DISK = 0, 1, 2


class VMWorkloadConsolidation(metric_base.MetricStrategy):
    NAME = "vm_workload_consolidation"
    DISPLAY_NAME = "VM Workload Consolidation Strategy"
    GOAL_NAME = "server_consolidation"
    AGGREGATE = "mean"
    REASON_FOR_DISABLE = "watcher_disabled"
    DATASOURCE_METRICS = (
        "instance_ram_allocated",
        "instance_cpu_usage",
        "instance_ram_usage",
        "instance_root_disk_size",
        "host_cpu_usage",
        "host_ram_usage",
    )

    def __init__(self, config=None) -> None:
        super().__init__(config)
        self.number_of_migrations = 0
        self.number_of_released_nodes = 0
        self.compute_nodes_count = 0

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
                "period": {
                    "description": "The time interval in seconds for getting statistic "
                    "aggregation",
                    "type": "number",
                    "default": 3600,
                },
                "granularity": {
                    "description": "The time between two measures in an aggregated timeseries "
                    "of a metric.",
                    "type": "number",
                    "default": 300,
                },
            }
        }

    # -- measurements ------------------------------------------------------------------------

    def _read(self, nodes: list[element.ComputeNode], instances: list[element.Instance]):
        """Per-instance use (n x 3) and per-node host use (cpu cores, ram MB; NaN if none)."""
        period, granularity = self.input_parameters.period, self.input_parameters.granularity

        def per_instance(meter, subset):
            return self.instance_metric(subset, meter, period, self.AGGREGATE, granularity)

        cpu = per_instance("instance_cpu_usage", instances)
        ram = per_instance("instance_ram_usage", instances)
        without_ram = [i for i in instances if not ram.get(i.uuid)]
        allocated = per_instance("instance_ram_allocated", without_ram) if without_ram else {}
        disk = per_instance("instance_root_disk_size", instances)
        use = np.zeros((len(instances), 3))
        for row, instance in enumerate(instances):
            percent = cpu.get(instance.uuid)
            use[row, CPU] = instance.vcpus * percent / 100.0 if percent else instance.vcpus
            use[row, RAM] = ram.get(instance.uuid) or allocated.get(instance.uuid) or (
                instance.memory or 0)
            use[row, DISK] = disk.get(instance.uuid) or (instance.disk or 0)

        host_cpu = self.host_metric(nodes, "host_cpu_usage", period, self.AGGREGATE, granularity)
        host_ram = self.host_metric(nodes, "host_ram_usage", period, self.AGGREGATE, granularity)
        host = np.full((len(nodes), 2), np.nan)
        for row, node in enumerate(nodes):
            # A zero reading counts as none, as upstream: the instances' sum decides.
            if host_cpu.get(node.uuid):
                host[row, CPU] = host_cpu[node.uuid] * node.vcpus / 100.0
            if host_ram.get(node.uuid):
                host[row, RAM] = host_ram[node.uuid] / 1024.0  # KiB -> MB
        return use, host

    # -- the search --------------------------------------------------------------------------

    def do_execute(self, audit=None) -> None:
        model = self.compute_model
        nodes = self.available_nodes(include_disabled=True)
        self.compute_nodes_count = len(nodes)
        if not nodes:
            LOG.warning("No compute node is up: nothing to consolidate")
            return
        state = _Packing(self, model, nodes)
        before = state.relative_cpu()
        cc = np.ones(3)
        state.offload(cc)
        state.consolidate(cc)
        self._emit(state)
        LOG.info("VM workload consolidation: %d migrations, %d nodes released, relative CPU "
                 "use of enabled nodes %.3f -> %.3f", self.number_of_migrations,
                 self.number_of_released_nodes, before, state.relative_cpu())

    def _emit(self, state: _Packing) -> None:
        """Actions of the final placement: enables, migrations (each instance once, from
        where it was to where it ends), then disables of the nodes left empty."""
        model = self.compute_model
        moves = [(uuid, src, dst) for uuid, (src, dst) in state.moves.items() if src != dst]
        receiving = {dst for _, _, dst in moves}
        enabled = [pos for pos in state.enabled_order if pos in receiving]
        for pos in enabled:
            node = state.nodes[pos]
            self.solution.add_action(
                metric_base.CHANGE_NOVA_SERVICE_STATE,
                {"state": metric_base.ENABLED, "resource_name": node.hostname},
                node.uuid,
            )
        for uuid, src, dst in moves:
            instance = model.get_instance_by_uuid(uuid)
            self.add_action_migrate(instance, MIGRATION_TYPES[instance.state], state.nodes[src],
                                    state.nodes[dst])
        disabled = 0
        for node in state.nodes:
            if not model.get_node_instances(node) and node.status != metric_base.DISABLED:
                self.solution.add_action(
                    metric_base.CHANGE_NOVA_SERVICE_STATE,
                    {
                        "state": metric_base.DISABLED,
                        "disabled_reason": self.REASON_FOR_DISABLE,
                        "resource_name": node.hostname,
                    },
                    node.uuid,
                )
                disabled += 1
        self.number_of_migrations = len(moves)
        self.number_of_released_nodes = max(0, disabled - len(enabled))

    def post_execute(self) -> None:
        self.solution.set_efficacy_indicators(
            compute_nodes_count=self.compute_nodes_count,
            released_compute_nodes_count=self.number_of_released_nodes,
            instance_migrations_count=self.number_of_migrations,
        )


class _Packing:
    """Node use as arrays, kept in step with the model as instances move."""

    def __init__(self, strategy: VMWorkloadConsolidation, model, nodes) -> None:
        self.model = model
        self.nodes = nodes
        self.pos = {node.uuid: i for i, node in enumerate(nodes)}
        instances = [i for node in nodes for i in model.get_node_instances(node)]
        use, self.host = strategy._read(nodes, instances)
        self.use = {i.uuid: use[row] for row, i in enumerate(instances)}
        where = np.array([self.pos[model.get_node_by_instance_uuid(i.uuid).uuid]
                          for i in instances], dtype=np.int64)
        self.summed = np.zeros((len(nodes), 3))
        np.add.at(self.summed, where, use)
        self.delta = np.zeros((len(nodes), 2))
        self.capacity = np.array([(n.vcpu_capacity, n.memory_mb_capacity, n.disk_gb_capacity)
                                  for n in nodes], dtype=float)
        self.disabled = np.array([n.status == metric_base.DISABLED for n in nodes])
        # instance uuid -> (first source, current node); disabled nodes in order of first use
        self.moves: dict[str, tuple[int, int]] = {}
        self.enabled_order: list[int] = []

    def utilisation(self) -> np.ndarray:
        """Per-node use (n x 3): the instances' sum, or the host's own reading plus the
        planned moves when that is higher."""
        util = self.summed.copy()
        reported = np.nan_to_num(self.host + self.delta, nan=0.0)
        util[:, :2] = np.maximum(util[:, :2], reported)
        return util

    def relative_cpu(self) -> float:
        enabled = ~self.disabled & (self.capacity[:, CPU] > 0)
        if not enabled.any():
            return 0.0
        util = self.utilisation()
        return float(np.mean(util[enabled, CPU] / self.capacity[enabled, CPU]))

    def _first_fit(self, instance, candidates: np.ndarray, util: np.ndarray, cc) -> int | None:
        need = self.use[instance.uuid]
        room = (util[candidates] + need <= self.capacity[candidates] * cc).all(axis=1)
        if not room.any():
            return None
        return int(candidates[int(np.argmax(room))])

    def _move(self, instance, source: int, destination: int) -> None:
        if not self.model.migrate_instance(instance, self.nodes[source].uuid,
                                           self.nodes[destination].uuid):
            return
        if self.disabled[destination] and destination not in self.enabled_order:
            self.enabled_order.append(destination)
        first = self.moves.get(instance.uuid, (source, source))[0]
        self.moves[instance.uuid] = (first, destination)
        need = self.use[instance.uuid]
        self.summed[source] -= need
        self.summed[destination] += need
        moved = np.array([need[CPU], instance.memory or 0])
        self.delta[source] -= moved
        self.delta[destination] += moved

    def _by_cpu(self) -> np.ndarray:
        return np.argsort(self.utilisation()[:, CPU], kind="stable")

    def _instances_by_cpu(self, pos: int) -> list:
        """The node's instances the audit may move, least CPU first."""
        movable = [i for i in self.model.get_node_instances(self.nodes[pos])
                   if not i.watcher_exclude and i.state in MIGRATION_TYPES]
        return sorted(movable, key=lambda i: self.use[i.uuid][CPU])

    def offload(self, cc: np.ndarray) -> None:
        order = self._by_cpu()
        busiest_first = order[::-1]
        for pos in busiest_first.tolist():
            util = self.utilisation()
            if not util[pos, CPU] > self.capacity[pos, CPU] * cc[CPU]:
                continue
            LOG.info("Node %s overloaded, attempting to reduce load", self.nodes[pos].hostname)
            for instance in self._instances_by_cpu(pos):
                destination = self._first_fit(instance, busiest_first, util, cc)
                if destination is not None:
                    self._move(instance, pos, destination)
                    util = self.utilisation()
                if not util[pos, CPU] > self.capacity[pos, CPU] * cc[CPU]:
                    break

    def consolidate(self, cc: np.ndarray) -> None:
        order = self._by_cpu()
        for asc, pos in enumerate(order.tolist()):
            # Destinations: the nodes above this one in the order, busiest first.
            candidates = order[asc + 1:][::-1]
            if not len(candidates):
                break
            for instance in reversed(self._instances_by_cpu(pos)):
                destination = self._first_fit(instance, candidates, self.utilisation(), cc)
                if destination is not None:
                    self._move(instance, pos, destination)
