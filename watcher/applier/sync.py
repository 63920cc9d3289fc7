"""Applier start-up sync: action descriptions, and plans this host left ONGOING."""

from __future__ import annotations

from oslo_log import log

from watcher import objects
from watcher.applier.action_plan.default import cancel_pending_actions
from watcher.common import context as watcher_context
from watcher.common import exception, loader
from watcher.conf import CONF

LOG = log.getLogger(__name__)

PlanState = objects.action_plan.State


def stopped_message(host: str) -> str:
    return (
        f"Action plan was cancelled because Applier {host} was stopped while the action "
        "plan was ongoing."
    )


def cancel_host_plans(context, host: str) -> list[str]:
    """ONGOING plans of ``host`` -> CANCELLED (its unfinished actions too); returns uuids."""
    cancelled = []
    plans = objects.ActionPlan.list(context, filters={"state": PlanState.ONGOING, "hostname": host})
    for plan in plans:
        reason = stopped_message(host)
        cancel_pending_actions(context, plan, reason)
        plan.state = PlanState.CANCELLED
        plan.status_message = reason
        plan.save()
        cancelled.append(plan.uuid)
    return cancelled


class Syncer:
    def __init__(self, context=None) -> None:
        self.context = context or watcher_context.get_admin_context()

    def sync(self) -> None:
        self.sync_action_descriptions()
        for uuid in cancel_host_plans(self.context, CONF.host):
            LOG.warning("Cancelled action plan %s left ONGOING by this applier", uuid)

    def sync_action_descriptions(self) -> None:
        for action_type, cls in loader.list_classes("watcher_actions").items():
            description = cls.get_description()
            try:
                existing = objects.ActionDescription.get_by_type(self.context, action_type)
            except exception.ActionDescriptionNotFound:
                objects.ActionDescription(
                    self.context, action_type=action_type, description=description
                ).create()
                continue
            if existing.description != description:
                existing.description = description
                existing.save()
