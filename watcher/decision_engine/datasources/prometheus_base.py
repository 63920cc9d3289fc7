"""Shared by the prometheus and aetos datasources: upstream's PromQL, the host label map, and
one-query-per-metric bulk reads.

Watcher knows hosts by hypervisor hostname; Prometheus knows them by the value of a label
(``fqdn_label``, default ``fqdn``) set in the scrape config. The set of values comes from the
active targets; a short hostname also matches an FQDN that starts with it. Instances are found
by ``instance_uuid_label`` (default ``resource``).

Queries are evaluated at ``now`` (the ``time`` parameter), so the datasource's clock, not the
server's, sets the window. Unlike upstream, a server error (5xx) is retried like a connection
error, only a refused query (4xx) gives up at once; and a host at 0 % CPU reads 0.0, not None.
"""

from __future__ import annotations

import abc
from typing import Any

from observabilityclient import prometheus_client
from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.datasources import base

LOG = log.getLogger(__name__)

HOST_CPU = "node_cpu_seconds_total"
HOST_RAM = "node_memory_MemAvailable_bytes"
INSTANCE_CPU = "ceilometer_cpu"
INSTANCE_RAM = "ceilometer_memory_usage"
# Not stored in Prometheus: read from the instance in the cluster model.
INSTANCE_RAM_ALLOCATED = "instance.memory"
INSTANCE_DISK = "instance.disk"


class QueryRejected(Exception):
    """Prometheus refused the query itself (4xx): retrying cannot help."""


