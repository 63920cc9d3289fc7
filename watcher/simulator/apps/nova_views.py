"""JSON documents of the simulated Nova, shaped by microversion the way Nova shapes them.

Server documents are the hot path (100k servers paged by an admin), so each one is encoded
once per (revision, shape) and reused until the server or its host's service changes.
"""

import functools
import hashlib
import json

from watcher.simulator.records import Aggregate, Flavor, Hypervisor, Migration, Server, Service
from watcher.simulator.wsgi import parse_version

# Microversions where the server document changes shape.
_SERVER_STEPS = [parse_version(v) for v in ("2.3", "2.9", "2.16", "2.19", "2.26", "2.47",
                                            "2.63", "2.73", "2.75", "2.96", "2.98", "2.100")]
_VM_STATE = {"ACTIVE": "active", "SHUTOFF": "stopped", "PAUSED": "paused", "SUSPENDED":
             "suspended", "ERROR": "error", "SHELVED_OFFLOADED": "shelved_offloaded",
             "VERIFY_RESIZE": "resized", "BUILD": "building", "MIGRATING": "active",
             "RESIZE": "active"}


@functools.lru_cache(maxsize=256)
def _step(version: tuple[int, int]) -> int:
    return sum(version >= step for step in _SERVER_STEPS)


def _encode(doc) -> bytes:
    return json.dumps(doc, separators=(",", ":")).encode()


def _members(doc: dict) -> bytes:
    """An object's members without the braces, ready to be joined with others."""
    return _encode(doc)[1:-1]


