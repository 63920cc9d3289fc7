"""The applier's RPC endpoint and its worker pool."""

from __future__ import annotations

import threading

import futurist
from oslo_log import log

from watcher import objects
from watcher.applier import service_monitor
from watcher.applier.action_plan import default as action_plan_handler
from watcher.common import context as watcher_context
from watcher.common import exception, loader
from watcher.common.service import PeriodicJob
from watcher.conf import CONF

LOG = log.getLogger(__name__)

ENGINES_NAMESPACE = "watcher_workflow_engines"
SERVICE_NAME = "watcher-applier"


class ApplierManager:
    """Endpoint of ``watcher.applier.control`` (version 1.0)."""

    API_VERSION = "1.0"

    def __init__(self) -> None:
        self._pool = futurist.ThreadPoolExecutor(max_workers=CONF.watcher_applier.workers)
        self._engines: dict[str, object] = {}
        self._lock = threading.Lock()
        self._stopping = False
        self.monitor = service_monitor.ApplierMonitor(SERVICE_NAME)

    def launch_action_plan(self, context, action_plan_uuid: str) -> None:
        if self._stopping:
            # The message is acked already; the plan stays PENDING and the applier leader
            # (or this applier's next start) hands it out again.
            LOG.warning("Stopping: action plan %s left PENDING", action_plan_uuid)
            return
        LOG.info("Launching action plan %s", action_plan_uuid)
        self._take(context, action_plan_uuid)
        self._pool.submit(self._run, action_plan_uuid)

    @staticmethod
    def _take(context, action_plan_uuid: str) -> None:
        """Record this host on the plan at once (as upstream), so that if this applier dies
        before running it, the leader knows whose plan to hand out again."""
        try:
            plan = objects.ActionPlan.get_by_uuid(context, action_plan_uuid)
        except exception.ActionPlanNotFound:
            return
        if plan.state == objects.action_plan.State.PENDING:
            plan.hostname = CONF.host
            plan.save()

    def _run(self, action_plan_uuid: str) -> None:
        context = watcher_context.get_admin_context()
        engine_cls = loader.load_class(ENGINES_NAMESPACE, CONF.watcher_applier.workflow_engine)
        engine = engine_cls(context)
        with self._lock:
            self._engines[action_plan_uuid] = engine
        try:
            action_plan_handler.ActionPlanHandler(context, engine, action_plan_uuid).execute()
        except Exception:
            LOG.exception("Action plan %s could not be run", action_plan_uuid)
        finally:
            with self._lock:
                self._engines.pop(action_plan_uuid, None)

    def periodic_jobs(self) -> list[PeriodicJob]:
        return [
            PeriodicJob(
                "applier-service-monitor", self.monitor.tick, lambda: CONF.periodic_interval
            )
        ]

    def stop(self, wait: bool = True) -> None:
        """Graceful stop: running plans end CANCELLED with the reason, then the pool drains."""
        self._stopping = True
        reason = (
            f"Action plan was cancelled because Applier {CONF.host} was stopped while the "
            "action plan was ongoing."
        )
        with self._lock:
            engines = list(self._engines.values())
        for engine in engines:
            engine.request_stop(reason)
        self._pool.shutdown(wait=wait)
