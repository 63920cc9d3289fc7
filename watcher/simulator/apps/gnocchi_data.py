"""Gnocchi's view of the simulated cloud: resources, metrics, archive policy and measures.

Resources are what Ceilometer's Gnocchi publisher creates: an ``instance`` per server (id =
server uuid) and a ``host`` per hypervisor whose ``original_resource_id`` is
``<host>_<host>``, the id Watcher's Gnocchi datasource searches for. Watcher reads every host
meter (CPU, memory and the IPMI ones) from that one resource, so they all hang off it here.
Measures are computed on demand from the scenario's series: raw samples every
``POLL_INTERVAL`` seconds (Ceilometer's default polling interval), aggregated per granularity
bucket like Gnocchi's carbonara (``mean``, ``max``..., and ``rate:<agg>`` as the difference
between consecutive buckets, which is how Watcher turns the ``cpu`` counter into a load).

Clients may also write, as watcher-tempest-plugin does before an audit (``gnocchi_writes``
parses the requests): resources they create join the catalog, a metric they create holds the
measures they post and, named on a resource, takes the place of the simulated metric of that
name, which they delete first.
"""

import datetime
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from watcher.simulator.apps.cumulative import Counters

POLL_INTERVAL = 300.0
_BASIC_AGGREGATIONS: dict[str, Callable[[list[float]], float]] = {
    "mean": statistics.fmean,
    "min": min,
    "max": max,
    "sum": math.fsum,
    "count": lambda values: float(len(values)),
    "first": lambda values: values[0],
    "last": lambda values: values[-1],
    "median": statistics.median,
    "std": lambda values: statistics.stdev(values) if len(values) > 1 else math.nan,
}
_GNOCCHI_DEFAULT_METHODS = ["count", "max", "mean", "min", "std", "sum"]
# Ceilometer's policies (5 minutes kept for 30 days); they offer more aggregation methods
# than Ceilometer creates them with, because Watcher's strategies ask for max and min too.
# low, medium and high are the ones gnocchi-upgrade creates, for clients' own metrics.
ARCHIVE_POLICIES = {
    "ceilometer-low": {"definition": [(300.0, 30 * 86400.0)],
                       "aggregation_methods": sorted(_BASIC_AGGREGATIONS)},
    "ceilometer-low-rate": {"definition": [(300.0, 30 * 86400.0)],
                            "aggregation_methods": sorted(
                                list(_BASIC_AGGREGATIONS)
                                + [f"rate:{name}" for name in _BASIC_AGGREGATIONS])},
    "low": {"definition": [(300.0, 30 * 86400.0)],
            "aggregation_methods": _GNOCCHI_DEFAULT_METHODS},
    "medium": {"definition": [(60.0, 7 * 86400.0), (3600.0, 365 * 86400.0)],
               "aggregation_methods": _GNOCCHI_DEFAULT_METHODS},
    "high": {"definition": [(1.0, 3600.0), (60.0, 7 * 86400.0), (3600.0, 365 * 86400.0)],
             "aggregation_methods": _GNOCCHI_DEFAULT_METHODS},
}
INSTANCE_ATTRIBUTES = ("display_name", "flavor_id", "flavor_name", "host", "image_ref",
                       "launched_at", "created_at", "deleted_at", "server_group")
HOST_ATTRIBUTES = ("host_name",)
RESOURCE_TYPES = {"generic": (), "instance": INSTANCE_ATTRIBUTES, "host": HOST_ATTRIBUTES}
_KIB_PER_MIB = 1024


@dataclass
class MetricDef:
    name: str
    unit: str
    counter: bool = False

    @property
    def archive_policy(self) -> str:
        return "ceilometer-low-rate" if self.counter else "ceilometer-low"


