"""The decision engine's RPC endpoint, worker pools and periodic jobs."""

from __future__ import annotations

import futurist
from oslo_log import log

from watcher import objects
from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.common.service import PeriodicJob
from watcher.conf import CONF
from watcher.decision_engine import scheduling, service_monitor
from watcher.decision_engine.audit import continuous, oneshot, recovery
from watcher.decision_engine.model.collector import manager as collector_manager
from watcher.decision_engine.model.notification import listener as notification_listener
from watcher.decision_engine.model.scope import compute as compute_scope
from watcher.decision_engine.strategy import state as strategy_state

LOG = log.getLogger(__name__)

SERVICE_NAME = "watcher-decision-engine"


class DecisionEngineManager:
    """Endpoint of ``watcher.decision.control`` (version 1.0)."""

    def __init__(self) -> None:
        self.audit_pool = futurist.ThreadPoolExecutor(
            max_workers=CONF.watcher_decision_engine.max_audit_workers
        )
        self.oneshot = oneshot.OneShotAuditHandler()
        self.monitor = service_monitor.DecisionEngineMonitor(SERVICE_NAME)
        self.continuous = continuous.ContinuousAuditHandler(self.audit_pool, self.monitor.is_leader)
        self._stopping = False
        # A new service reads the configuration afresh: its own collectors and clients.
        self.collectors = collector_manager.CollectorManager()
        collector_manager.set_collector_manager(self.collectors)
        self._listener = None

    # -- RPC methods ----------------------------------------------------------------------

    def trigger_audit(self, context, audit_uuid: str) -> None:
        if self._stopping:
            LOG.warning("Stopping: audit %s left PENDING", audit_uuid)
            return
        LOG.info("Audit %s triggered", audit_uuid)
        self.audit_pool.submit(self._run_oneshot, audit_uuid)

    def _run_oneshot(self, audit_uuid: str) -> None:
        context = watcher_context.get_admin_context()
        try:
            audit = objects.Audit.get_by_uuid(context, audit_uuid)
        except exception.AuditNotFound:
            LOG.warning("Audit %s vanished before it ran", audit_uuid)
            return
        if audit.audit_type not in ("ONESHOT", "EVENT"):
            LOG.warning("Audit %s is %s: trigger ignored", audit_uuid, audit.audit_type)
            return
        # EVENT audits (webhook) run like one-shot ones; the state machine only lets a
        # PENDING one run, so a SUCCEEDED event audit is not re-run.
        self.oneshot.execute(context, audit)

    def get_strategy_info(self, context, strategy_name: str) -> list[dict]:
        return strategy_state.strategy_info(strategy_name)

    def get_data_model_info(self, context, data_model_type: str = "compute", audit=None):
        """Rows of the live model (``audit``: uuid of an audit whose scope cuts it)."""
        collector = self.collectors.get_cluster_model_collector(data_model_type)
        scope = objects.Audit.get_by_uuid(context, audit).scope if audit else None
        if compute_scope.compute_rules(scope):
            model = collector.get_scoped_model(scope)
        else:
            model = collector.get_latest_cluster_data_model()
        return {"context": model.to_list() if model is not None else []}

    # -- service hooks --------------------------------------------------------------------

    def on_start(self) -> None:
        """Listen to the cloud's notifications; cancel the one-shot audits a previous run on
        this host left ONGOING, and the plans they may have left half written."""
        self._start_notification_listener()
        recovery.cancel_interrupted_audits(watcher_context.get_admin_context(), CONF.host)

    def _start_notification_listener(self) -> None:
        endpoints = self.collectors.notification_endpoints()
        if not endpoints:
            return
        try:
            self._listener = notification_listener.get_listener(endpoints)
            self._listener.start()
        except Exception:
            self._listener = None
            LOG.exception("Notification listener not started: models follow collections only")

    def periodic_jobs(self) -> list[PeriodicJob]:
        return self.collectors.periodic_jobs() + [
            PeriodicJob(
                "continuous-audits",
                self.continuous.launch_audits_periodically,
                lambda: CONF.watcher_decision_engine.continuous_audit_interval,
            ),
            PeriodicJob("de-service-monitor", self.monitor.tick, lambda: CONF.periodic_interval),
            scheduling.expiry_job(),
        ]

    def stop(self, wait: bool = True) -> None:
        """Graceful stop: running audits finish, then continuous audits are handed back."""
        self._stopping = True
        if self._listener is not None:
            self._listener.stop()
            self._listener.wait()
            self._listener = None
        self.audit_pool.shutdown(wait=wait)
        if wait:
            self.continuous.release_own()
