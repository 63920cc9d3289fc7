"""Workload stabilization (goal ``workload_balancing``): live migrations that lower the
standard deviation of host load.

Host load per metric is the host's own reading (``instance_metrics`` maps each instance
metric to the host metric read for it): CPU as a fraction of the host, memory as a fraction
of the host's memory. When the standard deviation of one metric across hosts exceeds its
threshold, every (instance, destination) pair is simulated: the instance's load leaves its
host and lands on the destination (CPU scaled by vCPU counts), and the weighted sum of the
per-metric standard deviations is the pair's score. Destinations come from ``host_choice``:
``cycle`` (the next other host, round robin), ``retry`` (``retry_count`` random other hosts)
or ``fullsearch`` (every other host). Each pair that beats the instance's best so far is a
candidate.

Candidates are then applied best first, each one only if it still lowers the weighted
deviation below the best reached (starting at 1) given the moves already made, and the
search stops as soon as one metric's deviation falls under its threshold.

Only enabled, up hosts with readings take part (a host without one is left out, logged);
an instance moves only if it is active or paused, not excluded, has readings, fits the
destination's free vCPU, memory and disk, and has not moved already. The deviations of all
destinations of an instance are computed at once from running sums (NumPy), not by copying
the host table per pair.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.model import element
from watcher.decision_engine.strategy.strategies import metric_base

LOG = log.getLogger(__name__)

CPU = "instance_cpu_usage"
RAM = "instance_ram_usage"
HOST_CHOICES = ("cycle", "retry", "fullsearch")
# The states of the instances it moves (live migrations only).
LIVE_STATES = (element.InstanceState.ACTIVE.value, element.InstanceState.PAUSED.value)


class WorkloadStabilization(metric_base.WorkloadStabilizationBaseStrategy):
    NAME = "workload_stabilization"
    DISPLAY_NAME = "Workload stabilization"
    DATASOURCE_METRICS = ("host_cpu_usage", "instance_cpu_usage", "instance_ram_usage",
                          "host_ram_usage")

    def __init__(self, config=None, rng: random.Random | None = None) -> None:
        super().__init__(config)
        self.rng = rng or random.Random()
        self.instance_migrations_count = 0
        self.sd_before_audit = 0.0
        self.sd_after_audit = 0.0
        # Of the hosts taking part, in their order; instance loads by uuid.
        self._vcpus = np.zeros(0)
        self._memory = np.zeros(0)
        self._loads: dict[str, np.ndarray] = {}

    @classmethod
    def get_schema(cls) -> dict:
        ratio = {"type": "number", "minimum": 0, "maximum": 1}
        return {
            "properties": {
                "metrics": {
                    "description": "Metrics used as rates of cluster loads.",
                    "type": "array",
                    "items": {"type": "string", "enum": [CPU, RAM]},
                    "default": [CPU],
                },
                "thresholds": {
                    "description": "Dict where key is a metric and value is a trigger value.",
                    "type": "object",
                    "properties": {CPU: ratio, RAM: ratio},
                    "default": {CPU: 0.1, RAM: 0.1},
                },
                "weights": {
                    "description": "These weights used to calculate common standard "
                    "deviation. Name of weight contains meter name and _weight suffix.",
                    "type": "object",
                    "properties": {f"{CPU}_weight": ratio, f"{RAM}_weight": ratio},
                    "default": {f"{CPU}_weight": 1.0, f"{RAM}_weight": 1.0},
                },
                "instance_metrics": {
                    "description": "Mapping to get hardware statistics using instance metrics",
                    "type": "object",
                    "default": {CPU: "host_cpu_usage", RAM: "host_ram_usage"},
                },
                "host_choice": {
                    "description": "Method of host's choice. There are cycle, retry and "
                    "fullsearch methods. Cycle will iterate hosts in cycle. Retry will get "
                    "some hosts random (count defined in retry_count option). Fullsearch "
                    "will return each host from list.",
                    "type": "string",
                    "default": "retry",
                },
                "retry_count": {
                    "description": "Count of random returned hosts",
                    "type": "number",
                    "minimum": 1,
                    "default": 1,
                },
                "periods": {
                    "description": "These periods are used to get statistic aggregation for "
                    "instance and host metrics. The period is simply a repeating interval of "
                    "time into which the samples are grouped for aggregation. Watcher uses "
                    "only the last period of all received ones.",
                    "type": "object",
                    "properties": {
                        "instance": {"type": "integer", "minimum": 0},
                        "compute_node": {"type": "integer", "minimum": 0},
                        "node": {"type": "integer", "minimum": 0},
                    },
                    "additionalProperties": False,
                    "default": {"instance": 720, "compute_node": 600, "node": 0},
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
                    "additionalProperties": False,
                    "default": {"instance": "mean", "compute_node": "mean", "node": ""},
                },
                "granularity": {
                    "description": "The time between two measures in an aggregated timeseries "
                    "of a metric.",
                    "type": "number",
                    "minimum": 0,
                    "default": 300,
                },
            }
        }

    def pre_execute(self) -> None:
        super().pre_execute()
        params = self.input_parameters
        self.metrics = list(params.metrics)
        self.thresholds = {m: float(v) for m, v in params.thresholds.items()}
        self.weights = {m: float(v) for m, v in params.weights.items()}
        self.instance_metrics = dict(params.instance_metrics)
        self.host_choice = params.host_choice
        self.retry_count = int(params.retry_count)
        self.periods = dict(params.periods)
        self.aggregation_method = dict(params.aggregation_method)
        # "node" is the old name of "compute_node", still honoured when set.
        if self.aggregation_method.get("node"):
            LOG.warning("Parameter node has been renamed to compute_node and will be removed")
            self.aggregation_method["compute_node"] = self.aggregation_method["node"]
        if self.periods.get("node"):
            self.periods["compute_node"] = self.periods["node"]
        if not self.metrics:
            raise exception.InvalidParameter(parameter="metrics",
                                             parameter_type="a non-empty list")
        if self.host_choice not in HOST_CHOICES:
            raise exception.InvalidParameter(parameter="host_choice",
                                             parameter_type=" or ".join(HOST_CHOICES))
        for metric in self.metrics:
            for table, key in ((self.weights, f"{metric}_weight"), (self.thresholds, metric),
                               (self.instance_metrics, metric)):
                if key not in table:
                    raise exception.InvalidParameter(parameter=key,
                                                     parameter_type=f"a value for {metric}")

    # -- readings ----------------------------------------------------------------------------

    def _host_loads(self):
        """Hosts with a reading of every metric, and their normalised loads (metric x host)."""
        # Loads are fractions of the host's vCPUs and memory: hosts reporting none are out.
        nodes = sorted((n for n in self.available_nodes() if n.vcpus and n.memory),
                       key=lambda n: n.uuid)
        readings = [
            self.host_metric(nodes, self.instance_metrics[metric],
                             self.periods["compute_node"],
                             self.aggregation_method["compute_node"],
                             self.input_parameters.granularity)
            for metric in self.metrics
        ]
        kept = [n for n in nodes if all(n.uuid in r for r in readings)]
        loads = np.zeros((len(self.metrics), len(kept)))
        for m, metric in enumerate(self.metrics):
            for h, node in enumerate(kept):
                value = readings[m][node.uuid]
                # CPU percent -> fraction; RAM KiB -> fraction of the host's memory (MB).
                loads[m, h] = value / 100.0 if metric == CPU else value / 1024.0 / node.memory
        return kept, loads

    def _instance_loads(self, instances) -> dict[str, np.ndarray]:
        """Per instance with every reading: CPU fraction of its vCPUs, resident memory MB."""
        readings = [
            self.instance_metric(instances, metric, self.periods["instance"],
                                 self.aggregation_method["instance"],
                                 self.input_parameters.granularity)
            for metric in self.metrics
        ]
        loads = {}
        for instance in instances:
            values = [r.get(instance.uuid) for r in readings]
            if None in values:
                LOG.warning("No values returned by %s for %s: it stays", instance.uuid,
                            ", ".join(self.metrics))
                continue
            loads[instance.uuid] = np.array(
                [v / 100.0 if m == CPU else v for m, v in zip(self.metrics, values,
                                                               strict=True)])
        return loads

    # -- simulation --------------------------------------------------------------------------

    def _shift(self, load: np.ndarray, vcpus: float, hosts: np.ndarray) -> np.ndarray:
        """What the instance adds to each host in ``hosts``, per metric (metric x hosts)."""
        shift = np.empty((len(self.metrics), len(hosts)))
        for m, metric in enumerate(self.metrics):
            if metric == CPU:
                shift[m] = load[m] * vcpus / self._vcpus[hosts]
            else:
                shift[m] = load[m] / self._memory[hosts]
        return shift

    def _deviations(self, loads: np.ndarray, instance, source: int,
                    destinations: np.ndarray) -> np.ndarray:
        """Per-metric standard deviation after moving the instance to each destination
        (metric x destinations), from running sums."""
        n = loads.shape[1]
        load = self._loads[instance.uuid]
        leaving = self._shift(load, instance.vcpus, np.array([source]))[:, 0]
        arriving = self._shift(load, instance.vcpus, destinations)
        total = loads.sum(axis=1)
        squares = (loads ** 2).sum(axis=1)
        at_source = loads[:, source]
        at_destination = loads[:, destinations]
        new_total = (total - leaving)[:, None] + arriving
        new_squares = (squares - at_source ** 2 + (at_source - leaving) ** 2)[:, None] \
            - at_destination ** 2 + (at_destination + arriving) ** 2
        variance = new_squares / n - (new_total / n) ** 2
        return np.sqrt(np.maximum(variance, 0.0))

    def _weighted(self, deviations: np.ndarray) -> np.ndarray:
        weights = np.array([self.weights[f"{m}_weight"] for m in self.metrics])
        return weights @ deviations

    def _destinations(self, others: list[int]):
        if self.host_choice == "cycle":
            for host in itertools.cycle(others):
                yield [host]
        count = min(self.retry_count, len(others))
        while True:
            yield self.rng.sample(others, count) if self.host_choice == "retry" else others

    def simulate_migrations(self, nodes, loads) -> list[tuple[float, str, int, int]]:
        """Candidate moves ``(weighted deviation, instance uuid, source, destination)``,
        best first."""
        candidates = []
        for source, node in enumerate(nodes):
            others = [h for h in range(len(nodes)) if h != source]
            if not others:
                continue
            choices = self._destinations(others)
            for instance in self.compute_model.get_node_instances(node):
                if not self.is_movable(instance, LIVE_STATES):
                    continue
                if instance.uuid not in self._loads:
                    continue
                hosts = np.array(next(choices))
                scores = self._weighted(self._deviations(loads, instance, source, hosts))
                # A destination is a candidate when it beats every one tried before it.
                before = np.minimum.accumulate(np.concatenate(([len(self.metrics)], scores)))
                for k in np.flatnonzero(scores < before[:-1]).tolist():
                    candidates.append((float(scores[k]), instance.uuid, source,
                                       int(hosts[k])))
        return sorted(candidates, key=lambda c: c[0])

    def do_execute(self, audit=None) -> None:
        model = self.compute_model
        nodes, loads = self._host_loads()
        if len(nodes) < 2:
            LOG.info("Fewer than two hosts with readings: nothing to stabilize")
            return
        self._vcpus = np.array([n.vcpus for n in nodes], dtype=float)
        self._memory = np.array([n.memory for n in nodes], dtype=float)
        instances = [i for n in nodes for i in model.get_node_instances(n)]
        self._loads = self._instance_loads(instances)
        deviations = loads.std(axis=1)
        over = [m for m, metric in enumerate(self.metrics)
                if deviations[m] > self.thresholds[metric]]
        for m, metric in enumerate(self.metrics):
            LOG.info("Standard deviation for %s is %s", metric, deviations[m])
        if not over:
            self.sd_before_audit = self.sd_after_audit = float(deviations[0])
            return
        self.sd_before_audit = self.sd_after_audit = float(deviations[over[0]])
        self._apply(nodes, loads, self.simulate_migrations(nodes, loads))

    def _apply(self, nodes, loads, candidates) -> None:
        """Apply the candidates in order; each is evaluated against the loads as they are
        after the moves before it, in plain floats (one candidate at a time, where NumPy's
        per-call cost would dominate)."""
        model = self.compute_model
        metrics = range(len(self.metrics))
        is_cpu = [metric == CPU for metric in self.metrics]
        weights = [self.weights[f"{m}_weight"] for m in self.metrics]
        thresholds = [self.thresholds[m] for m in self.metrics]
        vcpus, memory = self._vcpus.tolist(), self._memory.tolist()
        rows = loads.tolist()
        n = len(nodes)
        totals = [sum(row) for row in rows]
        squares = [sum(x * x for x in row) for row in rows]
        free = [[f["vcpu"], f["memory"], f["disk"]]
                for f in map(model.get_node_free_resources, nodes)]
        best = 1.0
        moved: set[str] = set()
        for _score, uuid, source, destination in candidates:
            instance = model.get_instance_by_uuid(uuid)
            need = (instance.vcpus or 0, instance.memory or 0, instance.disk or 0)
            room = free[destination]
            if uuid in moved or need[0] > room[0] or need[1] > room[1] or need[2] > room[2]:
                continue
            load = self._loads[uuid].tolist()
            leaving, arriving, deviations = [], [], []
            for m in metrics:
                if is_cpu[m]:
                    out = load[m] * instance.vcpus / vcpus[source]
                    into = load[m] * instance.vcpus / vcpus[destination]
                else:
                    out, into = load[m] / memory[source], load[m] / memory[destination]
                at_source, at_destination = rows[m][source], rows[m][destination]
                total = totals[m] - out + into
                square = (squares[m] - at_source ** 2 + (at_source - out) ** 2
                          - at_destination ** 2 + (at_destination + into) ** 2)
                deviations.append(max(square / n - (total / n) ** 2, 0.0) ** 0.5)
                leaving.append(out)
                arriving.append(into)
            weighted = sum(w * d for w, d in zip(weights, deviations, strict=True))
            if weighted < best:
                best = weighted
                for m in metrics:
                    rows[m][source] -= leaving[m]
                    rows[m][destination] += arriving[m]
                    totals[m] = sum(rows[m])
                    squares[m] = sum(x * x for x in rows[m])
                if model.migrate_instance(instance, nodes[source], nodes[destination]):
                    self.add_action_migrate(instance, metric_base.LIVE, nodes[source],
                                            nodes[destination])
                    self.instance_migrations_count += 1
                    moved.add(uuid)
                    self.sd_after_audit = best
                    for k in range(3):
                        free[destination][k] -= need[k]
                        free[source][k] += need[k]
                LOG.info("Migration of %s from %s to %s reduces standard deviation to %s",
                         uuid, nodes[source].hostname, nodes[destination].hostname, best)
            if any(d < t for d, t in zip(deviations, thresholds, strict=True)):
                LOG.info("At least one metric fell below its threshold: stabilized")
                break

    def post_execute(self) -> None:
        self.solution.set_efficacy_indicators(
            instance_migrations_count=self.instance_migrations_count,
            instances_count=len(self.compute_model.get_all_instances()),
            standard_deviation_before_audit=self.sd_before_audit,
            standard_deviation_after_audit=self.sd_after_audit,
        )