HOST_METRICS = [
    MetricDef("compute.node.cpu.percent", "%"),
    MetricDef("hardware.memory.used", "KB"),
    MetricDef("hardware.memory.total", "KB"),
    MetricDef("hardware.ipmi.node.power", "W"),
    MetricDef("hardware.ipmi.node.temperature", "C"),
    MetricDef("hardware.ipmi.node.outlet_temperature", "C"),
    MetricDef("hardware.ipmi.node.airflow", "CFM"),
]
SERVER_METRICS = [
    MetricDef("cpu", "ns", counter=True),
    MetricDef("memory.usage", "MB"),
    MetricDef("memory.resident", "MB"),
    MetricDef("memory", "MB"),
    MetricDef("vcpus", "vcpu"),
    MetricDef("disk.root.size", "GB"),
]


@dataclass
class Resource:
    id: str
    type: str
    original_id: str
    ref: str | None  # hypervisor name or server id; None for a resource a client created
    project_id: str | None
    user_id: str | None
    metrics: dict[str, str] = field(default_factory=dict)  # name -> metric id
    # What a client created it with: its type's attributes and when it started.
    attributes: dict = field(default_factory=dict)
    started_at: float = 0.0


@dataclass
class Metric:
    id: str
    definition: MetricDef
    resource: Resource | None
    # A metric a client created: its archive policy and the (timestamp, value) it posted.
    policy: str = ""
    points: list[tuple[float, float]] | None = None

    @property
    def archive_policy(self) -> str:
        return self.policy or self.definition.archive_policy


def isotime(at: float) -> str:
    stamp = datetime.datetime.fromtimestamp(at, datetime.timezone.utc)
    return stamp.isoformat()