class NovaViews:
    def __init__(self, state) -> None:
        self.state = state
        self.clock = state.clock
        # server id -> ((rev, base_url), core, admin, admin_2_3): JSON fragments without
        # braces; a document is their concatenation plus small per-version parts.
        self._fragments: dict[str, tuple] = {}
        self._flavor_parts: dict[tuple, bytes] = {}
        self._tails: dict[tuple, bytes] = {}

    # -- servers -------------------------------------------------------------------------------

    def warm(self, base_url: str) -> None:
        """Encode every server's fragments now, so the first listing is as fast as later
        ones (start-up pays instead of the first client)."""
        for server in self.state.server_order:
            self._server_fragments(server, base_url)

    def server_bytes(self, server: Server, base_url: str, version, admin: bool) -> bytes:
        _, core, admin_part, admin_2_3 = self._server_fragments(server, base_url)
        step = _step(version)
        parts = [b"{", core, self._flavor_part(server.flavor_id, base_url, version >= (2, 47))]
        if admin:
            parts.append(admin_part)
            if step:  # 2.3
                parts.append(admin_2_3)
        parts.append(self._tail(step, server.locked, self._host_status(server) if admin
                                else None, server.pinned_az))
        parts.append(b"}")
        return b"".join(parts)

    def server(self, server: Server, base_url: str, version, admin: bool) -> dict:
        return json.loads(self.server_bytes(server, base_url, version, admin))

    def _server_fragments(self, server: Server, base_url: str) -> tuple:
        cached = self._fragments.get(server.id)
        key = (server.rev, base_url)
        if cached is not None and cached[0] == key:
            return cached
        iso = self.clock.isotime
        host_id = hashlib.sha224((server.project_id + (server.host or "")).encode()).hexdigest() \
            if server.host else ""
        core = {
            "id": server.id, "name": server.name, "status": server.status,
            "tenant_id": server.project_id, "user_id": server.user_id,
            "metadata": server.metadata, "hostId": host_id,
            "image": "" if server.boot_from_volume else {
                "id": server.image_id,
                "links": [{"rel": "bookmark", "href": f"{base_url}/images/{server.image_id}"}]},
            "created": iso(server.created_at), "updated": iso(server.updated_at),
            "addresses": {server.network: [{
                "version": 4, "addr": server.address, "OS-EXT-IPS:type": "fixed",
                "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:" + ":".join(
                    server.id[i:i + 2] for i in (0, 2, 4))}]}
            if server.host and server.address else {},
            "accessIPv4": "", "accessIPv6": "",
            "links": [{"rel": "self", "href": f"{base_url}/v2.1/servers/{server.id}"},
                      {"rel": "bookmark", "href": f"{base_url}/servers/{server.id}"}],
            "OS-DCF:diskConfig": "MANUAL", "progress": 0,
            "OS-EXT-AZ:availability_zone": server.availability_zone, "config_drive": "",
            "key_name": server.key_name,
            "OS-SRV-USG:launched_at": iso(server.launched_at, micro=True)
            if server.launched_at else None,
            "OS-SRV-USG:terminated_at": None,
            "security_groups": [{"name": "default"}],
            "OS-EXT-STS:task_state": server.task_state,
            "OS-EXT-STS:vm_state": _VM_STATE[server.status],
            "OS-EXT-STS:power_state": server.power_state,
            "os-extended-volumes:volumes_attached": [
                {"id": v, "delete_on_termination": False} for v in server.volumes],
        }
        admin = {"OS-EXT-SRV-ATTR:host": server.host,
                 "OS-EXT-SRV-ATTR:instance_name": "instance-%08x" % (
                     self.state.server_pos.get(server.id, 0) + 1),
                 "OS-EXT-SRV-ATTR:hypervisor_hostname": server.host}
        admin_2_3 = {"OS-EXT-SRV-ATTR:reservation_id": "r-" + server.id[:8],
                     "OS-EXT-SRV-ATTR:launch_index": 0, "OS-EXT-SRV-ATTR:kernel_id": "",
                     "OS-EXT-SRV-ATTR:ramdisk_id": "", "OS-EXT-SRV-ATTR:hostname": server.name,
                     "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
                     "OS-EXT-SRV-ATTR:user_data": None}
        entry = (key, _members(core), b"," + _members(admin), b"," + _members(admin_2_3))
        self._fragments[server.id] = entry
        return entry

    def _host_status(self, server: Server) -> str | None:
        if not server.host:
            return None
        service = self.state.compute_services[server.host]
        if service.state == "down" or service.forced_down:
            return "DOWN"
        return "MAINTENANCE" if service.status == "disabled" else "UP"

    def _flavor_part(self, flavor_id: str, base_url: str, embedded: bool) -> bytes:
        key = (flavor_id, base_url, embedded)
        part = self._flavor_parts.get(key)
        if part is None:
            flavor = self.state.flavors[flavor_id]
            if embedded:
                doc = {"vcpus": flavor.vcpus, "ram": flavor.ram, "disk": flavor.disk,
                       "ephemeral": flavor.ephemeral, "swap": flavor.swap,
                       "original_name": flavor.name, "extra_specs": flavor.extra_specs}
            else:
                doc = {"id": flavor.id, "links": [{"rel": "bookmark", "href":
                                                   f"{base_url}/flavors/{flavor.id}"}]}
            part = b',"flavor":' + _encode(doc)
            self._flavor_parts[key] = part
        return part

    def _tail(self, step: int, locked: bool, host_status: str | None,
              pinned_az: str | None) -> bytes:
        """The fields later microversions add; ``step`` counts the thresholds passed."""
        key = (step, locked, host_status, pinned_az)
        part = self._tails.get(key)
        if part is None:
            passed = dict(zip(("2.3", "2.9", "2.16", "2.19", "2.26", "2.47", "2.63", "2.73",
                               "2.75", "2.96", "2.98", "2.100"),
                              [i < step for i in range(len(_SERVER_STEPS))], strict=True))
            doc: dict = {}
            if passed["2.9"]:
                doc["locked"] = locked
            if passed["2.16"] and host_status is not None:
                doc["host_status"] = host_status
            for version, name, value in (("2.19", "description", None), ("2.26", "tags", []),
                                         ("2.63", "trusted_image_certificates", None),
                                         ("2.73", "locked_reason", None),
                                         ("2.96", "pinned_availability_zone", pinned_az),
                                         ("2.100", "scheduler_hints", {})):
                if passed[version]:
                    doc[name] = value
            part = (b"," + _members(doc)) if doc else b""
            self._tails[key] = part
        return part

    # -- flavors -------------------------------------------------------------------------------

    def flavor(self, flavor: Flavor, base_url: str, version, detail: bool = True) -> dict:
        links = [{"rel": "self", "href": f"{base_url}/v2.1/flavors/{flavor.id}"},
                 {"rel": "bookmark", "href": f"{base_url}/flavors/{flavor.id}"}]
        doc = {"id": flavor.id, "name": flavor.name, "links": links}
        if version >= (2, 55):
            doc["description"] = flavor.description
        if not detail:
            return doc
        swap = flavor.swap if (flavor.swap or version >= (2, 75)) else ""
        doc.update({"ram": flavor.ram, "disk": flavor.disk, "vcpus": flavor.vcpus,
                    "swap": swap, "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral,
                    "OS-FLV-DISABLED:disabled": False, "rxtx_factor": flavor.rxtx_factor,
                    "os-flavor-access:is_public": flavor.is_public})
        if version >= (2, 61):
            doc["extra_specs"] = flavor.extra_specs
        return doc

    # -- hypervisors and services --------------------------------------------------------------

    def hypervisor(self, hypervisor: Hypervisor, version, detail: bool,
                   with_servers: bool = False) -> dict:
        service = self.state.compute_services[hypervisor.name]
        uuids = version >= (2, 53)
        doc = {"id": hypervisor.id if uuids else hypervisor.number,
               "hypervisor_hostname": hypervisor.name,
               "state": service.state, "status": service.status}
        if with_servers and hypervisor.servers:
            doc["servers"] = [{"uuid": sid, "name": self.state.servers[sid].name}
                              for sid in sorted(hypervisor.servers)]
        elif with_servers and version >= (2, 75):
            doc["servers"] = []
        if not detail:
            return doc
        doc.update({
            "hypervisor_type": hypervisor.hypervisor_type,
            "hypervisor_version": hypervisor.hypervisor_version,
            "host_ip": hypervisor.host_ip,
            "service": {"host": hypervisor.name, "id": service.id if uuids else service.number,
                        "disabled_reason": service.disabled_reason},
        })
        if version >= (2, 88):
            doc["uptime"] = None
            return doc
        cpu_info = {"arch": "x86_64", "model": hypervisor.cpu_model, "vendor": "Intel",
                    "features": [], "topology": {"cores": hypervisor.vcpus // 2, "threads": 2,
                                                 "sockets": 1, "dies": 1}}
        doc.update({
            "vcpus": hypervisor.vcpus, "memory_mb": hypervisor.memory_mb,
            "local_gb": hypervisor.disk_gb, "vcpus_used": hypervisor.vcpus_used,
            "memory_mb_used": hypervisor.memory_mb_used + hypervisor.reserved_memory_mb,
            "local_gb_used": hypervisor.disk_gb_used,
            "free_ram_mb": hypervisor.memory_mb - hypervisor.memory_mb_used
            - hypervisor.reserved_memory_mb,
            "free_disk_gb": hypervisor.disk_gb - hypervisor.disk_gb_used,
            "current_workload": 0, "running_vms": len(hypervisor.servers),
            "disk_available_least": hypervisor.disk_gb - hypervisor.disk_gb_used,
            "cpu_info": cpu_info if version >= (2, 28) else json.dumps(cpu_info),
        })
        return doc

    def service(self, service: Service, version) -> dict:
        doc = {"id": service.id if version >= (2, 53) else service.number,
               "binary": service.binary, "host": service.host, "zone": service.zone,
               "status": service.status, "state": service.state,
               "updated_at": self.clock.isotime(service.updated_at, micro=True),
               "disabled_reason": service.disabled_reason}
        if version >= (2, 11):
            doc["forced_down"] = service.forced_down
        return doc

    def aggregate(self, aggregate: Aggregate, version) -> dict:
        doc = {"id": aggregate.id, "name": aggregate.name,
               "availability_zone": aggregate.availability_zone,
               "hosts": list(aggregate.hosts), "metadata": dict(aggregate.metadata),
               "created_at": self.clock.isotime(aggregate.created_at, micro=True),
               "updated_at": None, "deleted_at": None, "deleted": False}
        if version >= (2, 41):
            doc["uuid"] = aggregate.uuid
        return doc

    def server_group(self, group, version) -> dict:
        doc = {"id": group.id, "name": group.name, "members": list(group.members),
               "project_id": group.project_id, "user_id": group.user_id}
        if version >= (2, 64):
            doc["policy"] = group.policy
            doc["rules"] = {}
        else:
            doc["policies"] = [group.policy]
            doc["metadata"] = {}
        return doc

    def migration(self, migration: Migration, version, base_url: str) -> dict:
        iso = self.clock.isotime
        doc = {"id": migration.id, "instance_uuid": migration.server_id,
               "source_compute": migration.source_compute,
               "source_node": migration.source_compute,
               "dest_compute": migration.dest_compute, "dest_node": migration.dest_compute,
               "dest_host": self._host_ip(migration.dest_compute), "status": migration.status,
               "old_instance_type_id": migration.old_flavor_id,
               "new_instance_type_id": migration.new_flavor_id,
               "created_at": iso(migration.created_at, micro=True),
               "updated_at": iso(migration.updated_at, micro=True)}
        if version >= (2, 23):
            doc["migration_type"] = migration.migration_type
            if migration.migration_type == "live-migration" and migration.status in (
                    "queued", "preparing", "running"):
                doc["links"] = [{"rel": "self", "href": f"{base_url}/v2.1/servers/"
                                 f"{migration.server_id}/migrations/{migration.id}"}]
        if version >= (2, 59):
            doc["uuid"] = migration.uuid
        if version >= (2, 80):
            doc["project_id"] = migration.project_id
            doc["user_id"] = migration.user_id
        return doc

    def server_migration(self, migration: Migration, version) -> dict:
        iso = self.clock.isotime
        doc = {"id": migration.id, "server_uuid": migration.server_id,
               "status": migration.status, "source_compute": migration.source_compute,
               "source_node": migration.source_compute, "dest_compute": migration.dest_compute,
               "dest_node": migration.dest_compute,
               "dest_host": self._host_ip(migration.dest_compute),
               "created_at": iso(migration.created_at, micro=True),
               "updated_at": iso(migration.updated_at, micro=True),
               "memory_total_bytes": None, "memory_processed_bytes": None,
               "memory_remaining_bytes": None, "disk_total_bytes": None,
               "disk_processed_bytes": None, "disk_remaining_bytes": None}
        if version >= (2, 59):
            doc["uuid"] = migration.uuid
        if version >= (2, 80):
            doc["project_id"] = migration.project_id
            doc["user_id"] = migration.user_id
        return doc

    def _host_ip(self, host: str | None) -> str | None:
        hypervisor = self.state.hypervisors_by_name.get(host or "")
        return hypervisor.host_ip if hypervisor else None
