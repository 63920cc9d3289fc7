"""Decision engine background jobs besides audits: expiry of stale recommendations."""

from __future__ import annotations

import datetime

from oslo_log import log
from oslo_utils import timeutils

from watcher import objects
from watcher.common import context as watcher_context
from watcher.common.service import PeriodicJob
from watcher.conf import CONF

LOG = log.getLogger(__name__)

PlanState = objects.action_plan.State


def supersede_expired_plans(context=None, now: datetime.datetime | None = None) -> list[str]:
    """RECOMMENDED plans older than ``action_plan_expiry`` hours become SUPERSEDED (0: never)."""
    hours = CONF.watcher_decision_engine.action_plan_expiry
    if not hours:
        return []
    context = context or watcher_context.get_admin_context()
    limit = (now or timeutils.utcnow()).replace(tzinfo=None) - datetime.timedelta(hours=hours)
    expired = []
    for plan in objects.ActionPlan.list(context, filters={"state": PlanState.RECOMMENDED}):
        if plan.created_at is not None and plan.created_at.replace(tzinfo=None) < limit:
            plan.state = PlanState.SUPERSEDED
            plan.save()
            expired.append(plan.uuid)
            LOG.info("Action plan %s expired: SUPERSEDED", plan.uuid)
    return expired


def expiry_job() -> PeriodicJob:
    return PeriodicJob(
        "action-plan-expiry",
        supersede_expired_plans,
        lambda: CONF.watcher_decision_engine.check_periodic_interval,
    )
