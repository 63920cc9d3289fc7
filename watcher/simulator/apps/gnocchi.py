"""Gnocchi (metric API v1): resources, metrics, archive policies, resource search and
measures, over ``gnocchi_data``'s view of the simulated cloud. Enough for
python-gnocchiclient and Watcher's Gnocchi datasource (``status.get``, ``metric.list``,
``resource.search`` by ``original_resource_id``, ``metric.get_measures`` by resource and
metric name with start/stop/granularity/aggregation) — and writes, as watcher-tempest-plugin
makes them (``gnocchi_writes``): resource and metric creation, metric deletion, measures
and the two batch calls."""

import datetime
import json
import math
from urllib.parse import urlencode

from watcher.simulator.apps import gnocchi_data as data
from watcher.simulator.apps import gnocchi_query, gnocchi_writes
from watcher.simulator.wsgi import HTTPError, ServiceApp

MAX_LIMIT = 1000
_TRUE = ("1", "true", "yes", "on")
_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 409: "Conflict", 503: "Service Unavailable"}


def parse_timestamp(text: str, name: str) -> float:
    """Gnocchi takes ISO 8601 (naive means UTC) or seconds since the epoch."""
    try:
        return float(text)
    except ValueError:
        pass
    try:
        stamp = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise HTTPError(400, f"Invalid value for {name}: {text}") from err
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=datetime.timezone.utc)
    return stamp.timestamp()


