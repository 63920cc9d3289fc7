"""The one object that holds the simulated cloud, shared by every API app.

Records live in dicts keyed by id, with the indexes the hot requests need (servers in
Nova's default order with their positions for marker paging, per-project server lists,
hypervisor by name, pool -> volumes, host -> bare-metal node). Mutations go through the
methods here, under ``lock``, so usage counters and indexes stay right; each mutation bumps
the record's ``rev`` so apps can cache rendered JSON.
"""

import ipaddress
import threading
import uuid
from collections.abc import Callable

from watcher.simulator import metrics
from watcher.simulator.clock import Clock, parse_time
from watcher.simulator.instance_actions import ActionLog
from watcher.simulator.records import (
    Aggregate,
    Attachment,
    BaremetalNode,
    Domain,
    Flavor,
    Hypervisor,
    Migration,
    Pool,
    Project,
    Role,
    Server,
    ServerGroup,
    Service,
    User,
    Volume,
    VolumeType,
)
from watcher.simulator.scenario.loader import Scenario
from watcher.simulator.scenario.schema import HYPERVISOR_DEFAULTS as DEFAULTS
from watcher.simulator.tenancy import TenantResources

CONTROLLER = "controller"
_POWER_STATE = {"ACTIVE": 1, "SHUTOFF": 4, "PAUSED": 3, "SUSPENDED": 4, "ERROR": 0,
                "SHELVED_OFFLOADED": 4, "VERIFY_RESIZE": 1, "BUILD": 0}

# Other sections (heat, ...) register a loader: fn(state, section_doc, scenario).
SECTION_LOADERS: dict[str, Callable] = {}


def register_section_loader(section: str, loader: Callable) -> None:
    SECTION_LOADERS[section] = loader


