"""ONESHOT audits: run once on ``trigger_audit`` and end SUCCEEDED (or FAILED/CANCELLED)."""

from __future__ import annotations

from oslo_log import log

from watcher.decision_engine.audit import base

LOG = log.getLogger(__name__)


class OneShotAuditHandler(base.AuditHandler):
    def pre_execute(self, context, audit) -> bool:
        audit.refresh()
        if audit.state != base.AuditState.PENDING:
            # A redelivered or duplicated trigger must not run the audit a second time.
            LOG.info("Audit %s is %s: not run again", audit.uuid, audit.state)
            return False
        return super().pre_execute(context, audit)

    def post_execute(self, context, audit, solution) -> None:
        super().post_execute(context, audit, solution)
        self.set_state(audit, base.AuditState.SUCCEEDED)