class PrometheusBase(base.DataSourceBase):
    METRIC_MAP = dict(base.DataSourceBase.METRIC_MAP,
                      host_cpu_usage=HOST_CPU,
                      host_ram_usage=HOST_RAM,
                      instance_cpu_usage=INSTANCE_CPU,
                      instance_ram_usage=INSTANCE_RAM,
                      instance_ram_allocated=INSTANCE_RAM_ALLOCATED,
                      instance_root_disk_size=INSTANCE_DISK)
    AGGREGATES_MAP = dict(mean="avg", max="max", min="min", count="avg")

    def __init__(self, now=None, client: prometheus_client.PrometheusAPIClient | None = None
                 ) -> None:
        super().__init__(now)
        self.prometheus = client or self._setup_prometheus_client()
        self.fqdn_label = self._get_fqdn_label()
        self.uuid_label = self._get_instance_uuid_label()
        self.fqdn_labels: set[str] = set()
        self.host_instance_map: dict[str, str] = {}
        self._refresh_host_labels()

    @abc.abstractmethod
    def _setup_prometheus_client(self) -> prometheus_client.PrometheusAPIClient:
        """The client, configured the way the concrete datasource reaches Prometheus."""

    @abc.abstractmethod
    def _get_fqdn_label(self) -> str:
        """Label naming a host in node_exporter series."""

    @abc.abstractmethod
    def _get_instance_uuid_label(self) -> str:
        """Label naming an instance in Ceilometer series."""

    # -- host label map --------------------------------------------------------------------

    def _refresh_host_labels(self) -> None:
        try:
            targets = self.prometheus._get("targets?state=active")["data"]["activeTargets"]
        except (prometheus_client.PrometheusAPIClientError, OSError, KeyError) as err:
            LOG.error("%s: cannot read the scrape targets: %s", self.NAME, err)
            targets = []
        self.fqdn_labels = {t["labels"][self.fqdn_label] for t in targets
                            if t.get("labels", {}).get(self.fqdn_label)}
        if not self.fqdn_labels:
            LOG.error("%s: no active target carries the %s label", self.NAME, self.fqdn_label)
        self.host_instance_map = {fqdn.split(".")[0]: fqdn for fqdn in self.fqdn_labels
                                  if "." in fqdn}

    def _lookup_host_label(self, hostname: str) -> str | None:
        if hostname in self.fqdn_labels:
            return hostname
        return self.host_instance_map.get(hostname)

    def resolve_host_label(self, hostname: str) -> str | None:
        """The ``fqdn_label`` value of a host; the targets are read again once when the host
        is unknown (it may have been added since)."""
        label = self._lookup_host_label(hostname)
        if label is None:
            self._refresh_host_labels()
            label = self._lookup_host_label(hostname)
        if label is None:
            LOG.error("%s: no %s label for host %s", self.NAME, self.fqdn_label, hostname)
        return label

    # -- PromQL ----------------------------------------------------------------------------

    def promql_aggregate(self, aggregate: str) -> str:
        if aggregate == "count":
            LOG.warning("%s: the count aggregate is read as mean (avg)", self.NAME)
        promql = self.AGGREGATES_MAP.get(aggregate)
        if not promql:
            raise exception.InvalidParameter(
                message=f"Unknown Watcher aggregate {aggregate}: no PromQL aggregate for it.")
        return promql

    def build_query(self, aggregate: str, meter: str, label_value: str | None, period: int,
                    vcpus: int | None = None) -> str:
        """Upstream's query for one host (``label_value`` = its fqdn label) or one instance
        (its UUID); with ``label_value=None`` the same query for every host or instance at
        once, grouped by the label. A bulk ``ceilometer_cpu`` query stops before the per-
        instance vCPU division, which the caller applies."""
        if meter is None or aggregate is None or period is None:
            raise exception.InvalidParameter(
                message=f"Cannot build a PromQL query from meter {meter}, aggregate "
                        f"{aggregate}, period {period}")
        host, uuid = self.fqdn_label, self.uuid_label
        host_sel = f"{host}='{label_value}'" if label_value is not None else f"{host}!=''"
        uuid_sel = f"{uuid}='{label_value}'" if label_value is not None else f"{uuid}!=''"
        if meter == HOST_CPU:
            return (f"100 - ({aggregate} by ({host})(rate({meter}{{mode='idle',{host_sel}}}"
                    f"[{period}s])) * 100)")
        if meter == HOST_RAM:
            # node_exporter reports bytes; Watcher's host_ram_usage is KiB.
            return (f"(node_memory_MemTotal_bytes{{{host_sel}}} - {aggregate}_over_time("
                    f"{meter}{{{host_sel}}}[{period}s])) / 1024")
        if meter == INSTANCE_RAM:
            return f"{aggregate}_over_time({meter}{{{uuid_sel}}}[{period}s])"
        if meter == INSTANCE_CPU:
            rate = f"({aggregate} by ({uuid})(rate({meter}{{{uuid_sel}}}[{period}s]))/10e+8)"
            if label_value is None:
                return rate
            # Cumulative ns -> percent of the instance's vCPUs, capped: Prometheus has been
            # seen reporting more than 100 under very high load.
            return f"clamp_max({rate} *(100/{vcpus}), 100)"
        raise exception.InvalidParameter(message=f"Cannot process prometheus meter {meter}")

    def _instant(self, query: str) -> list[tuple[dict, float]]:
        """``(labels, value)`` of each sample of an instant query evaluated at ``now``."""
        try:
            decoded = self.prometheus._get("query", {"query": query, "time": self.now()})
        except prometheus_client.PrometheusAPIClientError as err:
            if 400 <= err.resp.status_code < 500:
                raise QueryRejected(str(err)) from err
            raise
        data = decoded["data"]
        if data["resultType"] == "scalar":
            return [({}, float(data["result"][1]))]
        return [(sample["metric"], float(sample["value"][1])) for sample in data["result"]]

    def _query(self, query: str) -> list[tuple[dict, float]] | None:
        return self.query_retry(self._instant, query, ignored_exc=QueryRejected)

    # -- DataSourceBase --------------------------------------------------------------------

    def check_availability(self) -> str:
        try:
            self.prometheus._get("status/runtimeinfo")
        except (prometheus_client.PrometheusAPIClientError, OSError) as err:
            LOG.warning("%s: Prometheus is not answering: %s", self.NAME, err)
            return "not available"
        return "available"

    def list_metrics(self) -> set[str]:
        try:
            return set(self.prometheus._get("label/__name__/values")["data"])
        except (prometheus_client.PrometheusAPIClientError, OSError) as err:
            LOG.warning("%s: cannot list metric names: %s", self.NAME, err)
            return set()

    def _helper_aggregate(self, meter_name: str, aggregate: str) -> str:
        # Host CPU and RAM are read as idle/available: most used is least idle.
        if meter_name in ("host_cpu_usage", "host_ram_usage"):
            return {"max": "min", "min": "max"}.get(aggregate, aggregate)
        return aggregate

    def _from_model(self, resource: Any, meter: str) -> float | None:
        value = resource.memory if meter == INSTANCE_RAM_ALLOCATED else resource.disk
        return None if value is None else float(value)

    @staticmethod
    def _vcpus(resource: Any) -> int:
        vcpus = getattr(resource, "vcpus", None)
        if not vcpus:
            LOG.warning("instance %s has no vCPU count, assuming 1", base.resource_id(resource))
            return 1
        return vcpus

    def _statistic_aggregation(self, resource: Any, resource_type: str, meter_name: str,
                               period: int, aggregate: str, granularity: int) -> float | None:
        meter = self._get_meter(meter_name)
        vcpus = None
        if resource_type == "compute_node":
            label_value = self.resolve_host_label(resource.hostname)
            if label_value is None:
                return None
        elif resource_type == "instance":
            if meter in (INSTANCE_RAM_ALLOCATED, INSTANCE_DISK):
                return self._from_model(resource, meter)
            label_value = resource.uuid
            vcpus = self._vcpus(resource)
        else:
            LOG.warning("%s: resource type %s is not supported", self.NAME, resource_type)
            return None
        query = self.build_query(self.promql_aggregate(aggregate), meter, label_value, period,
                                 vcpus)
        samples = self._query(query)
        return samples[0][1] if samples else None

    def _percentile_all(self, resources: list, resource_type: str, meter_name: str,
                        period: int, percentile: float,
                        granularity: int) -> dict[str, float | None]:
        """One instant query per metric for every host or instance: the ``percentile`` over
        ``period`` of the per-step value (the mean over each ``granularity``), as a
        subquery, so that Prometheus sends one number per series rather than its steps."""
        def read(meter: str, label: str) -> dict[str, float | None]:
            step = int(granularity)
            query = (f"quantile_over_time({percentile / 100:g}, "
                     f"({self.build_query('avg', meter, None, step)})[{int(period)}s:{step}s])")
            by_label: dict[str, float | None] = {}
            for labels, value in self._query(query) or []:
                by_label.setdefault(labels.get(label, ""), value)
            return by_label
        return self._bulk_read(resources, resource_type, meter_name, read)

    def _statistic_aggregation_all(self, resources: list, resource_type: str, meter_name: str,
                                   period: int, aggregate: str,
                                   granularity: int) -> dict[str, float | None]:
        def read(meter: str, label: str) -> dict[str, float | None]:
            query = self.build_query(self.promql_aggregate(aggregate), meter, None, period)
            by_label: dict[str, float | None] = {}
            for labels, value in self._query(query) or []:
                # Several series per label value (two exporters): keep the first, as a
                # single query's result[0] would.
                by_label.setdefault(labels.get(label, ""), value)
            return by_label
        return self._bulk_read(resources, resource_type, meter_name, read)

    def _bulk_read(self, resources: list, resource_type: str, meter_name: str,
                   read) -> dict[str, float | None]:
        """``read(meter, label)`` gives ``{label value: value}`` for every host or instance
        at once; allocations come from the model, other resource types are not served."""
        meter = self._get_meter(meter_name)
        if resource_type == "instance" and meter in (INSTANCE_RAM_ALLOCATED, INSTANCE_DISK):
            return {base.resource_id(r): self._from_model(r, meter) for r in resources}
        if resource_type not in ("compute_node", "instance"):
            LOG.warning("%s: resource type %s is not supported", self.NAME, resource_type)
            return {}
        label = self.fqdn_label if resource_type == "compute_node" else self.uuid_label
        return self._per_resource(resources, resource_type, meter, read(meter, label))

    def _per_resource(self, resources: list, resource_type: str, meter: str,
                      by_label: dict[str, float | None]) -> dict[str, float | None]:
        """Values keyed by host or instance label -> by resource id; instance CPU from
        cores to percent of the instance's vCPUs."""
        if resource_type == "compute_node" and any(
                self._lookup_host_label(r.hostname) is None for r in resources):
            # Hosts added since the targets were read: one refresh covers them all.
            self._refresh_host_labels()
        out: dict[str, float | None] = {}
        for resource in resources:
            rid = base.resource_id(resource)
            if resource_type == "compute_node":
                host_label = self._lookup_host_label(resource.hostname)
                value = None if host_label is None else by_label.get(host_label)
            else:
                value = by_label.get(resource.uuid)
                if value is not None and meter == INSTANCE_CPU:
                    value = min(value * (100 / self._vcpus(resource)), 100.0)
            out[rid] = value
        return out
