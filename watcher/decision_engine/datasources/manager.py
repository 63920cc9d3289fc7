"""Picks the metric backend a strategy reads: the first of the configured datasources whose
metric map has every metric the strategy needs.

The order comes from the strategy's own ``datasources`` option when it has one, else from
``[watcher_datasources] datasources``. Metric names per backend can be overridden by the YAML
file at ``[watcher_decision_engine] metric_map_path``::

    gnocchi:
      host_cpu_usage: compute.node.cpu.percent
    aetos:
      instance_ram_usage: ceilometer_memory_usage
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

import yaml
from oslo_log import log

from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.datasources import aetos, base, gnocchi, grafana, prometheus

LOG = log.getLogger(__name__)

BACKENDS: dict[str, type[base.DataSourceBase]] = {
    gnocchi.GnocchiHelper.NAME: gnocchi.GnocchiHelper,
    grafana.GrafanaHelper.NAME: grafana.GrafanaHelper,
    prometheus.PrometheusHelper.NAME: prometheus.PrometheusHelper,
    aetos.AetosHelper.NAME: aetos.AetosHelper,
}


def load_metric_map(path: str | None) -> dict[str, dict[str, str]]:
    """The per-datasource overrides in ``path``; empty when it is missing or unreadable."""
    if not path or not os.path.exists(path):
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            loaded = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as err:
        LOG.warning("Could not load the metric map %s: %s", path, err)
        return {}
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        LOG.warning("The metric map %s is not a mapping of datasources; ignored", path)
        return {}
    return loaded


class DataSourceManager:
    def __init__(self, config: Any = None, osc: Any = None,
                 now: Callable[[], float] | None = None, session: Any = None) -> None:
        """``config``: the strategy's option group (its ``datasources`` option, if set,
        wins); ``osc``/``session``: how Keystone-backed datasources authenticate; ``now``:
        the clock every backend's query window follows."""
        self.osc = osc
        self.session = session
        self.now = now
        own = getattr(config, "datasources", None) if config is not None else None
        self.datasources: list[str] = list(
            own if own is not None else CONF.watcher_datasources.datasources)
        if (prometheus.PrometheusHelper.NAME in self.datasources
                and aetos.AetosHelper.NAME in self.datasources):
            LOG.error("The prometheus and aetos datasources cannot be used together")
            raise exception.DataSourceConfigConflict(
                datasource_one=prometheus.PrometheusHelper.NAME,
                datasource_two=aetos.AetosHelper.NAME)
        self.metric_map: dict[str, dict[str, Any]] = {
            name: dict(backend.METRIC_MAP) for name, backend in BACKENDS.items()}
        # Grafana's map exists only in its configuration.
        self.metric_map[grafana.GrafanaHelper.NAME] = grafana.metric_map_from_config()
        overrides = load_metric_map(CONF.watcher_decision_engine.metric_map_path)
        for name, mapping in overrides.items():
            if name not in self.metric_map or not isinstance(mapping, dict):
                LOG.warning("Invalid datasource %s in the metric map. Allowed: %s", name,
                            ", ".join(self.metric_map))
                continue
            self.metric_map[name].update(mapping)
        self._backends: dict[str, base.DataSourceBase] = {}

    def _build(self, name: str) -> base.DataSourceBase:
        backend = BACKENDS[name]
        if name in (gnocchi.GnocchiHelper.NAME, aetos.AetosHelper.NAME):
            return backend(osc=self.osc, now=self.now, session=self.session)
        return backend(now=self.now)

    def get(self, name: str) -> base.DataSourceBase:
        """The (shared) instance of one datasource, its metric map overrides applied."""
        if name not in self._backends:
            instance = self._build(name)
            instance.METRIC_MAP.update(self.metric_map[name])
            self._backends[name] = instance
        return self._backends[name]

    def set_backend(self, name: str, instance: base.DataSourceBase) -> None:
        """Use ``instance`` for ``name`` (a datasource built elsewhere, e.g. on a session)."""
        instance.METRIC_MAP.update(self.metric_map[name])
        self._backends[name] = instance

    def get_backend(self, metrics: Iterable[str]) -> base.DataSourceBase:
        """The first configured datasource providing every metric in ``metrics``."""
        metrics = list(metrics or [])
        if not self.datasources:
            raise exception.NoDatasourceAvailable()
        if not metrics:
            LOG.critical("A datasource cannot be chosen without the metrics it must provide")
            raise exception.InvalidParameter(parameter="metrics",
                                             parameter_type="none empty list")
        missing = metrics[0]
        for name in self.datasources:
            if name not in self.metric_map:
                LOG.warning("Datasource: %s is not available; skipping.", name)
                continue
            lacking = [m for m in metrics if self.metric_map[name].get(m) is None]
            if lacking:
                missing = lacking[0]
                LOG.warning("Datasource: %s could not be used due to metric: %s", name,
                            missing)
                continue
            try:
                return self.get(name)
            except Exception as err:
                # A backend that cannot start (unreachable, misconfigured) hands over to the
                # next configured one, as upstream does.
                LOG.warning("Datasource %s could not be set up: %s", name, err)
        raise exception.MetricNotAvailable(metric=missing)

    def reset_caches(self) -> None:
        """Forget the metrics of every datasource built so far (a new audit starts)."""
        for backend in self._backends.values():
            backend.reset_cache()
