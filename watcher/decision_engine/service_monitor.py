"""Decision engine failover: the leader gives a dead engine's continuous audits to the alive
engines in turn; their continuous handler then runs them."""

from __future__ import annotations

import itertools

from oslo_log import log

from watcher import objects
from watcher.common import service

LOG = log.getLogger(__name__)


class DecisionEngineMonitor(service.ServiceMonitor):
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
