"""Writes to the simulated Gnocchi: the request bodies of resource and metric creation and of
measures, checked as Gnocchi checks them, applied to ``gnocchi_data``'s catalog.

Ids: a resource id that is not a UUID becomes one (Gnocchi's ``ResourceUUID``; here the
simulator's stable ids) and is kept as ``original_resource_id``. Metric ids count up from the
scenario's seed, so a replayed run writes the same ids.
"""

from __future__ import annotations

import itertools
import math
import uuid

from watcher.simulator.apps import gnocchi_data as data
from watcher.simulator.wsgi import HTTPError

# Resource fields every type has, besides its own attributes.
_GENERIC_FIELDS = ("id", "user_id", "project_id", "started_at", "ended_at", "metrics")


class GnocchiWrites:
    def __init__(self, catalog: data.GnocchiData, parse_timestamp) -> None:
        self.catalog = catalog
        self.parse_timestamp = parse_timestamp
        self._metric_numbers = itertools.count(1)

    # -- resources -------------------------------------------------------------------------

    def create_resource(self, rtype: str, body: dict, user_id: str | None,
                        project_id: str | None) -> data.Resource:
        catalog = self.catalog
        original = body.get("id")
        if not isinstance(original, str) or not original:
            raise HTTPError(400, "Invalid input: required key not provided @ data['id']")
        extra = sorted(set(body) - set(_GENERIC_FIELDS) - set(data.RESOURCE_TYPES[rtype]))
        if extra:
            raise HTTPError(400, f"Invalid input: extra keys not allowed @ data['{extra[0]}']")
        resource_id = _resource_uuid(catalog, original)
        if catalog.find_resource(resource_id) or catalog.find_resource(original):
            raise HTTPError(409, f"Resource {resource_id} already exists")
        started = body.get("started_at")
        resource = data.Resource(
            resource_id, rtype, original, None, body.get("project_id", project_id),
            body.get("user_id", user_id),
            attributes={name: body.get(name) for name in data.RESOURCE_TYPES[rtype]},
            started_at=(self.parse_timestamp(started, "started_at") if started
                        else catalog.state.clock.now()))
        metrics = body.get("metrics") or {}
        if not isinstance(metrics, dict):
            raise HTTPError(400, "Invalid input: expected a dictionary @ data['metrics']")
        # Checked before anything is stored: a refused request leaves nothing behind.
        specs = {name: self._metric_spec(spec) for name, spec in metrics.items()}
        with catalog.state.lock:
            catalog.posted_resources[resource_id] = resource
            for name, (policy, unit) in specs.items():
                self._add_metric(name, policy, unit, resource)
        catalog.written()
        return resource

    # -- metrics ---------------------------------------------------------------------------

    def _metric_spec(self, spec) -> tuple[str, str | None]:
        if not isinstance(spec, dict):
            raise HTTPError(400, "Invalid input: metrics are given as "
                                 "{name: {archive_policy_name, unit}}")
        policy = spec.get("archive_policy_name")
        if not policy:
            raise HTTPError(400, "Invalid input: required key not provided @ "
                                 "data['archive_policy_name']")
        if policy not in data.ARCHIVE_POLICIES:
            raise HTTPError(400, f"Archive policy {policy} does not exist")
        return policy, spec.get("unit")

    def _add_metric(self, name: str | None, policy: str, unit: str | None,
                    resource: data.Resource | None) -> data.Metric:
        state = self.catalog.state
        metric_id = state.make_id("gnocchi-posted-metric", str(next(self._metric_numbers)))
        metric = data.Metric(metric_id, data.MetricDef(name or "", unit or ""), resource,
                             policy=policy, points=[])
        self.catalog.posted_metrics[metric_id] = metric
        return metric

    def create_metric(self, body: dict) -> data.Metric:
        catalog = self.catalog
        policy, unit = self._metric_spec(body)
        name = body.get("name")
        resource = None
        if body.get("resource_id"):
            if not name:
                raise HTTPError(400, "Invalid input: a metric of a resource needs a name")
            resource = catalog.find_resource(str(body["resource_id"]))
            if resource is None:
                raise HTTPError(400, f"Invalid input: Resource {body['resource_id']} does "
                                     "not exist")
            if name in resource.metrics:
                raise HTTPError(409, f"Named metric {name} already exists")
        with catalog.state.lock:
            metric = self._add_metric(name, policy, unit, resource)
        catalog.written()
        return metric

    def add_resource_metrics(self, resource: data.Resource, body: dict) -> None:
        """``POST /v1/resource/<type>/<id>/metric``: ``{name: {archive_policy_name, unit}}``."""
        taken = sorted(set(body) & set(resource.metrics))
        if taken:
            raise HTTPError(409, f"Named metric {taken[0]} already exists")
        specs = {name: self._metric_spec(spec) for name, spec in body.items()}
        with self.catalog.state.lock:
            for name, (policy, unit) in specs.items():
                self._add_metric(name, policy, unit, resource)
        self.catalog.written()

    def delete_metric(self, metric: data.Metric) -> None:
        catalog = self.catalog
        with catalog.state.lock:
            if catalog.posted_metrics.pop(metric.id, None) is None:
                catalog.deleted_metrics.add(metric.id)
            if metric.resource is not None:
                metric.resource.metrics.pop(metric.definition.name, None)
        catalog.written()

    # -- measures --------------------------------------------------------------------------

    def parse_measures(self, body) -> list[tuple[float, float]]:
        if not isinstance(body, list):
            raise HTTPError(400, "Invalid input: expected a list of measures")
        out = []
        for measure in body:
            if not isinstance(measure, dict) or "timestamp" not in measure \
                    or "value" not in measure:
                raise HTTPError(400, "Invalid input: a measure is {timestamp, value}")
            try:
                value = float(measure["value"])
            except (TypeError, ValueError) as err:
                raise HTTPError(400, f"Invalid input: invalid value {measure['value']!r}") \
                    from err
            if math.isnan(value) or math.isinf(value):
                raise HTTPError(400, f"Invalid input: invalid value {measure['value']!r}")
            out.append((self.parse_timestamp(str(measure["timestamp"]), "timestamp"), value))
        return out

    def add_measures(self, metric: data.Metric, points: list[tuple[float, float]]) -> None:
        if metric.points is None:
            # Ceilometer feeds the simulated metrics; they take no client measures.
            raise HTTPError(400, f"Invalid input: metric {metric.id} is computed by the "
                                 "simulator and takes no measures")
        with self.catalog.state.lock:
            metric.points.extend(points)

    def batch_metrics(self, body) -> None:
        """``POST /v1/batch/metrics/measures``: ``{metric id: [measures]}``."""
        if not isinstance(body, dict):
            raise HTTPError(400, "Invalid input: expected {metric id: [measures]}")
        self.catalog.refresh()
        known = self.catalog.metrics
        unknown = sorted(mid for mid in body if mid not in known)
        if unknown:
            raise HTTPError(400, "Unknown metrics: " + ", ".join(unknown))
        parsed = {mid: self.parse_measures(measures) for mid, measures in body.items()}
        for mid, points in parsed.items():
            self.add_measures(known[mid], points)

    def batch_resources(self, body, create_metrics: bool) -> None:
        """``POST /v1/batch/resources/metrics/measures``: ``{resource id: {metric name:
        [measures] or {archive_policy_name, unit, measures}}}``; with ``create_metrics``
        the named metrics a resource lacks are created first."""
        if not isinstance(body, dict) or not all(isinstance(v, dict) for v in body.values()):
            raise HTTPError(400, "Invalid input: expected {resource id: {metric name: "
                                 "measures}}")
        catalog = self.catalog
        work, missing = [], []
        for rid, by_name in body.items():
            resource = catalog.find_resource(rid)
            for name, given in by_name.items():
                measures = given.get("measures") if isinstance(given, dict) else given
                metric_id = resource.metrics.get(name) if resource else None
                if metric_id is None and not (resource and create_metrics
                                              and isinstance(given, dict)):
                    missing.append(f"{rid}/{name}")
                    continue
                work.append((resource, name, given, metric_id,
                             self.parse_measures(measures)))
        if missing:
            raise HTTPError(400, "Unknown metrics: " + ", ".join(sorted(missing)))
        for resource, name, given, metric_id, points in work:
            if metric_id is None:
                metric = self.create_metric({**given, "name": name,
                                             "resource_id": resource.id})
            else:
                metric = catalog.metrics[metric_id]
            self.add_measures(metric, points)


def _resource_uuid(catalog: data.GnocchiData, original: str) -> str:
    try:
        return str(uuid.UUID(original))
    except ValueError:
        return catalog.state.make_id("gnocchi-resource", original)
