"""Applier failover: the leader cancels a dead applier's ONGOING plans (as that applier's
own restart would) and hands its PENDING plans to the alive appliers again."""

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
