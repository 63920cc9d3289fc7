"""What a decision engine cleans up when it starts: the one-shot audits it was running when
it died (the process was killed or the host went down).

Such an audit never finished; a plan it had begun to write may be incomplete. Plans are
written in one transaction (see ``ActionPlan.create_with_actions``), so a killed write leaves
no row; but a plan written by an earlier protocol, or one whose audit died between planning
and its end, must not be started on trust either. Every plan of the audit that could still be
started (RECOMMENDED or PENDING) is cancelled with the reason in ``status_message``, then the
audit is CANCELLED with its own reason, which the API shows (microversion 1.5).
Plans go first: if the engine dies again halfway, the audit is still ONGOING and the next
start sweeps it again.
"""

from __future__ import annotations

from oslo_log import log

from watcher import objects

LOG = log.getLogger(__name__)

AuditState = objects.audit.State
PlanState = objects.action_plan.State
# Audit types a decision engine runs once from start to end (EVENT audits run like ONESHOT).
RUN_ONCE_TYPES = ("ONESHOT", "EVENT")
STARTABLE_PLAN_STATES = (PlanState.RECOMMENDED, PlanState.PENDING)


def plan_reason(host: str) -> str:
    return (
        f"Action plan was cancelled because decision engine {host} restarted while its "
        "audit was running: the plan may be incomplete."
    )


def audit_reason(host: str, cancelled_plans: int) -> str:
    reason = f"Audit was cancelled because decision engine {host} restarted."
    if cancelled_plans:
        reason += f" {cancelled_plans} of its action plans were cancelled as possibly incomplete."
    return reason


def cancel_interrupted_audits(context, host: str) -> list:
    """Cancel the run-once audits left ONGOING on ``host`` and their startable plans."""
    audits = objects.Audit.list(
        context,
        filters={
            "audit_type__in": list(RUN_ONCE_TYPES),
            "state": AuditState.ONGOING,
            "hostname": host,
        },
    )
    for audit in audits:
        plans = objects.ActionPlan.list(
            context,
            filters={"audit_id": audit.id, "state__in": list(STARTABLE_PLAN_STATES)},
        )
        for plan in plans:
            plan.state = PlanState.CANCELLED
            plan.status_message = plan_reason(host)
            plan.save()
        audit.state = AuditState.CANCELLED
        audit.status_message = audit_reason(host, len(plans))
        audit.save()
        LOG.warning("Audit %s: %s", audit.uuid, audit.status_message)
    return audits