class GnocchiApp(ServiceApp):
    name = "metric"
    prefix = "/metric"
    catalog = [("metric", "gnocchi", "")]
    public_paths = (r"^/?$",)

    def __init__(self, sim) -> None:
        self.data = data.GnocchiData(sim.state)
        self.writes = gnocchi_writes.GnocchiWrites(self.data, parse_timestamp)
        super().__init__(sim)

    def routes(self) -> None:
        add = self.router.add
        add("GET", "/", self.versions)
        add("GET", "/v1", self.versions)
        add("GET", "/v1/status", self.status)
        add("GET", "/v1/capabilities", self.capabilities)
        add("GET", "/v1/archive_policy", self.list_policies)
        add("GET", "/v1/archive_policy/{policy}", self.show_policy)
        add("GET", "/v1/resource_type", self.list_resource_types)
        add("GET", "/v1/resource_type/{rtype}", self.show_resource_type)
        add("GET", "/v1/resource/{rtype}", self.list_resources)
        add("GET", "/v1/resource/{rtype}/{rid}", self.show_resource)
        add("GET", "/v1/resource/{rtype}/{rid}/metric", self.resource_metrics)
        add("GET", "/v1/resource/{rtype}/{rid}/metric/{name}", self.resource_metric)
        add("GET", "/v1/resource/{rtype}/{rid}/metric/{name}/measures",
            self.resource_measures)
        add("POST", "/v1/search/resource/{rtype}", self.search_resources)
        add("GET", "/v1/metric", self.list_metrics)
        add("GET", "/v1/metric/{mid}", self.show_metric)
        add("GET", "/v1/metric/{mid}/measures", self.metric_measures)
        add("POST", "/v1/resource/{rtype}", self.create_resource)
        add("POST", "/v1/resource/{rtype}/{rid}/metric", self.add_resource_metrics)
        add("DELETE", "/v1/resource/{rtype}/{rid}/metric/{name}", self.delete_resource_metric)
        add("POST", "/v1/metric", self.create_metric)
        add("DELETE", "/v1/metric/{mid}", self.delete_metric)
        add("POST", "/v1/metric/{mid}/measures", self.post_measures)
        add("POST", "/v1/resource/{rtype}/{rid}/metric/{name}/measures",
            self.post_resource_measures)
        add("POST", "/v1/batch/metrics/measures", self.batch_metric_measures)
        add("POST", "/v1/batch/resources/metrics/measures", self.batch_resource_measures)

    def error_body(self, status: int, message: str) -> dict:
        return {"code": status, "description": message, "title": _TITLES.get(status, "Error")}

    def versions(self, ctx):
        return 200, {"build": "4.6.0", "versions": [{
            "id": "v1.0", "status": "CURRENT", "updated": "2015-03-19T00:00:00+00:00",
            "links": [{"href": ctx.base_url + "/v1/", "rel": "self"}]}]}

    def status(self, ctx):
        self.data.refresh()
        return 200, {"storage": {"summary": {"metrics": 0, "measures": 0}},
                     "metricd": {"processors": ["simulator"],
                                 "statistics": {"metrics processed": len(self.data.metrics)}}}

    def capabilities(self, ctx):
        methods = data.ARCHIVE_POLICIES["ceilometer-low-rate"]["aggregation_methods"]
        return 200, {"aggregation_methods": methods, "dynamic_aggregation_methods": [
            "aggregate", "resample", "rolling", "metric", "fill"]}

    # -- archive policies and resource types ---------------------------------------------------

    @staticmethod
    def _policy_doc(name: str) -> dict:
        policy = data.ARCHIVE_POLICIES[name]
        return {"name": name, "back_window": 0,
                "aggregation_methods": policy["aggregation_methods"],
                "definition": [{"granularity": _span(g), "timespan": _span(t),
                                "points": int(t // g)} for g, t in policy["definition"]]}

    def list_policies(self, ctx):
        return 200, [self._policy_doc(name) for name in sorted(data.ARCHIVE_POLICIES)]

    def show_policy(self, ctx, policy: str):
        if policy not in data.ARCHIVE_POLICIES:
            raise HTTPError(404, f"Archive policy {policy} does not exist")
        return 200, self._policy_doc(policy)

    @staticmethod
    def _type_doc(name: str) -> dict:
        attributes = {attr: {"type": "string", "required": False, "min_length": 0,
                             "max_length": 255} for attr in data.RESOURCE_TYPES[name]}
        return {"name": name, "state": "active", "attributes": attributes}

    def list_resource_types(self, ctx):
        return 200, [self._type_doc(name) for name in data.RESOURCE_TYPES]

    def _check_type(self, rtype: str) -> None:
        if rtype not in data.RESOURCE_TYPES:
            raise HTTPError(404, f"Resource type {rtype} does not exist")

    def show_resource_type(self, ctx, rtype: str):
        self._check_type(rtype)
        return 200, self._type_doc(rtype)

    # -- resources -----------------------------------------------------------------------------

    def _resources(self, rtype: str, details: bool) -> list[dict]:
        self._check_type(rtype)
        self.data.refresh()
        # Listing "generic" returns every resource with only the generic attributes.
        return [self.data.resource_doc(r, details or rtype != "generic")
                for r in self.data.resources.values() if rtype in ("generic", r.type)]

    def list_resources(self, ctx, rtype: str):
        details = (ctx.query("details") or "").lower() in _TRUE
        return self._page(ctx, self._resources(rtype, details))

    def search_resources(self, ctx, rtype: str):
        details = (ctx.query("details") or "").lower() in _TRUE
        items = self._resources(rtype, details)
        try:
            text = ctx.query("filter")
            query = gnocchi_query.parse_filter(text) if text else ctx.json() if ctx.req.body else {}
        except ValueError as err:
            raise HTTPError(400, str(err)) from err
        if query:
            full = {doc["id"]: doc for doc in self._resources(rtype, True)}
            try:
                items = [doc for doc in items if gnocchi_query.matches(query, full[doc["id"]])]
            except ValueError as err:
                raise HTTPError(400, str(err)) from err
        return self._page(ctx, items)

    def _resource(self, rtype: str, rid: str) -> data.Resource:
        self._check_type(rtype)
        resource = self.data.find_resource(rid)
        if resource is None or rtype not in ("generic", resource.type):
            raise HTTPError(404, f"Resource {rid} does not exist")
        return resource

    def show_resource(self, ctx, rtype: str, rid: str):
        resource = self._resource(rtype, rid)
        return 200, self.data.resource_doc(resource, rtype != "generic")

    def resource_metrics(self, ctx, rtype: str, rid: str):
        resource = self._resource(rtype, rid)
        return 200, [self.data.metric_doc(self.data.metrics[mid])
                     for mid in resource.metrics.values()]

    def _named_metric(self, rtype: str, rid: str, name: str) -> data.Metric:
        resource = self._resource(rtype, rid)
        metric_id = resource.metrics.get(name)
        if metric_id is None:
            raise HTTPError(404, f"Metric {name} does not exist")
        return self.data.metrics[metric_id]

    def resource_metric(self, ctx, rtype: str, rid: str, name: str):
        return 200, self._metric_detail(self._named_metric(rtype, rid, name))

    def resource_measures(self, ctx, rtype: str, rid: str, name: str):
        return self._measures(ctx, self._named_metric(rtype, rid, name))

    # -- metrics -------------------------------------------------------------------------------

    def _metric(self, mid: str) -> data.Metric:
        self.data.refresh()
        metric = self.data.metrics.get(mid)
        if metric is None:
            raise HTTPError(404, f"Metric {mid} does not exist")
        return metric

    def _metric_detail(self, metric: data.Metric) -> dict:
        doc = self.data.metric_doc(metric)
        doc["archive_policy"] = self._policy_doc(metric.archive_policy)
        doc["resource"] = (self.data.resource_doc(metric.resource, False)
                           if metric.resource else None)
        return doc

    def list_metrics(self, ctx):
        self.data.refresh()
        return self._page(ctx, [self.data.metric_doc(m) for m in self.data.metrics.values()])

    def show_metric(self, ctx, mid: str):
        return 200, self._metric_detail(self._metric(mid))

    def metric_measures(self, ctx, mid: str):
        return self._measures(ctx, self._metric(mid))

    def _measures(self, ctx, metric: data.Metric):
        policy = data.ARCHIVE_POLICIES[metric.archive_policy]
        aggregation = ctx.query("aggregation") or "mean"
        start = ctx.query("start")
        stop = ctx.query("stop")
        start_at = parse_timestamp(start, "start") if start else None
        stop_at = parse_timestamp(stop, "stop") if stop else None
        if ctx.query("resample"):
            raise HTTPError(400, "Invalid value for resample: not supported by the simulator")
        raw = ctx.query("granularity")
        granularities = [g for g, _ in policy["definition"]]
        if raw:
            try:
                wanted = float(raw)
            except ValueError as err:
                raise HTTPError(400, f"Invalid value for granularity: {raw}") from err
            granularities = [g for g in granularities if g == wanted] or [wanted]
        out = []
        for granularity in sorted(granularities, reverse=True):
            if aggregation not in policy["aggregation_methods"] or granularity not in dict(
                    policy["definition"]):
                raise HTTPError(404, f"Aggregation method '{aggregation}' at granularity "
                                     f"'{granularity}' for metric {metric.id} does not exist")
            for at, gran, value in self.data.measures(metric, aggregation, granularity,
                                                      start_at, stop_at):
                if not math.isnan(value):
                    out.append([data.isotime(at), gran, value])
        return 200, out

    # -- writes --------------------------------------------------------------------------------

    @staticmethod
    def _body(ctx):
        try:
            return json.loads(ctx.req.body or b"null")
        except ValueError as err:
            raise HTTPError(400, "Invalid input: malformed JSON body") from err

    def _object_body(self, ctx) -> dict:
        body = self._body(ctx)
        if not isinstance(body, dict):
            raise HTTPError(400, "Invalid input: expected a JSON object")
        return body

    def create_resource(self, ctx, rtype: str):
        self._check_type(rtype)
        resource = self.writes.create_resource(rtype, self._object_body(ctx), ctx.user_id,
                                               ctx.project_id)
        self.data.refresh()
        location = f"{ctx.base_url}/v1/resource/{rtype}/{resource.id}"
        return 201, self.data.resource_doc(resource, True), {"Location": location}

    def add_resource_metrics(self, ctx, rtype: str, rid: str):
        resource = self._resource(rtype, rid)
        self.writes.add_resource_metrics(resource, self._object_body(ctx))
        return self.resource_metrics(ctx, rtype, rid)

    def delete_resource_metric(self, ctx, rtype: str, rid: str, name: str):
        self.writes.delete_metric(self._named_metric(rtype, rid, name))
        return 204, None

    def create_metric(self, ctx):
        metric = self.writes.create_metric(self._object_body(ctx))
        self.data.refresh()
        location = f"{ctx.base_url}/v1/metric/{metric.id}"
        return 201, self._metric_detail(metric), {"Location": location}

    def delete_metric(self, ctx, mid: str):
        self.writes.delete_metric(self._metric(mid))
        return 204, None

    def post_measures(self, ctx, mid: str):
        metric = self._metric(mid)
        self.writes.add_measures(metric, self.writes.parse_measures(self._body(ctx)))
        return 202, None

    def post_resource_measures(self, ctx, rtype: str, rid: str, name: str):
        metric = self._named_metric(rtype, rid, name)
        self.writes.add_measures(metric, self.writes.parse_measures(self._body(ctx)))
        return 202, None

    def batch_metric_measures(self, ctx):
        self.writes.batch_metrics(self._body(ctx))
        return 202, None

    def batch_resource_measures(self, ctx):
        create = (ctx.query("create_metrics") or "").lower() in _TRUE
        self.writes.batch_resources(self._body(ctx), create)
        return 202, None

    # -- paging --------------------------------------------------------------------------------

    def _page(self, ctx, items: list[dict]):
        limit = ctx.int_query("limit", MAX_LIMIT)
        if limit == 0 or limit > MAX_LIMIT:
            raise HTTPError(400, f"Invalid value for limit: {limit}")
        sorts = ctx.req.GET.getall("sort") or ["id:asc"]
        for sort in reversed(sorts):
            key, _, direction = sort.partition(":")
            descending = direction.split("-")[0] == "desc"
            items = sorted(items, key=lambda doc, k=key: (doc.get(k) is None, doc.get(k) or ""),
                           reverse=descending)
        marker = ctx.query("marker")
        if marker:
            ids = [doc["id"] for doc in items]
            if marker not in ids:
                raise HTTPError(400, f"Invalid marker: `{marker}'")
            items = items[ids.index(marker) + 1:]
        page = items[:limit]
        headers = {}
        if len(page) == limit and len(items) > limit:
            query = urlencode([("limit", limit), ("marker", page[-1]["id"])]
                              + [("sort", s) for s in sorts])
            headers["Link"] = f'<{ctx.req.path_url}?{query}>; rel="next"'
        return 200, page, headers


def _span(seconds: float) -> str:
    """Gnocchi writes granularities and timespans as ``0:05:00`` / ``30 days, 0:00:00``."""
    return str(datetime.timedelta(seconds=seconds))
