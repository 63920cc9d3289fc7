"""Decision engine failover, run by the leader engine.

A dead engine's continuous audits go to the alive engines in turn (their continuous handler
then runs them); its ONGOING one-shot audits end FAILED with the reason; one-shot audits
still PENDING after ``service_down_time`` (their trigger was lost) are triggered again.
"""

from __future__ import annotations

import itertools

from oslo_log import log

from watcher import objects
from watcher.common import service
from watcher.decision_engine import rpcapi

LOG = log.getLogger(__name__)


class DecisionEngineMonitor(service.ServiceMonitor):
    def __init__(self, service_name: str, de_api: rpcapi.DecisionEngineAPI | None = None):
        super().__init__(service_name)
        self.de_api = de_api or rpcapi.DecisionEngineAPI()

    def handle_failed(self, failed_hosts: list[str], alive_hosts: list[str]) -> None:
        targets = itertools.cycle(alive_hosts)
        for host in failed_hosts:
            audits = objects.Audit.list(
                self.context, filters={"audit_type": "CONTINUOUS", "hostname": host}
            )
            for audit in audits:
                if audit.state not in ("PENDING", "ONGOING"):
                    continue
                audit.hostname = next(targets)
                audit.save()
                LOG.warning(
                    "Continuous audit %s moved from failed %s to %s",
                    audit.uuid,
                    host,
                    audit.hostname,
                )
            self._fail_oneshots_of(host)

    def _fail_oneshots_of(self, host: str) -> None:
        audits = objects.Audit.list(
            self.context,
            filters={"state": "ONGOING", "hostname": host},
        )
        for audit in audits:
            if audit.audit_type == "CONTINUOUS":
                continue
            audit.state = "FAILED"
            audit.status_message = f"Decision engine {host} stopped while the audit was running."
            audit.save()
            LOG.warning("Audit %s FAILED: its decision engine %s is down", audit.uuid, host)

    def rescue_stalled(self) -> None:
        for audit in objects.Audit.list(self.context, filters={"state": "PENDING"}):
            if audit.audit_type == "ONESHOT" and self.stalled(audit):
                LOG.warning("Audit %s still PENDING: triggering it again", audit.uuid)
                # Touch it first so the next tick does not re-send before this one lands.
                audit.status_message = "Triggered again after its first trigger was lost."
                audit.save()
                self.de_api.trigger_audit(self.context, audit.uuid)
