"""Nova (compute v2.1): servers, flavors, hypervisors, services, availability zones,
aggregates, server groups, migrations and the server actions Watcher's applier uses.
Server create/delete, keypairs and group changes are in ``nova_boot``; instance actions,
limits, usage and os-hosts in ``nova_reports``; volume attachments in ``nova_volumes``."""

import bisect
import json
import re
from urllib.parse import urlencode

from watcher.simulator.apps.nova_boot import NovaBoot
from watcher.simulator.apps.nova_reports import NovaReports
from watcher.simulator.apps.nova_views import NovaViews
from watcher.simulator.apps.nova_volumes import NovaVolumes
from watcher.simulator.wsgi import HTTPError, Microversions, Raw, ServiceApp, version_document

MAX_LIMIT = 1000
_TRUE = ("1", "true", "yes", "on")
# server action in the request body -> the action name Nova's instance action log records
_ACTIONS = {"os-migrateLive": "live-migration", "migrate": "migrate", "resize": "resize",
            "confirmResize": "confirmResize", "revertResize": "revertResize",
            "os-stop": "stop", "os-start": "start"}


class NovaApp(ServiceApp):
    name = "compute"
    prefix = "/compute"
    catalog = [("compute", "nova", "/v2.1")]
    microversions = Microversions("compute", "2.1", "2.100",
                                  legacy_header="X-OpenStack-Nova-API-Version")
    public_paths = (r"^/?$", r"^/v2(\.1)?/?$")

    def __init__(self, sim) -> None:
        self.ops = sim.operations
        super().__init__(sim)
        self.views = NovaViews(self.state)

    def start(self) -> None:
        self.views.warm(self.sim.service_url(self.name))

    def routes(self) -> None:
        add = self.router.add
        add("GET", "/", self.versions)
        add("GET", "/v2.1", self.version)
        add("GET", "/v2.1/servers", self.list_servers)
        add("GET", "/v2.1/servers/detail", self.list_servers_detail)
        add("GET", "/v2.1/servers/{server_id}", self.show_server)
        add("POST", "/v2.1/servers/{server_id}/action", self.server_action)
        add("GET", "/v2.1/servers/{server_id}/migrations", self.server_migrations)
        add("GET", "/v2.1/servers/{server_id}/migrations/{migration_id}",
            self.show_server_migration)
        add("DELETE", "/v2.1/servers/{server_id}/migrations/{migration_id}",
            self.abort_server_migration)
        add("GET", "/v2.1/flavors", self.list_flavors)
        add("GET", "/v2.1/flavors/detail", self.list_flavors_detail)
        add("GET", "/v2.1/flavors/{flavor_id}", self.show_flavor)
        add("GET", "/v2.1/flavors/{flavor_id}/os-extra_specs", self.flavor_extra_specs)
        add("GET", "/v2.1/os-hypervisors", self.list_hypervisors)
        add("GET", "/v2.1/os-hypervisors/detail", self.list_hypervisors_detail)
        add("GET", "/v2.1/os-hypervisors/{hypervisor_id}", self.show_hypervisor)
        add("GET", "/v2.1/os-hypervisors/{pattern}/search", self.search_hypervisors)
        add("GET", "/v2.1/os-hypervisors/{pattern}/servers", self.hypervisor_servers)
        add("GET", "/v2.1/os-services", self.list_services)
        add("PUT", "/v2.1/os-services/{service_id}", self.update_service)
        add("GET", "/v2.1/os-availability-zone", self.list_zones)
        add("GET", "/v2.1/os-availability-zone/detail", self.list_zones_detail)
        add("GET", "/v2.1/os-aggregates", self.list_aggregates)
        add("GET", "/v2.1/os-aggregates/{aggregate_id}", self.show_aggregate)
        add("GET", "/v2.1/os-server-groups", self.list_server_groups)
        add("GET", "/v2.1/os-server-groups/{group_id}", self.show_server_group)
        add("GET", "/v2.1/os-migrations", self.list_migrations)
        NovaBoot(self).routes(add)
        NovaReports(self).routes(add)
        self.volumes = NovaVolumes(self)
        self.volumes.routes(add)

    # -- discovery -----------------------------------------------------------------------------

    def _versions(self, ctx) -> list[dict]:
        return [
            version_document(ctx.base_url + "/v2", "v2.0", "SUPPORTED",
                             updated="2011-01-21T11:33:21Z"),
            version_document(ctx.base_url + "/v2.1", "v2.1", "CURRENT", "2.1",
                             format_max(self.microversions.maximum),
                             media="application/vnd.openstack.compute+json;version=2.1"),
        ]

    def versions(self, ctx):
        return 200, {"versions": self._versions(ctx)}

    def version(self, ctx):
        return 200, {"version": self._versions(ctx)[1]}

    # -- servers -------------------------------------------------------------------------------

    def _server(self, ctx, server_id: str):
        server = self.state.servers.get(server_id)
        if server is None or not (ctx.is_admin or server.project_id == ctx.project_id):
            raise HTTPError(404, f"Instance {server_id} could not be found.")
        return server

    def show_server(self, ctx, server_id):
        server = self._server(ctx, server_id)
        data = self.views.server_bytes(server, ctx.base_url, ctx.version, ctx.is_admin)
        if ctx.at_least("2.71"):
            # Only a single server's document lists its groups (not the listings).
            groups = json.dumps([server.group_id] if server.group_id else []).encode()
            data = data[:-1] + b',"server_groups":' + groups + b"}"
        return 200, Raw(b'{"server":' + data + b"}")

    def list_servers(self, ctx):
        return self._list_servers(ctx, detail=False)

    def list_servers_detail(self, ctx):
        return self._list_servers(ctx, detail=True)

    def _list_servers(self, ctx, detail: bool):
        all_tenants = ctx.query("all_tenants")
        everyone = all_tenants is not None and all_tenants.lower() not in ("0", "false", "no")
        if everyone:
            ctx.require_admin()
        project = ctx.query("project_id") or ctx.query("tenant_id")
        if not everyone or (project and not ctx.is_admin):
            project = ctx.project_id
        host = ctx.query("host") or ctx.query("node")
        if host and not ctx.is_admin:
            host = None  # Nova ignores admin-only filters for other users
        candidates, positions = self._candidates(project, host)
        status = ctx.query("status")
        name = ctx.query("name")
        try:
            name_re = re.compile(name) if name else None
        except re.error as err:
            raise HTTPError(400, f"Invalid regular expression for name: {err}") from err
        limit = min(ctx.int_query("limit", MAX_LIMIT), MAX_LIMIT)
        marker = ctx.query("marker")
        start = 0
        if marker:
            pos = self.state.server_pos.get(marker)
            if pos is None:
                raise HTTPError(400, f"marker [{marker}] not found")
            start = bisect.bisect_right(positions, pos) if positions is not None else pos + 1
        page = []
        for server in _iter_from(candidates, start):
            if status and server.status != status.upper():
                continue
            if name_re and not name_re.search(server.name):
                continue
            page.append(server)
            if len(page) == limit:
                break
        if detail:
            views = self.views
            items = b",".join(views.server_bytes(s, ctx.base_url, ctx.version, ctx.is_admin)
                              for s in page)
        else:
            items = ",".join(
                f'{{"id":"{s.id}","name":{_quote(s.name)},"links":[{{"rel":"self","href":'
                f'"{ctx.base_url}/v2.1/servers/{s.id}"}}]}}' for s in page).encode()
        body = b'{"servers":[' + items + b"]"
        if page and len(page) == limit:
            params = [(k, v) for k, v in ctx.req.GET.items() if k not in ("marker", "limit")]
            params += [("limit", str(limit)), ("marker", page[-1].id)]
            path = "servers/detail" if detail else "servers"
            href = f"{ctx.base_url}/v2.1/{path}?{urlencode(params)}"
            body += b',"servers_links":[{"rel":"next","href":' + _quote(href).encode() + b"}]"
        return 200, Raw(body + b"}")

    def _candidates(self, project: str | None, host: str | None):
        """Servers in Nova's order and, for subsets, their positions in the full order."""
        state = self.state
        if host:
            hypervisor = state.hypervisors_by_name.get(host)
            if hypervisor is None:
                return [], []
            servers = sorted((state.servers[s] for s in hypervisor.servers),
                             key=lambda s: state.server_pos[s.id])
            if project:
                servers = [s for s in servers if s.project_id == project]
            return servers, [state.server_pos[s.id] for s in servers]
        if project:
            servers = state.servers_by_project.get(project, [])
            return servers, [state.server_pos[s.id] for s in servers]
        return state.server_order, None

    def server_action(self, ctx, server_id):
        server = self._server(ctx, server_id)
        body = ctx.json()
        if len(body) != 1:
            raise HTTPError(400, "There is not exactly one action in the request body.")
        action, args = next(iter(body.items()))
        args = args or {}
        if action not in _ACTIONS:
            raise HTTPError(400, f"There is no such action: {action}")
        if action in ("os-migrateLive", "migrate"):
            ctx.require_admin()
        if action == "os-migrateLive" and "block_migration" not in args:
            raise HTTPError(400, "Invalid input for field/attribute os-migrateLive. "
                                 "'block_migration' is a required property")
        flavor = self._flavor(str(args.get("flavorRef", ""))) if action == "resize" else None
        record = self.state.actions.begin(server, _ACTIONS[action], ctx.request_id,
                                          ctx.user_id, ctx.project_id)
        try:
            if action == "os-migrateLive":
                self.ops.live_migrate(server, args.get("host"), record)
            elif action == "migrate":
                self.ops.cold_migrate(server, args.get("host"), record)
            elif action == "resize":
                self.ops.resize(server, flavor, record)
            elif action == "confirmResize":
                self.ops.confirm_resize(server)
            elif action == "revertResize":
                self.ops.revert_resize(server)
            elif action == "os-stop":
                self.ops.stop(server, record)
            else:
                self.ops.start(server, record)
        except HTTPError:
            self.state.actions.discard(record)
            raise
        if action in ("confirmResize", "revertResize"):
            self.state.actions.finish(record)
        return (204 if action == "confirmResize" else 202), None

    def _migration_of(self, server, migration_id: str):
        try:
            migration = self.state.migrations[int(migration_id)]
        except (KeyError, ValueError):
            migration = None
        if migration is None or migration.server_id != server.id:
            raise HTTPError(404, f"Migration {migration_id} could not be found.")
        return migration

    def server_migrations(self, ctx, server_id):
        ctx.require_admin()
        server = self._server(ctx, server_id)
        running = [m for m in self.state.migrations.values()
                   if m.server_id == server.id and m.migration_type == "live-migration"
                   and m.status in ("queued", "preparing", "running")]
        return 200, {"migrations": [self.views.server_migration(m, ctx.version)
                                    for m in running]}

    def show_server_migration(self, ctx, server_id, migration_id):
        ctx.require_admin()
        migration = self._migration_of(self._server(ctx, server_id), migration_id)
        return 200, {"migration": self.views.server_migration(migration, ctx.version)}

    def abort_server_migration(self, ctx, server_id, migration_id):
        ctx.require_admin()
        server = self._server(ctx, server_id)
        self.ops.abort_live_migration(server, self._migration_of(server, migration_id))
        return 202, None

    # -- flavors -------------------------------------------------------------------------------

    def _flavor(self, ref: str):
        flavor = self.state.flavors.get(ref)
        if flavor is None:
            flavor = next((f for f in self.state.flavors.values() if f.name == ref), None)
        if flavor is None or flavor.id in self.state.deleted_flavors:
            raise HTTPError(404, f"Flavor {ref} could not be found.")
        return flavor

    def list_flavors(self, ctx):
        return 200, {"flavors": [self.views.flavor(f, ctx.base_url, ctx.version, False)
                                 for f in self._live_flavors()]}

    def _live_flavors(self) -> list:
        return [f for f in self.state.flavors.values()
                if f.id not in self.state.deleted_flavors]

    def list_flavors_detail(self, ctx):
        return 200, {"flavors": [self.views.flavor(f, ctx.base_url, ctx.version)
                                 for f in self._live_flavors()]}

    def show_flavor(self, ctx, flavor_id):
        return 200, {"flavor": self.views.flavor(self._flavor(flavor_id), ctx.base_url,
                                                 ctx.version)}

    def flavor_extra_specs(self, ctx, flavor_id):
        return 200, {"extra_specs": self._flavor(flavor_id).extra_specs}

    # -- hypervisors ---------------------------------------------------------------------------

    def list_hypervisors(self, ctx):
        return self._list_hypervisors(ctx, detail=False)

    def list_hypervisors_detail(self, ctx):
        return self._list_hypervisors(ctx, detail=True)

    def _list_hypervisors(self, ctx, detail: bool):
        ctx.require_admin()
        hypervisors = self.state.hypervisor_order
        pattern = ctx.query("hypervisor_hostname_pattern")
        if pattern:
            if not ctx.at_least("2.53"):
                raise HTTPError(400, "Query parameter hypervisor_hostname_pattern is not "
                                     "supported before microversion 2.53")
            hypervisors = [h for h in hypervisors if pattern in h.name]
            if not hypervisors:
                raise HTTPError(404, f"No hypervisor matching '{pattern}' could be found.")
        with_servers = ctx.at_least("2.53") and ctx.query("with_servers", "").lower() in _TRUE
        limit = ctx.int_query("limit") if ctx.at_least("2.33") else None
        marker = ctx.query("marker") if ctx.at_least("2.33") else None
        start = 0
        if marker:
            ids = [h.id if ctx.at_least("2.53") else str(h.number) for h in hypervisors]
            if marker not in ids:
                raise HTTPError(400, f"marker [{marker}] not found")
            start = ids.index(marker) + 1
        page = hypervisors[start:start + limit] if limit is not None else hypervisors[start:]
        body = {"hypervisors": [self.views.hypervisor(h, ctx.version, detail, with_servers)
                                for h in page]}
        if limit is not None and page and len(page) == limit:
            last = page[-1].id if ctx.at_least("2.53") else page[-1].number
            path = "os-hypervisors/detail" if detail else "os-hypervisors"
            params = [(k, v) for k, v in ctx.req.GET.items() if k not in ("marker", "limit")]
            params += [("limit", str(limit)), ("marker", str(last))]
            body["hypervisors_links"] = [{"rel": "next", "href":
                                          f"{ctx.base_url}/v2.1/{path}?{urlencode(params)}"}]
        return 200, body

    def _hypervisor(self, ctx, hypervisor_id: str):
        state = self.state
        found = state.hypervisors.get(hypervisor_id)
        if found is None and not ctx.at_least("2.53") and hypervisor_id.isdigit():
            number = int(hypervisor_id)
            if 0 < number <= len(state.hypervisor_order):
                found = state.hypervisor_order[number - 1]
        if found is None:
            raise HTTPError(404, f"Hypervisor with ID {hypervisor_id} could not be found.")
        return found

    def show_hypervisor(self, ctx, hypervisor_id):
        ctx.require_admin()
        hypervisor = self._hypervisor(ctx, hypervisor_id)
        with_servers = ctx.at_least("2.53") and ctx.query("with_servers", "").lower() in _TRUE
        return 200, {"hypervisor": self.views.hypervisor(hypervisor, ctx.version, True,
                                                         with_servers)}

    def _by_pattern(self, ctx, pattern: str) -> list:
        if ctx.at_least("2.53"):
            raise HTTPError(404, "The resource could not be found.")
        found = [h for h in self.state.hypervisor_order if pattern in h.name]
        if not found:
            raise HTTPError(404, f"No hypervisor matching '{pattern}' could be found.")
        return found

    def search_hypervisors(self, ctx, pattern):
        ctx.require_admin()
        return 200, {"hypervisors": [self.views.hypervisor(h, ctx.version, False)
                                     for h in self._by_pattern(ctx, pattern)]}

    def hypervisor_servers(self, ctx, pattern):
        ctx.require_admin()
        return 200, {"hypervisors": [self.views.hypervisor(h, ctx.version, False, True)
                                     for h in self._by_pattern(ctx, pattern)]}

    # -- services ------------------------------------------------------------------------------

    def list_services(self, ctx):
        ctx.require_admin()
        binary, host = ctx.query("binary"), ctx.query("host")
        services = [self.views.service(s, ctx.version) for s in self.state.service_order
                    if (binary is None or s.binary == binary) and (host is None or
                                                                   s.host == host)]
        return 200, {"services": services}

    def update_service(self, ctx, service_id):
        ctx.require_admin()
        body = ctx.json()
        if service_id in ("enable", "disable", "disable-log-reason", "force-down"):
            if ctx.at_least("2.53"):
                raise HTTPError(404, "The resource could not be found.")
            return self._legacy_service_update(ctx, service_id, body)
        if not ctx.at_least("2.53"):
            raise HTTPError(404, "The resource could not be found.")
        service = self.state.services.get(service_id)
        if service is None:
            raise HTTPError(404, f"Service {service_id} could not be found.")
        status = body.get("status")
        if status not in (None, "enabled", "disabled"):
            raise HTTPError(400, f"Invalid input for field/attribute status. Value: {status}.")
        if body.get("disabled_reason") and status != "disabled":
            raise HTTPError(400, "Specifying 'disabled_reason' with status 'enabled' is "
                                 "invalid.")
        self.ops.update_service(service, status, body.get("disabled_reason"),
                                body.get("forced_down"))
        return 200, {"service": self.views.service(service, ctx.version)}

    def _legacy_service_update(self, ctx, action: str, body: dict):
        host, binary = body.get("host"), body.get("binary")
        service = next((s for s in self.state.service_order
                        if s.host == host and s.binary == binary), None)
        if service is None:
            raise HTTPError(404, f"Service {binary} on host {host} could not be found.")
        if action == "force-down":
            self.ops.update_service(service, forced_down=bool(body.get("forced_down")))
            return 200, {"service": {"host": host, "binary": binary,
                                     "forced_down": service.forced_down}}
        status = "enabled" if action == "enable" else "disabled"
        self.ops.update_service(service, status, body.get("disabled_reason"))
        doc = {"host": host, "binary": binary, "status": status}
        if action == "disable-log-reason":
            doc["disabled_reason"] = service.disabled_reason
        return 200, {"service": doc}

    # -- zones, aggregates, groups, migrations -------------------------------------------------

    def list_zones(self, ctx):
        return 200, {"availabilityZoneInfo": [
            {"zoneName": zone, "zoneState": {"available": True}, "hosts": None}
            for zone in self._zones()]}

    def _zones(self) -> list[str]:
        used = {s.zone for s in self.state.compute_services.values()}
        return [z for z in self.state.availability_zones if z in used]

    def list_zones_detail(self, ctx):
        ctx.require_admin()
        info = []
        grouped: dict[str, dict] = {}
        for service in self.state.service_order:
            entry = grouped.setdefault(service.zone, {})
            entry.setdefault(service.host, {})[service.binary] = {
                "available": service.state == "up", "active": service.status == "enabled",
                "updated_at": self.state.clock.isotime(service.updated_at, micro=True)}
        for zone, hosts in grouped.items():
            info.append({"zoneName": zone, "zoneState": {"available": True}, "hosts": hosts})
        return 200, {"availabilityZoneInfo": info}

    def list_aggregates(self, ctx):
        ctx.require_admin()
        return 200, {"aggregates": [self.views.aggregate(a, ctx.version)
                                    for a in self.state.aggregates.values()]}

    def show_aggregate(self, ctx, aggregate_id):
        ctx.require_admin()
        aggregate = None
        if aggregate_id.isdigit():
            aggregate = self.state.aggregates.get(int(aggregate_id))
        if aggregate is None:
            raise HTTPError(404, f"Aggregate {aggregate_id} could not be found.")
        return 200, {"aggregate": self.views.aggregate(aggregate, ctx.version)}

    def list_server_groups(self, ctx):
        everyone = ctx.query("all_projects", "").lower() in _TRUE and ctx.is_admin
        groups = [self.views.server_group(g, ctx.version)
                  for g in self.state.server_groups.values()
                  if everyone or g.project_id == ctx.project_id]
        return 200, {"server_groups": groups}

    def show_server_group(self, ctx, group_id):
        group = self.state.server_groups.get(group_id)
        if group is None or not (ctx.is_admin or group.project_id == ctx.project_id):
            raise HTTPError(404, f"Instance group {group_id} could not be found.")
        return 200, {"server_group": self.views.server_group(group, ctx.version)}

    def list_migrations(self, ctx):
        ctx.require_admin()
        filters = {"instance_uuid": "server_id", "status": "status",
                   "migration_type": "migration_type"}
        host = ctx.query("host")
        found = []
        for migration in reversed(list(self.state.migrations.values())):
            if any(ctx.query(q) is not None and getattr(migration, attr) != ctx.query(q)
                   for q, attr in filters.items()):
                continue
            if host and host not in (migration.source_compute, migration.dest_compute):
                continue
            found.append(self.views.migration(migration, ctx.version, ctx.base_url))
        return 200, {"migrations": found}


def format_max(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def _quote(text: str) -> str:
    return json.dumps(text)


def _iter_from(items: list, start: int):
    for index in range(start, len(items)):
        yield items[index]
