"""Applier start-up sync: action descriptions, and plans this host left ONGOING."""

from __future__ import annotations

from oslo_log import log

from watcher import objects
from watcher.applier import rpcapi
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
    def __init__(self, context=None, applier_api: rpcapi.ApplierAPI | None = None) -> None:
        self.context = context or watcher_context.get_admin_context()
        self.applier_api = applier_api or rpcapi.ApplierAPI()

    def sync(self) -> None:
        self.sync_action_descriptions()
        for uuid in cancel_host_plans(self.context, CONF.host):
            LOG.warning("Cancelled action plan %s left ONGOING by this applier", uuid)
        self.relaunch_taken_plans()

    def relaunch_taken_plans(self) -> None:
        """Plans this host took but never started (it stopped first) are launched again."""
        plans = objects.ActionPlan.list(
            self.context, filters={"state": PlanState.PENDING, "hostname": CONF.host}
        )
        for plan in plans:
            plan.hostname = None
            plan.save()
            LOG.warning("Launching again action plan %s this applier had taken", plan.uuid)
            self.applier_api.launch_action_plan(self.context, plan.uuid)

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
