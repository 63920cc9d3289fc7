"""The gnocchi datasource: Ceilometer's measures in Gnocchi, read with python-gnocchiclient on
a keystoneauth session.

Host meters hang off the resource whose ``original_resource_id`` is ``<host>_<host>``;
instance meters off the resource whose id is the instance UUID. Instance CPU is the ``cpu``
counter (ns) read as ``rate:mean`` and turned back into a percentage of the vCPUs.

Bulk reads find every host resource with one search (``in`` on ``original_resource_id``) and
then read each resource's measures by metric id, a few requests at a time.
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

    def __init__(self, osc: Any = None, now=None, session: Any = None) -> None:
        """``session`` (keystoneauth) wins over ``osc`` (``OpenStackClients``)."""
        super().__init__(now)
        if session is None:
            session = (osc or clients.OpenStackClients()).session()
        self.gnocchi = gnocchi_client.Client(session=session, adapter_options={
            "interface": CONF.gnocchi_client.endpoint_type,
            "region_name": CONF.gnocchi_client.region_name})
        # hostname -> the Gnocchi resource holding its meters (id and metric ids by name),
        # None when Gnocchi has none.
        self._host_resources: dict[str, dict | None] = {}

    def reset_cache(self) -> None:
        super().reset_cache()
        self._host_resources.clear()

    def check_availability(self) -> str:
        status = self.query_retry(self.gnocchi.status.get)
        return "available" if status else "not available"

    def list_metrics(self) -> set[str]:
        metrics = self.query_retry(self.gnocchi.metric.list)
        return {metric["name"] for metric in metrics or []}

    # -- resources -------------------------------------------------------------------------

    def _find_hosts(self, hostnames: list[str]) -> None:
        """Look up the Gnocchi resources of hosts not seen yet, in one search."""
        unknown = sorted({h for h in hostnames if h not in self._host_resources})
        if not unknown:
            return
        originals = [_host_original_id(h) for h in unknown]
        query = ({"=": {"original_resource_id": originals[0]}} if len(originals) == 1
                 else {"in": {"original_resource_id": originals}})
        found = self.query_retry(self.gnocchi.resource.search, query=query,
                                 ignored_exc=_FINAL) or []
        by_original = {r["original_resource_id"]: r for r in found}
        for hostname, original in zip(unknown, originals, strict=True):
            # A miss is remembered too, so a host without meters is searched once per audit.
            self._host_resources[hostname] = by_original.get(original)
            if original not in by_original:
                LOG.warning("gnocchi: no resource %s for host %s", original, hostname)

    def _measure_target(self, resource: Any, resource_type: str, meter: str) -> dict | None:
        """``get_measures`` arguments naming the metric of one resource."""
        if resource_type == "compute_node":
            self._find_hosts([resource.hostname])
            found = self._host_resources.get(resource.hostname)
            if found is None:
                return None
            metric_id = found.get("metrics", {}).get(meter)
            if metric_id:
                return {"metric": metric_id}
            return {"metric": meter, "resource_id": found["id"]}
        return {"metric": meter, "resource_id": resource.uuid}

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
        if not measures:
            return None
        # The newest bucket: (timestamp, granularity, value).
        return self._convert(meter_name, resource, measures[-1][2], granularity)

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
        if resource_type == "compute_node":
            self._find_hosts([r.hostname for r in resources])
        if len(resources) <= 1:
            return super()._statistic_aggregation_all(resources, resource_type, meter_name,
                                                      period, aggregate, granularity)
        with futures.ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            jobs = {base.resource_id(r): pool.submit(self._last_value, r, resource_type,
                                                     meter_name, period, aggregation,
                                                     granularity)
                    for r in resources}
            return {rid: job.result() for rid, job in jobs.items()}

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