class CloudState:
    def __init__(self, scenario: Scenario, clock: Clock | None = None) -> None:
        doc = scenario.doc
        self.scenario = scenario
        self.seed = int(doc.get("seed", 0))
        self.region = doc.get("region", "RegionOne")
        clock_doc = doc.get("clock", {})
        start = parse_time(clock_doc["start"]) if "start" in clock_doc else None
        self.clock = clock or Clock(start, clock_doc.get("speed", 1.0))
        self.lock = threading.RLock()
        self.dynamics: dict[str, float] = doc.get("dynamics", {})
        # Apps of other services keep their own data here, keyed by section name.
        self.extensions: dict[str, object] = {}
        self._load_identity(doc.get("identity", {}))
        self._load_compute(doc.get("compute", {}))
        self._load_storage(doc.get("storage", {}))
        self._load_baremetal(doc.get("baremetal", {}))
        self.tenant = TenantResources(self)
        self.actions = ActionLog(self.clock)
        # (server, terminated_at) of deleted servers, for usage reports
        self.terminated: list[tuple[Server, float]] = []
        self.metrics = metrics.MetricStore(self, doc.get("metrics", {}), self.seed,
                                           scenario.resolve)
        for section, loader in SECTION_LOADERS.items():
            if section in doc:
                loader(self, doc[section], scenario)

    def make_id(self, kind: str, name: str) -> str:
        """Stable ids: the same scenario always yields the same UUIDs."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"watcher-sim:{self.seed}:{kind}:{name}"))

    # -- identity ------------------------------------------------------------------------------

    def _load_identity(self, section: dict) -> None:
        self.domains: dict[str, Domain] = {"default": Domain("default", "Default")}
        for item in section.get("domains", []):
            domain = Domain(item.get("id", item["name"]), item["name"],
                            item.get("description", ""))
            self.domains[domain.id] = domain
        projects = section.get("projects") or [{"name": "admin"}, {"name": "demo"},
                                               {"name": "service"}]
        self.projects: dict[str, Project] = {}
        self.projects_by_name: dict[str, Project] = {}
        for item in projects:
            project = Project(item.get("id") or self.make_id("project", item["name"]).replace(
                "-", ""), item["name"], self._domain_id(item.get("domain", "default")),
                item.get("description", ""))
            self.projects[project.id] = project
            self.projects_by_name[project.name] = project
        users = section.get("users") or [
            {"name": "admin", "password": "admin", "project": "admin", "roles": ["admin"]},
            {"name": "demo", "password": "demo", "project": "demo", "roles": ["member"]},
        ]
        self.roles: dict[str, Role] = {}
        self.users: dict[str, User] = {}
        self.users_by_name: dict[str, User] = {}
        for item in users:
            project = self.projects_by_name[item["project"]]
            user = User(item.get("id") or self.make_id("user", item["name"]).replace("-", ""),
                        item["name"], self._domain_id(item.get("domain", "default")),
                        item["password"], project.id, email=item.get("email", ""))
            roles = list(item["roles"])
            # Keystone's implied roles: admin implies member implies reader.
            for implied_by, implied in (("admin", "member"), ("member", "reader")):
                if implied_by in roles and implied not in roles:
                    roles.append(implied)
            user.roles[project.id] = roles
            for role in roles:
                self.role(role)
            self.users[user.id] = user
            self.users_by_name[user.name] = user
        self.admin_user = next((u for u in self.users.values()
                                if "admin" in next(iter(u.roles.values()))),
                               next(iter(self.users.values())))

    def _domain_id(self, ref: str) -> str:
        if ref in self.domains:
            return ref
        return next(d.id for d in self.domains.values() if d.name == ref)

    def role(self, name: str) -> Role:
        for role in self.roles.values():
            if role.name == name:
                return role
        role = Role(self.make_id("role", name).replace("-", ""), name)
        self.roles[role.id] = role
        return role

    def project_id(self, name: str | None) -> str:
        return self.projects_by_name[name or "admin"].id

    # -- compute -------------------------------------------------------------------------------

    def _load_compute(self, section: dict) -> None:
        now = self.clock.start
        self.flavors: dict[str, Flavor] = {}
        self.deleted_flavors: set[str] = set()  # still held by the servers built with them
        flavor_by_ref: dict[str, Flavor] = {}
        for index, item in enumerate(section.get("flavors", [])):
            flavor = Flavor(str(item.get("id", index + 1)), item["name"], item["vcpus"],
                            item["ram"], item["disk"], item.get("ephemeral", 0),
                            item.get("swap", 0), is_public=item.get("is_public", True),
                            description=item.get("description"),
                            extra_specs={k: str(v) for k, v in
                                         item.get("extra_specs", {}).items()})
            self.flavors[flavor.id] = flavor
            flavor_by_ref[flavor.name] = flavor_by_ref[flavor.id] = flavor
        zones_of_host: dict[str, str] = {}
        self.aggregates: dict[int, Aggregate] = {}
        for index, item in enumerate(section.get("aggregates", [])):
            aggregate = Aggregate(index + 1, self.make_id("aggregate", item["name"]),
                                  item["name"], item.get("availability_zone"),
                                  list(item.get("hosts", [])),
                                  {k: str(v) for k, v in item.get("metadata", {}).items()},
                                  created_at=now)
            if aggregate.availability_zone:
                aggregate.metadata["availability_zone"] = aggregate.availability_zone
                for host in aggregate.hosts:
                    zones_of_host[host] = aggregate.availability_zone
            self.aggregates[aggregate.id] = aggregate
        self.availability_zones = list(section.get("availability_zones", []))
        for zone in list(zones_of_host.values()) + ["nova"]:
            if zone not in self.availability_zones:
                self.availability_zones.append(zone)
        self.hypervisors: dict[str, Hypervisor] = {}
        self.hypervisors_by_name: dict[str, Hypervisor] = {}
        self.hypervisor_order: list[Hypervisor] = []
        self.services: dict[str, Service] = {}
        self.service_order: list[Service] = []
        self.compute_services: dict[str, Service] = {}
        for binary in ("nova-scheduler", "nova-conductor"):
            self._add_service(binary, CONTROLLER, "internal", now)
        network = ipaddress.ip_network("10.0.0.0/8")
        for index, item in enumerate(section.get("hypervisors", [])):
            ratios, reserved = item.get("allocation_ratios", {}), item.get("reserved", {})
            power = item.get("power", {})
            hypervisor = Hypervisor(
                item.get("id") or self.make_id("hypervisor", item["name"]), index + 1,
                item["name"], item["vcpus"], item["memory_mb"], item["disk_gb"],
                ratios.get("vcpu", DEFAULTS["vcpu_ratio"]),
                ratios.get("memory", DEFAULTS["memory_ratio"]),
                ratios.get("disk", DEFAULTS["disk_ratio"]),
                reserved.get("vcpus", DEFAULTS["reserved_vcpus"]),
                reserved.get("memory_mb", DEFAULTS["reserved_memory_mb"]),
                reserved.get("disk_gb", DEFAULTS["reserved_disk_gb"]),
                item.get("host_ip", str(network[index + 2])),
                hypervisor_type=item.get("hypervisor_type", "QEMU"),
                cpu_model=item.get("cpu_model", "Cascadelake-Server"),
                availability_zone=zones_of_host.get(item["name"], "nova"),
                traits=list(item.get("traits", [])) or ["COMPUTE_NET_ATTACH_INTERFACE",
                                                        "COMPUTE_VOLUME_ATTACH", "HW_CPU_X86_AVX2"],
                power_idle_watts=power.get("idle_watts", 100.0),
                power_max_watts=power.get("max_watts", 300.0))
            self.hypervisors[hypervisor.id] = hypervisor
            self.hypervisors_by_name[hypervisor.name] = hypervisor
            self.hypervisor_order.append(hypervisor)
            service = self._add_service("nova-compute", hypervisor.name,
                                        hypervisor.availability_zone, now)
            service.status = item.get("status", "enabled")
            service.disabled_reason = item.get("disabled_reason")
            service.state = item.get("state", "up")
            self.compute_services[hypervisor.name] = service
        self.server_groups: dict[str, ServerGroup] = {}
        group_by_name: dict[str, ServerGroup] = {}
        for item in section.get("server_groups", []):
            project = self.project_id(item.get("project"))
            group = ServerGroup(item.get("id") or self.make_id("group", item["name"]),
                                item["name"], item["policy"], project, self.admin_user.id)
            self.server_groups[group.id] = group
            group_by_name[group.name] = group
        self.servers: dict[str, Server] = {}
        self.servers_by_name: dict[str, Server] = {}
        items = section.get("servers", [])
        for index, item in enumerate(items):
            flavor = flavor_by_ref[item["flavor"]]
            user = self.users_by_name.get(item.get("user", ""), self.admin_user)
            status = item.get("status", "ACTIVE")
            # Servers were booted one minute apart, oldest first, before the scenario began.
            created = now - 60.0 * (len(items) - index)
            server = Server(
                item.get("id") or self.make_id("server", item["name"]), item["name"],
                flavor.id, item.get("host"), self.project_id(item.get("project")), user.id,
                status=status, power_state=_POWER_STATE[status], created_at=created,
                updated_at=created, launched_at=created + 30 if item.get("host") else None,
                image_id=self.make_id("image", item.get("image", "cirros")),
                boot_from_volume=item.get("boot_from_volume", False),
                metadata={k: str(v) for k, v in item.get("metadata", {}).items()},
                address=str(network[(1 << 20) + index]), locked=item.get("locked", False))
            if server.host:
                server.availability_zone = self.hypervisors_by_name[server.host].availability_zone
                self._claim(self.hypervisors_by_name[server.host], server, +1)
            group = group_by_name.get(item.get("server_group", ""))
            if group is not None:
                server.group_id = group.id
                group.members.append(server.id)
            self.servers[server.id] = server
            self.servers_by_name[server.name] = server
        self.migrations: dict[int, Migration] = {}
        # migration uuid -> (host, vcpus, ram, disk) held on the destination while moving
        self.claims: dict[str, tuple[str, int, int, int]] = {}
        self._index_servers()

    def _add_service(self, binary: str, host: str, zone: str, now: float) -> Service:
        number = len(self.service_order) + 1
        service = Service(self.make_id("service", f"{binary}@{host}"), number, binary, host,
                          zone, updated_at=now)
        self.services[service.id] = service
        self.service_order.append(service)
        return service

    def _index_servers(self) -> None:
        # Nova lists newest first (created_at desc, id desc); paging follows that order.
        self.server_order: list[Server] = sorted(
            self.servers.values(), key=lambda s: (s.created_at, s.id), reverse=True)
        self.server_pos: dict[str, int] = {s.id: i for i, s in enumerate(self.server_order)}
        self.servers_by_project: dict[str, list[Server]] = {}
        for server in self.server_order:
            self.servers_by_project.setdefault(server.project_id, []).append(server)

    def add_server(self, server: Server) -> None:
        """A server accepted by the API, not yet on a host."""
        self.servers[server.id] = server
        self.servers_by_name.setdefault(server.name, server)
        if server.group_id is not None:
            self.server_groups[server.group_id].members.append(server.id)
        self._index_servers()

    def place_server(self, server: Server, host: str) -> None:
        """The scheduler's choice: the server's resources are claimed on ``host``."""
        server.host = host
        target = self.hypervisors_by_name[host]
        server.availability_zone = target.availability_zone
        self._claim(target, server, +1)
        self.touch(server)

    def remove_server(self, server: Server) -> None:
        """A deleted server frees its host, group membership, volumes and ports."""
        if server.host:
            self._claim(self.hypervisors_by_name[server.host], server, -1)
        if server.group_id is not None:
            members = self.server_groups[server.group_id].members
            if server.id in members:
                members.remove(server.id)
        for volume_id in server.volumes:
            volume = self.volumes[volume_id]
            volume.attachments = [a for a in volume.attachments if a.server_id != server.id]
            if not volume.attachments:
                volume.status = "available"
            self.touch(volume)
        self.tenant.release_ports(server)
        del self.servers[server.id]
        if self.servers_by_name.get(server.name) is server:
            del self.servers_by_name[server.name]
        self.terminated.append((server, self.clock.now()))
        self._index_servers()

    def server_resources(self, server: Server, flavor: Flavor | None = None) -> tuple[int, int,
                                                                                      int]:
        flavor = flavor or self.flavors[server.flavor_id]
        disk = (0 if server.boot_from_volume else flavor.disk) + flavor.ephemeral
        return flavor.vcpus, flavor.ram, disk

    def _claim(self, hypervisor: Hypervisor, server: Server, sign: int,
               flavor: Flavor | None = None) -> None:
        vcpus, ram, disk = self.server_resources(server, flavor)
        hypervisor.vcpus_used += sign * vcpus
        hypervisor.memory_mb_used += sign * ram
        hypervisor.disk_gb_used += sign * disk
        if sign > 0:
            hypervisor.servers.add(server.id)
        else:
            hypervisor.servers.discard(server.id)
        hypervisor.rp_generation += 1
        hypervisor.rev += 1

    def capacity(self, hypervisor: Hypervisor) -> tuple[int, int, int]:
        return (
            int((hypervisor.vcpus - hypervisor.reserved_vcpus) * hypervisor.vcpu_ratio),
            int((hypervisor.memory_mb - hypervisor.reserved_memory_mb) * hypervisor.memory_ratio),
            int((hypervisor.disk_gb - hypervisor.reserved_disk_gb) * hypervisor.disk_ratio),
        )

    def fits(self, hypervisor: Hypervisor, server: Server, flavor: Flavor | None = None) -> bool:
        need = self.server_resources(server, flavor)
        used = (hypervisor.vcpus_used, hypervisor.memory_mb_used, hypervisor.disk_gb_used)
        return all(u + n <= c for u, n, c in zip(used, need, self.capacity(hypervisor),
                                                         strict=True))

    def touch(self, record) -> None:
        record.rev += 1
        if hasattr(record, "updated_at"):
            record.updated_at = self.clock.now()

    def reserve(self, migration: Migration, host: str, server: Server,
                flavor: Flavor | None = None) -> None:
        """Hold room on the destination for the length of a move."""
        hypervisor = self.hypervisors_by_name[host]
        vcpus, ram, disk = self.server_resources(server, flavor)
        hypervisor.vcpus_used += vcpus
        hypervisor.memory_mb_used += ram
        hypervisor.disk_gb_used += disk
        hypervisor.rp_generation += 1
        hypervisor.rev += 1
        self.claims[migration.uuid] = (host, vcpus, ram, disk)

    def release(self, migration: Migration) -> None:
        claim = self.claims.pop(migration.uuid, None)
        if claim is None:
            return
        hypervisor = self.hypervisors_by_name[claim[0]]
        hypervisor.vcpus_used -= claim[1]
        hypervisor.memory_mb_used -= claim[2]
        hypervisor.disk_gb_used -= claim[3]
        hypervisor.rp_generation += 1
        hypervisor.rev += 1

    def move_server(self, server: Server, host: str, flavor: Flavor | None = None) -> None:
        """Put ``server`` on ``host`` (optionally with a new flavor), fixing usage counters."""
        if server.host:
            self._claim(self.hypervisors_by_name[server.host], server, -1)
        if flavor is not None:
            server.flavor_id = flavor.id
        server.host = host
        target = self.hypervisors_by_name[host]
        server.availability_zone = target.availability_zone
        self._claim(target, server, +1)
        self.touch(server)

    def new_migration(self, server: Server, kind: str, dest: str | None,
                      new_flavor_id: str | None = None) -> Migration:
        now = self.clock.now()
        number = len(self.migrations) + 1
        migration = Migration(number, self.make_id("migration", str(number)), server.id, kind,
                              server.host or "", dest, "accepted", server.flavor_id,
                              new_flavor_id or server.flavor_id, server.project_id,
                              server.user_id, now, now)
        self.migrations[number] = migration
        return migration

    def set_migration_status(self, migration: Migration, status: str) -> None:
        migration.status = status
        migration.updated_at = self.clock.now()

    def aggregates_of(self, host: str) -> list[Aggregate]:
        return [a for a in self.aggregates.values() if host in a.hosts]

    # -- storage -------------------------------------------------------------------------------

    def _load_storage(self, section: dict) -> None:
        now = self.clock.start
        self.volume_types: dict[str, VolumeType] = {}
        self.volume_types_by_name: dict[str, VolumeType] = {}
        types = section.get("volume_types") or ([{"name": "__DEFAULT__"}])
        for item in types:
            specs = {k: str(v) for k, v in item.get("extra_specs", {}).items()}
            if "backend" in item:
                specs.setdefault("volume_backend_name", item["backend"])
            vtype = VolumeType(item.get("id") or self.make_id("volume_type", item["name"]),
                               item["name"], item.get("description"), extra_specs=specs)
            self.volume_types[vtype.id] = vtype
            self.volume_types_by_name[vtype.name] = vtype
        self.default_volume_type = next(iter(self.volume_types.values()))
        self.pools: dict[str, Pool] = {}
        self.cinder_services: list[Service] = []
        self._add_cinder_service("cinder-scheduler", CONTROLLER, "nova", now)
        for backend in section.get("backends", []):
            host = f"{backend['host']}@{backend['name']}"
            service = self._add_cinder_service("cinder-volume", host,
                                               backend.get("availability_zone", "nova"), now)
            service.state = backend.get("state", "up")
            service.status = backend.get("status", "enabled")
            for item in backend["pools"]:
                pool = Pool(f"{host}#{item['name']}", host, backend["name"],
                            float(item["total_capacity_gb"]),
                            item.get("reserved_percentage", 0),
                            float(item.get("max_over_subscription_ratio", 20.0)),
                            item.get("thin_provisioning", True),
                            backend.get("storage_protocol", "iSCSI"),
                            backend.get("vendor_name", "Open Source"))
                self.pools[pool.name] = pool
        self.volumes: dict[str, Volume] = {}
        items = section.get("volumes", [])
        for index, item in enumerate(items):
            created = now - 60.0 * (len(items) - index)
            vtype = self.volume_types_by_name.get(item.get("type", ""), self.default_volume_type)
            volume = Volume(item.get("id") or self.make_id("volume", item["name"]), item["name"],
                            item["size"], item["pool"], vtype.name,
                            self.project_id(item.get("project")), self.admin_user.id,
                            bootable=item.get("bootable", False),
                            multiattach=item.get("multiattach", False),
                            created_at=created, updated_at=created,
                            metadata={k: str(v) for k, v in item.get("metadata", {}).items()})
            for pos, attachment in enumerate(item.get("attachments", [])):
                server = self.servers_by_name[attachment["server"]]
                volume.attachments.append(Attachment(
                    self.make_id("attachment", f"{volume.name}:{pos}"), server.id,
                    attachment.get("device", "/dev/vdb"), created))
                server.volumes.append(volume.id)
            volume.status = item.get("status", "in-use" if volume.attachments else "available")
            self.volumes[volume.id] = volume
            self._place_volume(volume, volume.pool, +1)
        self._index_volumes()

    def _add_cinder_service(self, binary: str, host: str, zone: str, now: float) -> Service:
        service = Service(self.make_id("service", f"{binary}@{host}"),
                          len(self.cinder_services) + 1, binary, host, zone, updated_at=now)
        self.cinder_services.append(service)
        return service

    def _place_volume(self, volume: Volume, pool_name: str, sign: int) -> None:
        pool = self.pools[pool_name]
        pool.allocated_capacity_gb += sign * volume.size
        if sign > 0:
            pool.volumes.add(volume.id)
            volume.pool = pool_name
        else:
            pool.volumes.discard(volume.id)

    def add_volume(self, volume: Volume) -> None:
        self.volumes[volume.id] = volume
        self._place_volume(volume, volume.pool, +1)
        self._index_volumes()

    def remove_volume(self, volume: Volume) -> None:
        self._place_volume(volume, volume.pool, -1)
        del self.volumes[volume.id]
        self._index_volumes()

    def _index_volumes(self) -> None:
        self.volume_order: list[Volume] = sorted(self.volumes.values(),
                                                 key=lambda v: (v.created_at, v.id), reverse=True)
        self.volume_pos = {v.id: i for i, v in enumerate(self.volume_order)}

    def move_volume(self, volume: Volume, pool_name: str) -> None:
        self._place_volume(volume, volume.pool, -1)
        self._place_volume(volume, pool_name, +1)
        self.touch(volume)

    # -- bare metal ----------------------------------------------------------------------------

    def _load_baremetal(self, section: dict) -> None:
        self.baremetal_nodes: dict[str, BaremetalNode] = {}
        self.baremetal_by_hypervisor: dict[str, BaremetalNode] = {}
        for item in section.get("nodes", []):
            node_id = item.get("id") or self.make_id("baremetal", item["name"])
            node = BaremetalNode(
                node_id, item["name"], item.get("provider", "ironic"),
                item.get("system_id") or node_id.replace("-", "")[:6], item.get("hypervisor"),
                power_state="power on" if item.get("power_state", "on") == "on" else "power off",
                provision_state=item.get("provision_state", "active"),
                maintenance=item.get("maintenance", False), driver=item.get("driver", "ipmi"),
                properties=item.get("properties", {}), updated_at=self.clock.start)
            self.baremetal_nodes[node.id] = node
            if node.hypervisor:
                self.baremetal_by_hypervisor[node.hypervisor] = node
                if node.power_state == "power off":
                    self.compute_services[node.hypervisor].state = "down"

    def host_powered_on(self, host: str) -> bool:
        node = self.baremetal_by_hypervisor.get(host)
        return node is None or node.power_state == "power on"
