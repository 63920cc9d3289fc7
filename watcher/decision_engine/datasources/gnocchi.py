"""The gnocchi datasource: Ceilometer's measures in Gnocchi, read with python-gnocchiclient on
a keystoneauth session.

Host meters hang off the resource whose ``original_resource_id`` is ``<host>_<host>``;
instance meters off the resource whose id is the instance UUID. Instance CPU is the ``cpu``
counter (ns) read as ``rate:mean`` and turned back into a percentage of the vCPUs.

Bulk reads find every resource with one search (``in`` on ``original_resource_id`` for hosts,
on ``id`` for instances), then fetch the measures of all their metrics through the aggregates
API (``POST /v1/aggregates``, ``(metric (<id> <agg>) ...)``, a few hundred metrics a call).
When that API is refused (older Gnocchi, or the simulator, which lacks it) the helper reads
each metric's measures instead, a few requests at a time, and stops trying it for the audit.
"""

from __future__ import annotations

import datetime
from concurrent import futures
from typing import Any

from gnocchiclient import exceptions as gnocchi_exc
from gnocchiclient.v1 import client as gnocchi_client
from oslo_log import log

from watcher.common import clients
from watcher.conf import CONF
from watcher.decision_engine.datasources import base

LOG = log.getLogger(__name__)

# Answers that a retry cannot change.
_FINAL = (gnocchi_exc.NotFound, gnocchi_exc.BadRequest)
_WORKERS = 4
_AGGREGATES_CHUNK = 300


def _host_original_id(hostname: str) -> str:
    return f"{hostname}_{hostname}"


