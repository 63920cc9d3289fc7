"""CONTINUOUS audits: claimed by one decision engine (``audit.hostname``) and run on their
interval (seconds, or a cron expression evaluated with croniter).

A periodic tick (``[watcher_decision_engine] continuous_audit_interval``) claims unowned
audits, runs the due ones it owns in the audit pool, and ends audits whose ``end_time`` has
passed. Only the leader engine (see ServiceMonitor) claims, so two engines never race for
one audit; ownership is re-read before each run, so an audit handed to another engine by
the service monitor is never run by both.
"""

from __future__ import annotations

import datetime
import threading

from croniter import croniter
from oslo_log import log
from oslo_utils import timeutils

from watcher import objects
from watcher.common import context as watcher_context
from watcher.conf import CONF
from watcher.decision_engine.audit import base

LOG = log.getLogger(__name__)

ACTIVE_STATES = (base.AuditState.PENDING, base.AuditState.ONGOING)


def next_run_time(interval: str, now: datetime.datetime) -> datetime.datetime:
    if str(interval).isdigit():
        return now + datetime.timedelta(seconds=int(interval))
    return croniter(interval, now).get_next(datetime.datetime)


class ContinuousAuditHandler(base.AuditHandler):
    def __init__(self, executor, is_leader, applier_api=None) -> None:
        super().__init__(applier_api)
        self.executor = executor
        self.is_leader = is_leader
        self.context = watcher_context.get_admin_context()
        self._running: set[str] = set()
        self._lock = threading.Lock()

    # -- one execution ------------------------------------------------------------------

    def pre_execute(self, context, audit) -> bool:
        audit.refresh()
        if audit.hostname != CONF.host or audit.state not in ACTIVE_STATES:
            return False
        self.check_ongoing_plans(context, audit)
        self._cancel_previous_plans(context, audit)
        if audit.state != base.AuditState.ONGOING:
            self.set_state(audit, base.AuditState.ONGOING)
        return True

    def on_plan_ongoing(self, context, audit, exc: Exception) -> None:
        # A continuous audit keeps running: it simply skips this round.
        LOG.info("Audit %s skips this round: %s", audit.uuid, exc)

    @staticmethod
    def _cancel_previous_plans(context, audit) -> None:
        plans = objects.ActionPlan.list(
            context,
            filters={"audit_uuid": audit.uuid, "state": base.PlanState.RECOMMENDED},
        )
        for plan in plans:
            plan.state = base.PlanState.CANCELLED
            plan.save()

    def _run(self, audit_uuid: str) -> None:
        try:
            audit = objects.Audit.get_by_uuid(self.context, audit_uuid)
            self.execute(self.context, audit)
            audit.refresh()
            if audit.state in ACTIVE_STATES and audit.hostname == CONF.host:
                audit.next_run_time = next_run_time(audit.interval, timeutils.utcnow())
                audit.save()
        except Exception:
            LOG.exception("Continuous audit %s run failed", audit_uuid)
        finally:
            with self._lock:
                self._running.discard(audit_uuid)

    # -- the periodic tick ----------------------------------------------------------------

    def launch_audits_periodically(self) -> None:
        audits = objects.Audit.list(self.context, filters={"audit_type": "CONTINUOUS"})
        now = timeutils.utcnow().replace(tzinfo=None)
        leader = None
        for audit in audits:
            if audit.state not in ACTIVE_STATES:
                continue
            if audit.hostname is None:
                leader = self.is_leader() if leader is None else leader
                if not leader or not self._claim(audit):
                    continue
            if audit.hostname != CONF.host:
                continue
            if audit.end_time is not None and audit.end_time <= now:
                self._finish(audit)
                continue
            if audit.start_time is not None and audit.start_time > now:
                continue
            if audit.next_run_time is not None and audit.next_run_time > now:
                continue
            with self._lock:
                if audit.uuid in self._running:
                    continue
                self._running.add(audit.uuid)
            self.executor.submit(self._run, audit.uuid)

    def _claim(self, audit) -> bool:
        audit.hostname = CONF.host
        audit.save()
        audit.refresh()
        claimed = audit.hostname == CONF.host
        if claimed:
            LOG.info("Audit %s claimed by %s", audit.uuid, CONF.host)
        return claimed

    def _finish(self, audit) -> None:
        if audit.state == base.AuditState.PENDING:
            self.set_state(audit, base.AuditState.ONGOING)
        self.set_state(audit, base.AuditState.SUCCEEDED)

    def release_own(self) -> None:
        """On graceful stop: hand this host's audits back so another engine claims them."""
        audits = objects.Audit.list(
            self.context, filters={"audit_type": "CONTINUOUS", "hostname": CONF.host}
        )
        for audit in audits:
            if audit.state in ACTIVE_STATES:
                audit.hostname = None
                audit.save()
