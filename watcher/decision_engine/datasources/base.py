"""What every metric backend offers strategies: upstream's ``DataSourceBase`` interface plus
bulk reads.

A strategy asks for ``get_host_cpu_usage(node, period, aggregate, granularity)`` as upstream,
or first for ``host_metric_all(nodes, "host_cpu_usage", ...)``, which a backend answers with
one query for all nodes where it can. Both go through the per-audit ``cache``: after a bulk
read the per-node calls cost nothing. Call ``reset_cache()`` when a new audit starts.

Besides upstream's ``mean``/``min``/``max``/``count``, an aggregate ``pNN`` (``p95``) asks
for a percentile of the series over the period: consolidation packs by a high percentile of
recent use, where the mean hides the peaks that overload a host.

Time comes from ``now`` (seconds since the epoch), so the simulator's clock, or oslo's time
override in tests, drives every query window.
"""

from __future__ import annotations

import abc
import datetime
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from oslo_log import log
from oslo_utils import timeutils

from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.datasources.cache import MetricDataCache

LOG = log.getLogger(__name__)

METRICS = (
    "host_cpu_usage",
    "host_ram_usage",
    "host_outlet_temp",
    "host_inlet_temp",
    "host_airflow",
    "host_power",
    "instance_cpu_usage",
    "instance_ram_usage",
    "instance_ram_allocated",
    "instance_l3_cache_usage",
    "instance_root_disk_size",
)


def wall_clock() -> float:
    """Seconds since the epoch, honouring ``oslo_utils.timeutils.set_time_override``."""
    return timeutils.utcnow(with_timezone=True).timestamp()


def percentile_of(aggregate: str) -> float | None:
    """The percentile a ``pNN`` aggregate names (``"p95"`` -> 95.0); None for the others."""
    if not aggregate.startswith("p"):
        return None
    try:
        value = float(aggregate[1:])
    except ValueError:
        return None
    return value if 0 < value <= 100 else None


def resource_id(resource: Any) -> str:
    """The id a resource's values are cached under: its UUID, else its name."""
    for attribute in ("uuid", "hostname", "id", "name"):
        value = getattr(resource, attribute, None)
        if value:
            return str(value)
    return str(resource)


def series_percentile(values: list[float], percentile: float) -> float | None:
    """The ``percentile`` of ``values`` (linear interpolation, as NumPy and Prometheus'
    ``quantile_over_time``); None for an empty series."""
    if not values:
        return None
    return float(np.percentile(np.asarray(values, dtype=float), percentile))