class GnocchiHelper(base.DataSourceBase):
    NAME = "gnocchi"
    METRIC_MAP = dict(host_cpu_usage="compute.node.cpu.percent",
                      host_ram_usage="hardware.memory.used",
                      host_outlet_temp="hardware.ipmi.node.outlet_temperature",
                      host_inlet_temp="hardware.ipmi.node.temperature",
                      host_airflow="hardware.ipmi.node.airflow",
                      host_power="hardware.ipmi.node.power",
                      instance_cpu_usage="cpu",
                      instance_ram_usage="memory.resident",
                      instance_ram_allocated="memory",
                      instance_l3_cache_usage="cpu_l3_cache",
                      instance_root_disk_size="disk.root.size")

    def __init__(self, osc: Any = None, now=None, session: Any = None,
                 client: Any = None) -> None:
        """``client`` (a gnocchiclient) wins over ``session`` (keystoneauth), which wins
        over ``osc`` (``OpenStackClients``)."""
        super().__init__(now)
        if client is None:
            if session is None:
                session = (osc or clients.OpenStackClients()).session()
            client = gnocchi_client.Client(session=session, adapter_options={
                "interface": CONF.gnocchi_client.endpoint_type,
                "region_name": CONF.gnocchi_client.region_name})
        self.gnocchi = client
        # (resource type, hostname or uuid) -> the Gnocchi resource holding its meters (id and
        # metric ids by name), None when Gnocchi has none.
        self._resources: dict[tuple[str, str], dict | None] = {}
        self._aggregates_usable = True

    def reset_cache(self) -> None:
        super().reset_cache()
        self._resources.clear()
        self._aggregates_usable = True

    def check_availability(self) -> str:
        status = self.query_retry(self.gnocchi.status.get)
        return "available" if status else "not available"

    def list_metrics(self) -> set[str]:
        metrics = self.query_retry(self.gnocchi.metric.list)
        return {metric["name"] for metric in metrics or []}

    # -- resources -------------------------------------------------------------------------

    @staticmethod
    def _key(resource: Any, resource_type: str) -> str:
        return resource.hostname if resource_type == "compute_node" else resource.uuid

    def _find(self, resource_type: str, keys: list[str]) -> None:
        """Look up the Gnocchi resources of hosts (by hostname) or instances (by uuid) not
        seen yet, in one search."""
        unknown = sorted({k for k in keys if (resource_type, k) not in self._resources})
        if not unknown:
            return
        if resource_type == "compute_node":
            attribute, values = "original_resource_id", [_host_original_id(h) for h in unknown]
        else:
            attribute, values = "id", list(unknown)
        query = ({"=": {attribute: values[0]}} if len(values) == 1
                 else {"in": {attribute: values}})
        found = self.query_retry(self.gnocchi.resource.search, query=query,
                                 ignored_exc=_FINAL) or []
        by_value = {r[attribute]: r for r in found}
        for key, value in zip(unknown, values, strict=True):
            # A miss is remembered too, so a resource without meters is searched once per
            # audit.
            self._resources[(resource_type, key)] = by_value.get(value)
            if value not in by_value:
                LOG.warning("gnocchi: no resource %s for %s", value, key)

    def _measure_target(self, resource: Any, resource_type: str, meter: str) -> dict | None:
        """``get_measures`` arguments naming the metric of one resource."""
        key = self._key(resource, resource_type)
        if resource_type == "compute_node":
            self._find(resource_type, [key])
        elif (resource_type, key) not in self._resources:
            # An instance's resource id is its UUID: no search needed for one read.
            return {"metric": meter, "resource_id": key}
        found = self._resources.get((resource_type, key))
        if found is None:
            return None
        metric_id = (found.get("metrics") or {}).get(meter)
        if metric_id:
            return {"metric": metric_id}
        return {"metric": meter, "resource_id": found["id"]}

    # -- measures --------------------------------------------------------------------------

    def _window(self, period: int) -> tuple[datetime.datetime, datetime.datetime]:
        stop = datetime.datetime.fromtimestamp(self.now(), datetime.timezone.utc)
        return stop - datetime.timedelta(seconds=int(period)), stop

    @staticmethod
    def _aggregation(meter_name: str, resource_type: str, aggregate: str) -> str | None:
        if aggregate == "count":
            LOG.warning("gnocchi: the count aggregate is read as mean")
            aggregate = "mean"
        if meter_name == "instance_cpu_usage":
            if resource_type != "instance":
                LOG.warning("gnocchi: instance_cpu_usage of a %s is not supported",
                            resource_type)
                return None
            # The cpu_util gauge is gone: CPU load is the rate of the cpu counter.
            if aggregate not in ("mean", "rate:mean"):
                LOG.warning("gnocchi: instance_cpu_usage supports mean only, not %s",
                            aggregate)
                return None
            return "rate:mean"
        return aggregate

    @staticmethod
    def _convert(meter_name: str, resource: Any, value: float, granularity: int) -> float:
        if meter_name == "host_airflow":
            # IPMI reports airflow in tenths of CFM.
            return value * 10
        if meter_name == "instance_cpu_usage":
            # rate:mean goes negative across a migration; ns per bucket -> percent of vCPUs.
            vcpus = getattr(resource, "vcpus", None) or 1
            return max(0.0, value) * 100 / (granularity * 10e+8) / vcpus
        return value

    def _last_value(self, resource: Any, resource_type: str, meter_name: str, period: int,
                    aggregation: str, granularity: int) -> float | None:
        target = self._measure_target(resource, resource_type, self._get_meter(meter_name))
        if target is None:
            return None
        start, stop = self._window(period)
        measures = self.query_retry(self.gnocchi.metric.get_measures, start=start, stop=stop,
                                    granularity=granularity, aggregation=aggregation,
                                    ignored_exc=_FINAL, **target)
        return self._newest(meter_name, resource, measures, granularity)

    def _newest(self, meter_name: str, resource: Any, measures: list | None,
                granularity: int) -> float | None:
        if not measures:
            return None
        # The newest bucket: (timestamp, granularity, value).
        return self._convert(meter_name, resource, measures[-1][2], granularity)

    def _aggregates(self, metric_ids: list[str], aggregation: str, period: int,
                    granularity: int) -> dict[str, list] | None:
        """``{metric id: measures}`` through the aggregates API, or None when it is not
        usable (then not tried again this audit)."""
        if not metric_ids or not self._aggregates_usable:
            return None
        start, stop = self._window(period)
        out: dict[str, list] = {}
        for first in range(0, len(metric_ids), _AGGREGATES_CHUNK):
            chunk = metric_ids[first:first + _AGGREGATES_CHUNK]
            operations = "(metric " + " ".join(f"({m} {aggregation})" for m in chunk) + ")"
            reply = self.query_retry(self.gnocchi.aggregates.fetch, operations, start=start,
                                     stop=stop, granularity=granularity, ignored_exc=_FINAL)
            try:
                measures = reply["measures"]
                out.update({m: measures.get(m, {}).get(aggregation, []) for m in chunk})
            except (TypeError, KeyError, AttributeError):
                LOG.warning("gnocchi: the aggregates API is not usable (answer %.200r); "
                            "reading metrics one by one", reply)
                self._aggregates_usable = False
                return None
        return out

    def _statistic_aggregation(self, resource: Any, resource_type: str, meter_name: str,
                               period: int, aggregate: str, granularity: int) -> float | None:
        aggregation = self._aggregation(meter_name, resource_type, aggregate)
        if aggregation is None:
            return None
        return self._last_value(resource, resource_type, meter_name, period, aggregation,
                                granularity)

    def _statistic_aggregation_all(self, resources: list, resource_type: str, meter_name: str,
                                   period: int, aggregate: str,
                                   granularity: int) -> dict[str, float | None]:
        aggregation = self._aggregation(meter_name, resource_type, aggregate)
        if aggregation is None:
            return {}
        meter = self._get_meter(meter_name)
        self._find(resource_type, [self._key(r, resource_type) for r in resources])
        targets = {base.resource_id(r): self._measure_target(r, resource_type, meter)
                   for r in resources}
        by_metric = self._aggregates(
            sorted({t["metric"] for t in targets.values() if t and "resource_id" not in t}),
            aggregation, period, granularity)
        out: dict[str, float | None] = {}
        one_by_one = []
        for resource in resources:
            target = targets[base.resource_id(resource)]
            if target is None:
                out[base.resource_id(resource)] = None
            elif by_metric is not None and target["metric"] in by_metric:
                out[base.resource_id(resource)] = self._newest(
                    meter_name, resource, by_metric[target["metric"]], granularity)
            else:
                one_by_one.append(resource)
        if len(one_by_one) == 1:
            resource = one_by_one[0]
            out[base.resource_id(resource)] = self._last_value(
                resource, resource_type, meter_name, period, aggregation, granularity)
        elif one_by_one:
            with futures.ThreadPoolExecutor(max_workers=_WORKERS) as pool:
                jobs = {base.resource_id(r): pool.submit(self._last_value, r, resource_type,
                                                         meter_name, period, aggregation,
                                                         granularity)
                        for r in one_by_one}
                out.update({rid: job.result() for rid, job in jobs.items()})
        return out

    def statistic_series(self, resource: Any = None, resource_type: str | None = None,
                         meter_name: str | None = None, start_time: Any = None,
                         end_time: Any = None, granularity: int = 300) -> dict | None:
        target = self._measure_target(resource, resource_type, self._get_meter(meter_name))
        if target is None:
            return None
        measures = self.query_retry(self.gnocchi.metric.get_measures, start=start_time,
                                    stop=end_time, granularity=granularity,
                                    ignored_exc=_FINAL, **target)
        if not measures:
            return None
        scale = 10 if meter_name == "host_airflow" else 1
        return {stamp: value * scale for stamp, _, value in measures}
