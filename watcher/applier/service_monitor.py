"""Applier failover, run by the leader applier: a dead applier's ONGOING plans are cancelled
(as that applier's own restart would), its PENDING plans and plans whose launch was lost
(PENDING, nobody took them for ``service_down_time``) are launched again."""

from __future__ import annotations

from oslo_log import log

from watcher import objects
from watcher.applier import rpcapi, sync
from watcher.common import service

LOG = log.getLogger(__name__)


class ApplierMonitor(service.ServiceMonitor):
    def __init__(self, service_name: str, applier_api: rpcapi.ApplierAPI | None = None) -> None:
        super().__init__(service_name)
        self.applier_api = applier_api or rpcapi.ApplierAPI()

    def handle_failed(self, failed_hosts: list[str], alive_hosts: list[str]) -> None:
        for host in failed_hosts:
            for uuid in sync.cancel_host_plans(self.context, host):
                LOG.warning("Cancelled action plan %s of failed applier %s", uuid, host)
            plans = objects.ActionPlan.list(
                self.context,
                filters={"state": objects.action_plan.State.PENDING, "hostname": host},
            )
            for plan in plans:
                plan.hostname = None
                plan.save()
                self.applier_api.launch_action_plan(self.context, plan.uuid)

    def rescue_stalled(self) -> None:
        plans = objects.ActionPlan.list(
            self.context, filters={"state": objects.action_plan.State.PENDING}
        )
        for plan in plans:
            if plan.hostname is None and self.stalled(plan):
                LOG.warning("Action plan %s still PENDING: launching it again", plan.uuid)
                plan.status_message = "Launched again after its first launch was lost."
                plan.save()
                self.applier_api.launch_action_plan(self.context, plan.uuid)