class GnocchiData:
    def __init__(self, state) -> None:
        self.state = state
        self.counters = Counters(state.clock, POLL_INTERVAL)
        self._signature: tuple | None = None
        self.resources: dict[str, Resource] = {}
        self.by_original: dict[str, Resource] = {}
        self.metrics: dict[str, Metric] = {}
        self.posted_resources: dict[str, Resource] = {}
        self.posted_metrics: dict[str, Metric] = {}
        self.deleted_metrics: set[str] = set()

    def refresh(self) -> None:
        """Rebuild the catalog when hypervisors or servers came or went, or a client wrote."""
        state = self.state
        signature = (len(state.hypervisors), hash(tuple(state.servers)))
        with state.lock:
            if signature == self._signature:
                return
            resources: dict[str, Resource] = {}
            for hypervisor in state.hypervisor_order:
                original = f"{hypervisor.name}_{hypervisor.name}"
                resource = Resource(state.make_id("gnocchi-resource", original), "host",
                                    original, hypervisor.name, None, None)
                resources[resource.id] = resource
            for server in state.servers.values():
                resources[server.id] = Resource(server.id, "instance", server.id, server.id,
                                                server.project_id, server.user_id)
            metrics: dict[str, Metric] = {}
            for resource in resources.values():
                defs = HOST_METRICS if resource.type == "host" else SERVER_METRICS
                for definition in defs:
                    metric_id = state.make_id("gnocchi-metric",
                                              f"{resource.original_id}:{definition.name}")
                    if metric_id not in self.deleted_metrics:
                        resource.metrics[definition.name] = metric_id
                        metrics[metric_id] = Metric(metric_id, definition, resource)
            self._merge_posted(resources, metrics)
            self.resources = resources
            self.by_original = {r.original_id: r for r in resources.values()}
            self.metrics = metrics
            self._signature = signature

    def _merge_posted(self, resources: dict[str, Resource], metrics: dict[str, Metric]) -> None:
        resources.update(self.posted_resources)
        for metric in list(self.posted_metrics.values()):
            if metric.resource is None:
                metrics[metric.id] = metric
                continue
            resource = resources.get(metric.resource.id)
            if resource is None:
                # Its server was deleted: Gnocchi deletes a resource's metrics with it.
                del self.posted_metrics[metric.id]
                continue
            metric.resource = resource
            resource.metrics[metric.definition.name] = metric.id
            metrics[metric.id] = metric

    def written(self) -> None:
        """A client created or deleted something: the next refresh rebuilds the catalog."""
        with self.state.lock:
            self._signature = None

    def find_resource(self, resource_id: str) -> Resource | None:
        self.refresh()
        return self.resources.get(resource_id) or self.by_original.get(resource_id)

    # -- documents -----------------------------------------------------------------------------

    def resource_doc(self, resource: Resource, details: bool) -> dict:
        state = self.state
        admin = state.admin_user
        creator_project = admin.default_project_id
        started = self._started_at(resource)
        doc = {
            "id": resource.id, "type": resource.type,
            "original_resource_id": resource.original_id,
            "project_id": resource.project_id, "user_id": resource.user_id,
            "created_by_user_id": admin.id, "created_by_project_id": creator_project,
            "creator": f"{admin.id}:{creator_project}", "started_at": isotime(started),
            "ended_at": None, "revision_start": isotime(started), "revision_end": None,
            "metrics": dict(resource.metrics),
        }
        if not details:
            return doc
        if resource.ref is None:
            doc.update({name: resource.attributes.get(name)
                        for name in RESOURCE_TYPES[resource.type]})
            return doc
        if resource.type == "host":
            doc["host_name"] = resource.ref
            return doc
        server = state.servers[resource.ref]
        flavor = state.flavors[server.flavor_id]
        doc.update({
            "display_name": server.name, "flavor_id": flavor.id, "flavor_name": flavor.name,
            "host": server.host, "image_ref": server.image_id,
            "launched_at": isotime(server.launched_at) if server.launched_at else None,
            "created_at": isotime(server.created_at), "deleted_at": None,
            "server_group": server.group_id})
        return doc

    def _started_at(self, resource: Resource) -> float:
        if resource.ref is None:
            return resource.started_at
        if resource.type == "instance":
            return self.state.servers[resource.ref].created_at
        return self.state.clock.start - 86400.0

    def metric_doc(self, metric: Metric) -> dict:
        admin = self.state.admin_user
        return {"id": metric.id, "archive_policy_name": metric.archive_policy,
                "creator": f"{admin.id}:{admin.default_project_id}",
                "created_by_user_id": admin.id,
                "created_by_project_id": admin.default_project_id,
                "name": metric.definition.name, "unit": metric.definition.unit,
                "resource_id": metric.resource.id if metric.resource else None}

    # -- measures ------------------------------------------------------------------------------

    def _sample(self, metric: Metric, at: float) -> float:
        """The gauge value, or for ``cpu`` the rate the counter grows at."""
        state, name, ref = self.state, metric.definition.name, metric.resource.ref
        values = state.metrics
        if metric.resource.type == "host":
            hypervisor = state.hypervisors_by_name[ref]
            if name == "compute.node.cpu.percent":
                return values.host_value(ref, "cpu_util", at)
            if name == "hardware.memory.used":
                return (values.host_value(ref, "memory_util", at) / 100.0
                        * hypervisor.memory_mb * _KIB_PER_MIB)
            if name == "hardware.memory.total":
                return float(hypervisor.memory_mb * _KIB_PER_MIB)
            if name == "hardware.ipmi.node.power":
                return values.host_value(ref, "power", at)
            if name == "hardware.ipmi.node.temperature":
                return values.host_value(ref, "inlet_temp", at)
            if name == "hardware.ipmi.node.outlet_temperature":
                return values.host_value(ref, "outlet_temp", at)
            # IPMI reports airflow in tenths of CFM; Watcher multiplies it back by ten.
            return values.host_value(ref, "airflow", at) / 10.0
        server = state.servers[ref]
        flavor = state.flavors[server.flavor_id]
        if name == "cpu":
            return values.server_value(ref, "cpu_util", at) / 100.0 * flavor.vcpus * 1e9
        if name in ("memory.usage", "memory.resident"):
            return values.server_value(ref, "memory_util", at) / 100.0 * flavor.ram
        return float({"memory": flavor.ram, "vcpus": flavor.vcpus,
                      "disk.root.size": flavor.disk}[name])

    def _version(self, metric: Metric) -> tuple:
        state = self.state
        if metric.resource.type == "host":
            # Under the state lock: a migration may be changing the host's server set.
            with state.lock:
                hypervisor = state.hypervisors_by_name[metric.resource.ref]
                return (hypervisor.rev, state.host_powered_on(hypervisor.name),
                        sum(state.servers[sid].rev for sid in hypervisor.servers))
        server = state.servers[metric.resource.ref]
        return server.rev, server.status, server.host, server.flavor_id

    def _raw(self, metric: Metric, first: int, last: int) -> list[float]:
        if metric.definition.counter:
            return self.counters.values(("gnocchi", metric.id),
                                        lambda at: self._sample(metric, at),
                                        self._version(metric), first, last)
        return [self._sample(metric, k * POLL_INTERVAL) for k in range(first, last + 1)]

    def measures(self, metric: Metric, aggregation: str, granularity: float,
                 start: float | None, stop: float | None) -> list[tuple[float, float, float]]:
        """``(bucket start, granularity, value)`` for buckets in ``[start, stop)``."""
        timespan = dict(ARCHIVE_POLICIES[metric.archive_policy]["definition"])[granularity]
        if metric.points is not None:
            return self._posted_measures(metric, aggregation, granularity, timespan, start,
                                         stop)
        now = self.state.clock.now()
        rate = aggregation.startswith("rate:")
        oldest = max(self.counters.first_index() * POLL_INTERVAL,
                     self._started_at(metric.resource), now - timespan)
        first_bucket = math.floor(oldest / granularity) * granularity
        wanted_from = first_bucket if start is None else max(
            first_bucket, math.floor(start / granularity) * granularity)
        # A rate needs the bucket before the first one shown.
        from_bucket = max(first_bucket, wanted_from - granularity) if rate else wanted_from
        until = now if stop is None else min(now, stop)
        first_k = math.ceil(max(from_bucket, oldest) / POLL_INTERVAL)
        last_k = math.floor(min(now, until + granularity) / POLL_INTERVAL)
        if last_k < first_k:
            return []
        samples = zip([k * POLL_INTERVAL for k in range(first_k, last_k + 1)],
                      self._raw(metric, first_k, last_k), strict=True)
        return aggregate(samples, aggregation, granularity, wanted_from, stop)

    @staticmethod
    def _posted_measures(metric: Metric, aggregation: str, granularity: float,
                         timespan: float, start: float | None,
                         stop: float | None) -> list[tuple[float, float, float]]:
        if not metric.points:
            return []
        # Gnocchi keeps a granularity's timespan back from its newest point.
        newest = math.floor(max(at for at, _ in metric.points) / granularity) * granularity
        kept = [(at, value) for at, value in metric.points if at >= newest - timespan]
        wanted_from = None if start is None else math.floor(start / granularity) * granularity
        return aggregate(kept, aggregation, granularity, wanted_from, stop)


def aggregate(samples, aggregation: str, granularity: float, wanted_from: float | None,
              stop: float | None) -> list[tuple[float, float, float]]:
    """Carbonara's aggregation of ``(timestamp, value)`` samples into granularity buckets:
    ``(bucket start, granularity, value)`` for buckets in ``[wanted_from, stop)``; a
    ``rate:`` aggregation is the difference from the bucket before."""
    rate = aggregation.startswith("rate:")
    combine = _BASIC_AGGREGATIONS[aggregation.removeprefix("rate:")]
    buckets: dict[float, list[float]] = {}
    for at, value in samples:
        bucket = math.floor(at / granularity) * granularity
        buckets.setdefault(bucket, []).append(value)
    points = [(bucket, combine(values)) for bucket, values in sorted(buckets.items())]
    if rate:
        points = [(b, v - before) for (_, before), (b, v) in zip(points, points[1:],
                                                                strict=False)]
    return [(b, granularity, v) for b, v in points
            if (wanted_from is None or b >= wanted_from) and (stop is None or b < stop)]
