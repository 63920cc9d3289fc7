"""The collectors of this decision engine: loading, periodic rebuilds, notification endpoints.

One manager per process (:func:`get_collector_manager`), as upstream: the decision engine
service starts its jobs and listener, and strategy contexts read snapshots from it.
"""

from __future__ import annotations

import threading

from oslo_log import log

from watcher.common import clients as watcher_clients
from watcher.common import exception, loader
from watcher.common.service import PeriodicJob
from watcher.conf import CONF
from watcher.decision_engine.model.collector import base

LOG = log.getLogger(__name__)

_MANAGER = None
_MANAGER_LOCK = threading.Lock()


class CollectorManager:
    def __init__(
        self,
        names: list[str] | None = None,
        osc: watcher_clients.OpenStackClients | None = None,
    ) -> None:
        self.osc = osc or watcher_clients.OpenStackClients()
        self._collectors: dict[str, base.BaseClusterDataModelCollector] = {}
        for name in CONF.collector.collector_plugins if names is None else names:
            try:
                cls = loader.load_class(base.COLLECTORS_NAMESPACE, name)
            except exception.LoadingError:
                LOG.warning("Cluster data model collector %r is not installed: skipped", name)
                continue
            group = f"{base.COLLECTORS_NAMESPACE}.{name}"
            config = CONF[group] if group in CONF else None
            self._collectors[name] = cls(config=config, osc=self.osc)

    def get_collectors(self) -> dict[str, base.BaseClusterDataModelCollector]:
        return dict(self._collectors)

    def get_cluster_model_collector(self, name: str) -> base.BaseClusterDataModelCollector:
        try:
            return self._collectors[name]
        except KeyError:
            raise exception.DataModelTypeNotFound(data_model_type=name) from None

    def notification_endpoints(self) -> list:
        return [e for c in self._collectors.values() for e in c.notification_endpoints]

    def periodic_jobs(self) -> list[PeriodicJob]:
        """One rebuild job per collector; the first run happens as soon as it starts."""
        for collector in self._collectors.values():
            collector.expect_sync()
        return [
            PeriodicJob(f"collector-{name}", collector.synchronize, lambda c=collector: c.period)
            for name, collector in self._collectors.items()
        ]


def get_collector_manager() -> CollectorManager:
    global _MANAGER
    with _MANAGER_LOCK:
        if _MANAGER is None:
            _MANAGER = CollectorManager()
        return _MANAGER


def set_collector_manager(manager: CollectorManager | None) -> None:
    """Make ``manager`` the process's one (None: built afresh on next use)."""
    global _MANAGER
    with _MANAGER_LOCK:
        _MANAGER = manager


def compute_model_for(audit_scope: list | None, check_optimize_metadata: bool = False):
    """The latest compute model cut to ``audit_scope``, for one strategy run.

    Waits for the first collection when it is still running. None when there is no compute
    collector or no model yet (the strategy then raises ClusterStateNotDefined if it needs
    one); a stale model is returned as such (ClusterStateStale when the strategy reads it).
    """
    try:
        collector = get_collector_manager().get_cluster_model_collector("compute")
    except exception.DataModelTypeNotFound:
        return None
    collector.wait_for_first_sync(CONF.collector.compute_resources_collector_timeout)
    return collector.get_scoped_model(audit_scope, check_optimize_metadata)


def model_for(name: str, audit_scope: list | None):
    """The latest ``name`` model (storage, baremetal...) cut to ``audit_scope``.

    A collector missing from ``[collector] collector_plugins`` still serves the strategies
    that ask for its model, as upstream (which loads it on first use): it collects afresh for
    each such audit, since no periodic job keeps it current. None when the collector is not
    installed or the collection fails.
    """
    manager = get_collector_manager()
    try:
        collector = manager.get_cluster_model_collector(name)
    except exception.DataModelTypeNotFound:
        try:
            cls = loader.load_class(base.COLLECTORS_NAMESPACE, name)
        except exception.LoadingError:
            return None
        group = f"{base.COLLECTORS_NAMESPACE}.{name}"
        collector = cls(config=CONF[group] if group in CONF else None, osc=manager.osc)
        collector.synchronize()
    else:
        collector.wait_for_first_sync(CONF.collector.compute_resources_collector_timeout)
    return collector.get_scoped_model(audit_scope)