class DataSourceBase(abc.ABC):
    AGGREGATES = ("mean", "min", "max", "count")
    RESOURCE_TYPES = ("compute_node", "instance", "bare_metal", "storage")
    NAME = ""
    METRIC_MAP: dict[str, Any] = dict.fromkeys(METRICS)

    def __init__(self, now: Callable[[], float] | None = None) -> None:
        self.now = now or wall_clock
        self.cache = MetricDataCache()
        # Per instance: a metric_map.yaml override of one backend must not leak to others.
        self.METRIC_MAP = dict(type(self).METRIC_MAP)

    # -- plumbing --------------------------------------------------------------------------

    def _get_meter(self, meter_name: str) -> Any:
        meter = self.METRIC_MAP.get(meter_name)
        if meter is None:
            raise exception.MetricNotAvailable(metric=meter_name)
        return meter

    def query_retry(self, f: Callable, *args: Any, ignored_exc: Any = None,
                    **kwargs: Any) -> Any:
        """``f(*args, **kwargs)``, tried ``[watcher_datasources] query_max_retries`` times
        ``query_interval`` seconds apart; ``None`` when every try failed. Exceptions in
        ``ignored_exc`` (answers that cannot change on retry, such as not found) give ``None``
        at once."""
        attempts = CONF.watcher_datasources.query_max_retries
        interval = CONF.watcher_datasources.query_interval
        ignored = ignored_exc or ()
        for attempt in range(1, attempts + 1):
            try:
                return f(*args, **kwargs)
            except ignored as err:
                LOG.debug("%s: %s gave up without retrying: %s", self.NAME, f, err)
                return None
            except Exception as err:
                LOG.warning("%s: attempt %d of %d failed: %s", self.NAME, attempt, attempts,
                            err)
                if attempt < attempts:
                    time.sleep(interval)
        LOG.error("%s: no answer after %d attempts", self.NAME, attempts)
        return None

    def reset_cache(self) -> None:
        """Forget every value: a new audit reads fresh metrics."""
        self.cache.clear()

    # -- what backends implement -----------------------------------------------------------

    @abc.abstractmethod
    def list_metrics(self) -> set[str]:
        """Names of the meters the backend holds."""

    @abc.abstractmethod
    def check_availability(self) -> str:
        """``"available"`` or ``"not available"``."""

    @abc.abstractmethod
    def _statistic_aggregation(self, resource: Any, resource_type: str, meter_name: str,
                               period: int, aggregate: str, granularity: int) -> float | None:
        """One value from the backend, the cache not consulted."""

    def _statistic_aggregation_all(self, resources: list, resource_type: str, meter_name: str,
                                   period: int, aggregate: str,
                                   granularity: int) -> dict[str, float | None]:
        """``{resource_id: value}`` for many resources; backends that can answer in one query
        override this, the rest ask per resource."""
        return {resource_id(r): self._statistic_aggregation(r, resource_type, meter_name,
                                                            period, aggregate, granularity)
                for r in resources}

    def _percentile_all(self, resources: list, resource_type: str, meter_name: str,
                        period: int, percentile: float,
                        granularity: int) -> dict[str, float | None]:
        """``{resource_id: value}``: the ``percentile`` of each resource's series over the last
        ``period`` seconds. Backends that read series in bulk override this; the default asks
        ``statistic_series`` per resource and, for a backend without series, reads the
        maximum, which is never below a percentile."""
        end = self.now()
        start_time = datetime.datetime.fromtimestamp(end - period, datetime.timezone.utc)
        end_time = datetime.datetime.fromtimestamp(end, datetime.timezone.utc)
        out: dict[str, float | None] = {}
        for resource in resources:
            try:
                series = self.statistic_series(resource, resource_type, meter_name,
                                               start_time, end_time, granularity)
            except NotImplementedError:
                LOG.warning("%s has no metric series: the p%g of %s is read as its maximum",
                            self.NAME, percentile, meter_name)
                return self._statistic_aggregation_all(resources, resource_type, meter_name,
                                                       period, "max", granularity)
            out[resource_id(resource)] = series_percentile(
                list(series.values()) if series else [], percentile)
        return out

    def _fetch_all(self, resources: list, resource_type: str, meter_name: str, period: int,
                   aggregate: str, granularity: int) -> dict[str, float | None]:
        percentile = percentile_of(aggregate)
        if percentile is not None:
            return self._percentile_all(resources, resource_type, meter_name, period,
                                        percentile, granularity)
        return self._statistic_aggregation_all(resources, resource_type, meter_name, period,
                                               aggregate, granularity)

    def statistic_series(self, resource: Any = None, resource_type: str | None = None,
                         meter_name: str | None = None, start_time: Any = None,
                         end_time: Any = None, granularity: int = 300) -> dict | None:
        """``{timestamp: value}`` between two datetimes."""
        raise NotImplementedError(f"{self.NAME} does not provide metric series")

    # -- reads -----------------------------------------------------------------------------

    def statistic_aggregation(self, resource: Any = None, resource_type: str | None = None,
                              meter_name: str | None = None, period: int = 300,
                              aggregate: str = "mean",
                              granularity: int = 300) -> float | None:
        """One value of ``meter_name`` (a ``METRIC_MAP`` key) for ``resource``, aggregated
        with ``aggregate`` over the last ``period`` seconds."""
        self._get_meter(meter_name)
        rid = resource_id(resource)
        if self.cache.has(rid, meter_name, aggregate, period, granularity):
            return self.cache.get(rid, meter_name, aggregate, period, granularity)
        if percentile_of(aggregate) is not None:
            value = self._fetch_all([resource], resource_type, meter_name, period, aggregate,
                                    granularity).get(rid)
        else:
            value = self._statistic_aggregation(resource, resource_type, meter_name, period,
                                                aggregate, granularity)
        self.cache.put(rid, meter_name, value, aggregate, period, granularity)
        return value

    def statistic_aggregation_all(self, resources: Iterable, resource_type: str,
                                  meter_name: str, period: int = 300, aggregate: str = "mean",
                                  granularity: int = 300) -> dict[str, float | None]:
        """``statistic_aggregation`` for many resources: the ones not cached yet are fetched
        together, then every answer is in the cache."""
        self._get_meter(meter_name)
        resources = list(resources)
        wanted = [r for r in resources
                  if not self.cache.has(resource_id(r), meter_name, aggregate, period,
                                        granularity)]
        if wanted:
            fetched = self._fetch_all(wanted, resource_type, meter_name, period, aggregate,
                                      granularity)
            self.cache.put_many({resource_id(r): fetched.get(resource_id(r)) for r in wanted},
                                meter_name, aggregate, period, granularity)
        return {resource_id(r): self.cache.get(resource_id(r), meter_name, aggregate, period,
                                               granularity)
                for r in resources}

    def _helper_aggregate(self, meter_name: str, aggregate: str) -> str:
        """The aggregate ``get_<metric>`` asks the backend for when a caller wants
        ``aggregate`` (Prometheus reads idle time, so max usage is min idle)."""
        return aggregate

    def _helper(self, resource: Any, resource_type: str, meter_name: str, period: int,
                aggregate: str, granularity: int) -> float | None:
        return self.statistic_aggregation(resource, resource_type, meter_name, period,
                                          self._helper_aggregate(meter_name, aggregate),
                                          granularity)

    def host_metric_all(self, nodes: Iterable, meter_name: str, period: int = 300,
                        aggregate: str = "mean",
                        granularity: int = 300) -> dict[str, float | None]:
        """What ``get_<meter_name>`` gives for each node, keyed by node UUID, fetched in one
        backend query where the backend allows it."""
        return self.statistic_aggregation_all(nodes, "compute_node", meter_name, period,
                                              self._helper_aggregate(meter_name, aggregate),
                                              granularity)

    def instance_metric_all(self, instances: Iterable, meter_name: str, period: int = 300,
                            aggregate: str = "mean",
                            granularity: int = 300) -> dict[str, float | None]:
        """What ``get_<meter_name>`` gives for each instance, keyed by instance UUID."""
        return self.statistic_aggregation_all(instances, "instance", meter_name, period,
                                              self._helper_aggregate(meter_name, aggregate),
                                              granularity)

    def get_host_cpu_usage(self, resource: Any, period: int = 300, aggregate: str = "mean",
                           granularity: int = 300) -> float | None:
        """Percent (0-100) of the host's CPU time in use."""
        return self._helper(resource, "compute_node", "host_cpu_usage", period, aggregate,
                            granularity)

    def get_host_ram_usage(self, resource: Any, period: int = 300, aggregate: str = "mean",
                           granularity: int = 300) -> float | None:
        """Host memory in use, KiB."""
        return self._helper(resource, "compute_node", "host_ram_usage", period, aggregate,
                            granularity)

    def get_host_outlet_temp(self, resource: Any, period: int = 300, aggregate: str = "mean",
                             granularity: int = 300) -> float | None:
        """Outlet temperature, degrees Celsius."""
        return self._helper(resource, "compute_node", "host_outlet_temp", period, aggregate,
                            granularity)

    def get_host_inlet_temp(self, resource: Any, period: int = 300, aggregate: str = "mean",
                            granularity: int = 300) -> float | None:
        """Inlet temperature, degrees Celsius."""
        return self._helper(resource, "compute_node", "host_inlet_temp", period, aggregate,
                            granularity)

    def get_host_airflow(self, resource: Any, period: int = 300, aggregate: str = "mean",
                         granularity: int = 300) -> float | None:
        """Airflow, CFM."""
        return self._helper(resource, "compute_node", "host_airflow", period, aggregate,
                            granularity)

    def get_host_power(self, resource: Any, period: int = 300, aggregate: str = "mean",
                       granularity: int = 300) -> float | None:
        """Power draw, watts."""
        return self._helper(resource, "compute_node", "host_power", period, aggregate,
                            granularity)

    def get_instance_cpu_usage(self, resource: Any, period: int = 300, aggregate: str = "mean",
                               granularity: int = 300) -> float | None:
        """Percent (0-100) of the instance's vCPUs in use."""
        return self._helper(resource, "instance", "instance_cpu_usage", period, aggregate,
                            granularity)

    def get_instance_ram_usage(self, resource: Any, period: int = 300, aggregate: str = "mean",
                               granularity: int = 300) -> float | None:
        """Instance memory in use, MB."""
        return self._helper(resource, "instance", "instance_ram_usage", period, aggregate,
                            granularity)

    def get_instance_ram_allocated(self, resource: Any, period: int = 300,
                                   aggregate: str = "mean",
                                   granularity: int = 300) -> float | None:
        """Instance memory allocated, MB."""
        return self._helper(resource, "instance", "instance_ram_allocated", period, aggregate,
                            granularity)

    def get_instance_l3_cache_usage(self, resource: Any, period: int = 300,
                                    aggregate: str = "mean",
                                    granularity: int = 300) -> float | None:
        """L3 cache in use, bytes."""
        return self._helper(resource, "instance", "instance_l3_cache_usage", period, aggregate,
                            granularity)

    def get_instance_root_disk_size(self, resource: Any, period: int = 300,
                                    aggregate: str = "mean",
                                    granularity: int = 300) -> float | None:
        """Root disk size, GB."""
        return self._helper(resource, "instance", "instance_root_disk_size", period, aggregate,
                            granularity)
