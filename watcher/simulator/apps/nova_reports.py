"""Nova's read-only reports: instance actions, limits, simple tenant usage and the
deprecated os-hosts, computed from the live state."""

import datetime
import hashlib

from watcher.simulator.clock import parse_time
from watcher.simulator.wsgi import HTTPError

# The simulator enforces no compute quota: -1 is Nova's "unlimited".
_UNLIMITED = -1
_HOSTS_MAX = (2, 42)  # os-hosts is gone from 2.43 on


class NovaReports:
    def __init__(self, app) -> None:
        self.app = app
        self.state = app.state
        self.clock = app.state.clock

    def routes(self, add) -> None:
        add("GET", "/v2.1/servers/{server_id}/os-instance-actions", self.list_actions)
        add("GET", "/v2.1/servers/{server_id}/os-instance-actions/{request_id}",
            self.show_action)
        add("GET", "/v2.1/limits", self.limits)
        add("GET", "/v2.1/os-simple-tenant-usage", self.list_usage)
        add("GET", "/v2.1/os-simple-tenant-usage/{tenant_id}", self.show_usage)
        add("GET", "/v2.1/os-hosts", self.list_hosts)
        add("GET", "/v2.1/os-hosts/{host_name}", self.show_host)

    # -- instance actions ----------------------------------------------------------------------

    def _time(self, at: float | None) -> str | None:
        return self.clock.isotime(at, micro=True) if at is not None else None

    def _action_doc(self, action, ctx) -> dict:
        doc = {"action": action.action, "instance_uuid": action.server_id,
               "message": action.message, "project_id": action.project_id,
               "request_id": action.request_id, "start_time": self._time(action.start_time),
               "user_id": action.user_id}
        if ctx.at_least("2.58"):
            doc["updated_at"] = self._time(action.updated_at)
        return doc

    def _event_doc(self, event, ctx, project_id: str) -> dict:
        doc = {"event": event.event, "start_time": self._time(event.start_time),
               "finish_time": self._time(event.finish_time), "result": event.result}
        if ctx.is_admin:
            doc["traceback"] = None
        if ctx.at_least("2.62"):
            doc["hostId"] = hashlib.sha224((project_id + (event.host or "")).encode()) \
                .hexdigest() if event.host else ""
            if ctx.is_admin:
                doc["host"] = event.host or ""
        return doc

    def list_actions(self, ctx, server_id):
        server = self.app._server(ctx, server_id)
        return 200, {"instanceActions": [self._action_doc(a, ctx)
                                         for a in self.state.actions.of(server.id)]}

    def show_action(self, ctx, server_id, request_id):
        server = self.app._server(ctx, server_id)
        for action in self.state.actions.of(server.id):
            if action.request_id == request_id:
                doc = self._action_doc(action, ctx)
                if ctx.is_admin or ctx.at_least("2.51"):
                    doc["events"] = [self._event_doc(e, ctx, server.project_id)
                                     for e in action.events]
                return 200, {"instanceAction": doc}
        raise HTTPError(404, f"Action for request_id {request_id} on instance {server_id} "
                             "not found")

    # -- limits --------------------------------------------------------------------------------

    def limits(self, ctx):
        project = ctx.query("tenant_id") or ctx.project_id
        if project != ctx.project_id:
            ctx.require_admin()
        servers = self.state.servers_by_project.get(project, [])
        flavors = [self.state.flavors[s.flavor_id] for s in servers]
        groups = sum(1 for g in self.state.server_groups.values() if g.project_id == project)
        absolute = {
            "maxServerMeta": 128, "maxTotalInstances": _UNLIMITED, "maxTotalCores": _UNLIMITED,
            "maxTotalRAMSize": _UNLIMITED, "maxTotalKeypairs": 100, "maxServerGroups": 10,
            "maxServerGroupMembers": 10, "totalInstancesUsed": len(servers),
            "totalCoresUsed": sum(f.vcpus for f in flavors),
            "totalRAMUsed": sum(f.ram for f in flavors), "totalServerGroupsUsed": groups,
        }
        if not ctx.at_least("2.36"):
            absolute.update({"maxSecurityGroups": 10, "maxSecurityGroupRules": 20,
                             "maxTotalFloatingIps": 10, "totalFloatingIpsUsed": 0,
                             "totalSecurityGroupsUsed": 0})
        if not ctx.at_least("2.39"):
            absolute["maxImageMeta"] = 128
        if not ctx.at_least("2.57"):
            absolute.update({"maxPersonality": 5, "maxPersonalitySize": 10240})
        return 200, {"limits": {"rate": [], "absolute": absolute}}

    # -- simple tenant usage -------------------------------------------------------------------

    def _period(self, ctx) -> tuple[float, float]:
        now = self.clock.now()
        try:
            start = _parse(ctx.query("start")) if ctx.query("start") else now - 86400
            end = _parse(ctx.query("end")) if ctx.query("end") else now
        except ValueError as err:
            raise HTTPError(400, f"Invalid start time or end time: {err}") from err
        if start > end:
            raise HTTPError(400, "Invalid start time. The start time cannot occur after the "
                                 "end time.")
        return start, min(end, now)

    def _server_usages(self, start: float, end: float, project: str | None) -> list[dict]:
        now = self.clock.now()
        rows = [(s, None) for s in self.state.server_order]
        rows += [(s, at) for s, at in self.state.terminated]
        out = []
        for server, terminated in rows:
            if project is not None and server.project_id != project:
                continue
            began = server.launched_at or server.created_at
            stopped = terminated if terminated is not None else now
            overlap = min(stopped, end) - max(began, start)
            if overlap <= 0:
                continue
            flavor = self.state.flavors[server.flavor_id]
            out.append({
                "instance_id": server.id, "name": server.name, "tenant_id": server.project_id,
                "flavor": flavor.name, "vcpus": flavor.vcpus, "memory_mb": flavor.ram,
                "local_gb": flavor.disk + flavor.ephemeral, "hours": overlap / 3600.0,
                "started_at": self._time(began), "ended_at": self._time(terminated),
                "state": "terminated" if terminated is not None else
                server.status.lower().replace("shutoff", "stopped"),
                "uptime": int(stopped - began)})
        return out

    def _usage_doc(self, project: str, rows: list[dict], start: float, end: float,
                   detailed: bool) -> dict:
        doc = {"tenant_id": project, "start": _naive(start), "stop": _naive(end),
               "total_hours": sum(r["hours"] for r in rows),
               "total_vcpus_usage": sum(r["hours"] * r["vcpus"] for r in rows),
               "total_memory_mb_usage": sum(r["hours"] * r["memory_mb"] for r in rows),
               "total_local_gb_usage": sum(r["hours"] * r["local_gb"] for r in rows)}
        if detailed:
            doc["server_usages"] = rows
        return doc

    def list_usage(self, ctx):
        ctx.require_admin()
        start, end = self._period(ctx)
        detailed = ctx.query("detailed", "0") in ("1", "true", "True")
        by_project: dict[str, list[dict]] = {}
        for row in self._server_usages(start, end, None):
            by_project.setdefault(row["tenant_id"], []).append(row)
        return 200, {"tenant_usages": [self._usage_doc(p, rows, start, end, detailed)
                                       for p, rows in sorted(by_project.items())]}

    def show_usage(self, ctx, tenant_id):
        if tenant_id != ctx.project_id:
            ctx.require_admin()
        start, end = self._period(ctx)
        rows = self._server_usages(start, end, tenant_id)
        return 200, {"tenant_usage": self._usage_doc(tenant_id, rows, start, end, True)
                     if rows else {}}

    # -- os-hosts ------------------------------------------------------------------------------

    def _hosts_allowed(self, ctx) -> None:
        ctx.require_admin()
        if ctx.version > _HOSTS_MAX:
            raise HTTPError(404, "The resource could not be found.")

    def list_hosts(self, ctx):
        self._hosts_allowed(ctx)
        zone = ctx.query("zone")
        services = {"nova-compute": "compute", "nova-scheduler": "scheduler",
                    "nova-conductor": "conductor"}
        return 200, {"hosts": [{"host_name": s.host, "service": services[s.binary],
                                "zone": s.zone} for s in self.state.service_order
                               if zone is None or s.zone == zone]}

    def show_host(self, ctx, host_name):
        self._hosts_allowed(ctx)
        hypervisor = self.state.hypervisors_by_name.get(host_name)
        if hypervisor is None:
            raise HTTPError(404, f"Compute host {host_name} could not be found.")
        servers = [self.state.servers[s] for s in sorted(hypervisor.servers)]

        def row(project: str, vcpus: int, ram: int, disk: int) -> dict:
            return {"resource": {"host": host_name, "project": project, "cpu": vcpus,
                                 "memory_mb": ram, "disk_gb": disk}}

        rows = [row("(total)", hypervisor.vcpus, hypervisor.memory_mb, hypervisor.disk_gb),
                row("(used_now)", hypervisor.vcpus_used,
                    hypervisor.memory_mb_used + hypervisor.reserved_memory_mb,
                    hypervisor.disk_gb_used)]
        per_project: dict[str, list[int]] = {}
        for server in servers:
            used = per_project.setdefault(server.project_id, [0, 0, 0])
            for i, amount in enumerate(self.state.server_resources(server)):
                used[i] += amount
        rows.append(row("(used_max)", *[sum(u[i] for u in per_project.values())
                                        for i in range(3)]))
        rows += [row(project, *used) for project, used in sorted(per_project.items())]
        return 200, {"host": rows}


def _parse(text: str) -> float:
    return parse_time(text.replace(" ", "T"))


def _naive(at: float) -> str:
    """Nova's usage period stamps: ISO 8601 without a zone, with microseconds."""
    stamp = datetime.datetime.fromtimestamp(at, datetime.UTC).replace(tzinfo=None)
    return stamp.isoformat(timespec="microseconds")
