"""Cinder (block storage v3): volumes, pools, volume types, services, and the volume
actions Watcher uses (migrate, retype)."""

import json
import uuid
from urllib.parse import urlencode

from watcher.simulator.records import Volume, VolumeType
from watcher.simulator.wsgi import HTTPError, Microversions, Raw, ServiceApp, version_document

MAX_LIMIT = 1000
_TRUE = ("1", "true", "yes", "on")


class CinderApp(ServiceApp):
    name = "block-storage"
    prefix = "/volume"
    catalog = [("block-storage", "cinder", "/v3/$(project_id)s")]
    microversions = Microversions("volume", "3.0", "3.71")
    public_paths = (r"^/?$", r"^/v3/?$")

    def routes(self) -> None:
        self.router.add("GET", "/", self.versions)
        self.router.add("GET", "/v3", self.versions)
        for base in ("/v3", "/v3/{project_id}"):
            add = self._adder(base)
            add("GET", "/volumes", self.list_volumes)
            add("GET", "/volumes/detail", self.list_volumes_detail)
            add("GET", "/volumes/{volume_id}", self.show_volume)
            add("POST", "/volumes", self.create_volume)
            add("DELETE", "/volumes/{volume_id}", self.delete_volume)
            add("POST", "/volumes/{volume_id}/action", self.volume_action)
            add("GET", "/scheduler-stats/get_pools", self.list_pools)
            add("GET", "/types", self.list_types)
            add("GET", "/types/{type_id}", self.show_type)
            add("POST", "/types", self.create_type)
            add("DELETE", "/types/{type_id}", self.delete_type)
            add("GET", "/types/{type_id}/extra_specs", self.type_extra_specs)
            add("GET", "/os-services", self.list_services)
            add("GET", "/os-availability-zone", self.list_zones)
            add("GET", "/limits", self.limits)

    def _adder(self, base: str):
        def add(method: str, path: str, handler) -> None:
            # Handlers ignore the URL's project id: the token decides whose view it is.
            self.router.add(method, base + path,
                            lambda ctx, project_id=None, **kw: handler(ctx, **kw))
        return add

    def versions(self, ctx):
        root = ctx.base_url
        doc = version_document(root + "/v3", "v3.0", "CURRENT", "3.0",
                               "3.71", updated="2023-08-31T00:00:00Z",
                               media="application/vnd.openstack.volume+json;version=3")
        status = 300 if ctx.req.path_info.strip("/") == "" else 200
        return status, {"versions": [doc]}

    # -- volumes -------------------------------------------------------------------------------

    def _volume(self, ctx, volume_id: str) -> Volume:
        volume = self.state.volumes.get(volume_id)
        if volume is None or not (ctx.is_admin or volume.project_id == ctx.project_id):
            raise HTTPError(404, f"Volume {volume_id} could not be found.")
        return volume

    def _volume_doc(self, ctx, volume: Volume, extensions: bool = True) -> dict:
        """Cinder's volume view; ``extensions``: with the ``os-vol-*`` attributes its API
        extensions add to show and list (not to the create response)."""
        iso = self.state.clock.isotime
        vtype = self.state.volume_types_by_name.get(volume.volume_type)
        doc = {
            "id": volume.id, "name": volume.name, "status": volume.status,
            "size": volume.size, "availability_zone": volume.availability_zone,
            "created_at": iso(volume.created_at, micro=True),
            "updated_at": iso(volume.updated_at, micro=True),
            "attachments": [{"id": volume.id, "attachment_id": a.id, "volume_id": volume.id,
                             "server_id": a.server_id, "host_name": self._server_host(a),
                             "device": a.device, "attached_at": iso(a.attached_at, micro=True)}
                            for a in volume.attachments],
            "bootable": "true" if volume.bootable else "false", "encrypted": False,
            "multiattach": volume.multiattach, "description": None,
            "volume_type": volume.volume_type, "snapshot_id": None, "source_volid": None,
            "metadata": volume.metadata, "user_id": volume.user_id, "replication_status": None,
            "consistencygroup_id": None,
            "links": [{"rel": "self", "href": f"{ctx.base_url}/v3/{volume.project_id}/volumes/"
                                              f"{volume.id}"},
                      {"rel": "bookmark", "href": f"{ctx.base_url}/{volume.project_id}/volumes/"
                                                  f"{volume.id}"}],
        }
        if extensions:
            doc["os-vol-tenant-attr:tenant_id"] = volume.project_id
        if extensions and ctx.is_admin:
            doc["os-vol-host-attr:host"] = volume.pool
            doc["os-vol-mig-status-attr:migstat"] = volume.migration_status
            doc["os-vol-mig-status-attr:name_id"] = None
        if ctx.at_least("3.13"):
            doc["group_id"] = None
        if ctx.at_least("3.21") and ctx.is_admin:
            doc["provider_id"] = None
        if ctx.at_least("3.48"):
            doc["service_uuid"] = self.state.make_id("service", "cinder-volume@" +
                                                     volume.pool.split("#")[0])
            doc["shared_targets"] = False
        if ctx.at_least("3.61") and ctx.is_admin:
            doc["cluster_name"] = None
        if ctx.at_least("3.63"):
            doc["volume_type_id"] = vtype.id if vtype else None
        if ctx.at_least("3.65"):
            doc["consumes_quota"] = True
        return doc

    def _server_host(self, attachment) -> str | None:
        server = self.state.servers.get(attachment.server_id)
        return server.host if server else None

    def show_volume(self, ctx, volume_id):
        return 200, {"volume": self._volume_doc(ctx, self._volume(ctx, volume_id))}

    def create_volume(self, ctx):
        doc = ctx.json().get("volume")
        if not isinstance(doc, dict):
            raise HTTPError(400, "Missing required element 'volume' in request body.")
        try:
            size = int(doc.get("size"))
        except (TypeError, ValueError) as err:
            raise HTTPError(400, f"Invalid input received: size {doc.get('size')}") from err
        if size < 1:
            raise HTTPError(400, "Invalid input received: Volume size must be > 0")
        vtype = self.state.default_volume_type
        if doc.get("volume_type"):
            vtype = self.state.volume_types_by_name.get(doc["volume_type"]) or \
                self.state.volume_types.get(doc["volume_type"])
            if vtype is None:
                raise HTTPError(404, f"Volume type {doc['volume_type']} could not be found.")
        pool = self._pool_for(vtype, size)
        now = self.state.clock.now()
        volume = Volume(str(uuid.uuid4()), doc.get("name") or "", size, pool.name,
                        vtype.name, ctx.project_id, ctx.user_id, status="creating",
                        availability_zone=doc.get("availability_zone") or "nova",
                        created_at=now, updated_at=now,
                        metadata={str(k): str(v) for k, v in
                                  (doc.get("metadata") or {}).items()})
        with self.state.lock:
            self.state.add_volume(volume)

        def available() -> None:
            with self.state.lock:
                if volume.status == "creating":
                    volume.status = "available"
                    self.state.touch(volume)
                    self.sim.notifications.volume(self.state, volume, "volume.create.end")

        self.sim.scheduler.after(self.sim.operations.duration("volume_create"), available)
        return 202, {"volume": self._volume_doc(ctx, volume, extensions=False)}

    def _pool_for(self, vtype, size: int):
        """cinder-scheduler's capacity filter and weigher: the pool of the type's backend
        with the most free (over-subscribed) capacity."""
        backend = vtype.extra_specs.get("volume_backend_name")
        best, best_free = None, None
        for pool in self.state.pools.values():
            if backend and pool.backend != backend:
                continue
            free = pool.total_capacity_gb * pool.max_over_subscription_ratio \
                - pool.allocated_capacity_gb
            if free >= size and (best_free is None or free > best_free):
                best, best_free = pool, free
        if best is None:
            raise HTTPError(400, "No valid backend was found. No weighed backends available")
        return best

    def delete_volume(self, ctx, volume_id):
        volume = self._volume(ctx, volume_id)
        if volume.attachments or volume.status not in ("available", "error"):
            raise HTTPError(400, "Invalid volume: Volume status must be available or error "
                                 "or error_restoring or error_extending or error_managing and "
                                 "must not be migrating, attached, belong to a group, have "
                                 "snapshots, awaiting a transfer, or be disassociated from "
                                 "snapshots after volume transfer.")
        with self.state.lock:
            self.state.remove_volume(volume)
        return 202, None

    def limits(self, ctx):
        """No block-storage quota is enforced: -1 (unlimited) maxima, real usage."""
        mine = [v for v in self.state.volumes.values() if v.project_id == ctx.project_id]
        return 200, {"limits": {"rate": [], "absolute": {
            "maxTotalVolumes": -1, "maxTotalVolumeGigabytes": -1, "maxTotalSnapshots": -1,
            "maxTotalBackups": -1, "maxTotalBackupGigabytes": -1,
            "totalVolumesUsed": len(mine), "totalGigabytesUsed": sum(v.size for v in mine),
            "totalSnapshotsUsed": 0, "totalBackupsUsed": 0, "totalBackupGigabytesUsed": 0}}}

    def list_volumes(self, ctx):
        return self._list(ctx, detail=False)

    def list_volumes_detail(self, ctx):
        return self._list(ctx, detail=True)

    def _list(self, ctx, detail: bool):
        everyone = ctx.query("all_tenants", "").lower() in _TRUE and ctx.is_admin
        project = ctx.query("project_id") if everyone else ctx.project_id
        status, name, host = ctx.query("status"), ctx.query("name"), ctx.query("host")
        limit = min(ctx.int_query("limit", MAX_LIMIT), MAX_LIMIT)
        marker = ctx.query("marker")
        order = self.state.volume_order
        start = 0
        if marker:
            if marker not in self.state.volume_pos:
                raise HTTPError(404, f"Marker {marker} could not be found.")
            start = self.state.volume_pos[marker] + 1
        page = []
        for volume in order[start:]:
            if project and volume.project_id != project:
                continue
            if (status and volume.status != status) or (name and volume.name != name):
                continue
            if host and not volume.pool.startswith(host):
                continue
            page.append(volume)
            if len(page) == limit:
                break
        if detail:
            items = [self._volume_doc(ctx, v) for v in page]
        else:
            items = [{"id": v.id, "name": v.name, "links": [{"rel": "self", "href":
                      f"{ctx.base_url}/v3/{v.project_id}/volumes/{v.id}"}]} for v in page]
        body: dict = {"volumes": items}
        if page and len(page) == limit:
            params = [(k, v) for k, v in ctx.req.GET.items() if k not in ("marker", "limit")]
            params += [("limit", str(limit)), ("marker", page[-1].id)]
            path = ctx.req.path_info.lstrip("/")
            body["volumes_links"] = [{"rel": "next", "href":
                                      f"{ctx.base_url}/{path}?{urlencode(params)}"}]
        return 200, Raw(json.dumps(body, separators=(",", ":")).encode())

    def volume_action(self, ctx, volume_id):
        volume = self._volume(ctx, volume_id)
        body = ctx.json()
        if len(body) != 1:
            raise HTTPError(400, "There is not exactly one action in the request body.")
        action, args = next(iter(body.items()))
        args = args or {}
        if action == "os-migrate_volume":
            ctx.require_admin()
            if "host" not in args:
                raise HTTPError(400, "Invalid input for field/attribute host.")
            self.sim.operations.migrate_volume(volume, args["host"])
        elif action == "os-retype":
            new_type = args.get("new_type")
            vtype = self.state.volume_types_by_name.get(new_type) or self.state.volume_types.get(
                new_type or "")
            if vtype is None:
                raise HTTPError(404, f"Volume type {new_type} could not be found.")
            self.sim.operations.retype(volume, vtype.name,
                                       args.get("migration_policy", "never"))
        else:
            raise HTTPError(400, f"There is no such action: {action}")
        return 202, None

    # -- pools, types, services ----------------------------------------------------------------

    def list_pools(self, ctx):
        ctx.require_admin()
        detail = ctx.query("detail", "").lower() in _TRUE
        pools = []
        for pool in self.state.pools.values():
            doc: dict = {"name": pool.name}
            if detail:
                allocated = pool.allocated_capacity_gb
                doc["capabilities"] = {
                    "pool_name": pool.name.split("#")[1], "volume_backend_name": pool.backend,
                    "total_capacity_gb": pool.total_capacity_gb,
                    "free_capacity_gb": max(0.0, pool.total_capacity_gb - allocated),
                    "allocated_capacity_gb": allocated, "provisioned_capacity_gb": allocated,
                    "max_over_subscription_ratio": str(pool.max_over_subscription_ratio),
                    "reserved_percentage": pool.reserved_percentage,
                    "thin_provisioning_support": pool.thin_provisioning,
                    "thick_provisioning_support": not pool.thin_provisioning,
                    "storage_protocol": pool.storage_protocol, "vendor_name": pool.vendor_name,
                    "driver_version": pool.driver_version, "multiattach": True,
                    "QoS_support": False, "total_volumes": len(pool.volumes),
                    "timestamp": self.state.clock.isotime(micro=True)}
            pools.append(doc)
        return 200, {"pools": pools}

    def _type_doc(self, vtype) -> dict:
        return {"id": vtype.id, "name": vtype.name, "description": vtype.description,
                "is_public": vtype.is_public, "os-volume-type-access:is_public":
                    vtype.is_public, "extra_specs": vtype.extra_specs, "qos_specs_id": None}

    def _type(self, type_id: str):
        vtype = self.state.volume_types.get(type_id) or self.state.volume_types_by_name.get(
            type_id)
        if vtype is None:
            raise HTTPError(404, f"Volume type {type_id} could not be found.")
        return vtype

    def list_types(self, ctx):
        return 200, {"volume_types": [self._type_doc(t)
                                      for t in self.state.volume_types.values()]}

    def show_type(self, ctx, type_id):
        return 200, {"volume_type": self._type_doc(self._type(type_id))}

    def create_type(self, ctx):
        ctx.require_admin()
        doc = ctx.json().get("volume_type")
        name = doc.get("name") if isinstance(doc, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise HTTPError(400, "Invalid input received: volume type name is required")
        public = doc.get("os-volume-type-access:is_public", doc.get("is_public", True))
        extra_specs = {str(k): str(v) for k, v in (doc.get("extra_specs") or {}).items()}
        with self.state.lock:
            if name in self.state.volume_types_by_name:
                raise HTTPError(409, f"Volume Type {name} already exists.")
            vtype = VolumeType(str(uuid.uuid4()), name, doc.get("description"),
                               str(public).lower() not in ("false", "0"), extra_specs)
            self.state.volume_types[vtype.id] = vtype
            self.state.volume_types_by_name[name] = vtype
        created = self._type_doc(vtype)
        del created["qos_specs_id"]  # not in the create response
        return 200, {"volume_type": created}

    def delete_type(self, ctx, type_id):
        ctx.require_admin()
        vtype = self._type(type_id)
        with self.state.lock:
            if any(v.volume_type == vtype.name for v in self.state.volumes.values()):
                raise HTTPError(400, "Target volume type is still in use.")
            if vtype is self.state.default_volume_type:
                raise HTTPError(400, "The default volume type can not be deleted.")
            del self.state.volume_types[vtype.id]
            del self.state.volume_types_by_name[vtype.name]
        return 202, None

    def type_extra_specs(self, ctx, type_id):
        return 200, {"extra_specs": self._type(type_id).extra_specs}

    def list_services(self, ctx):
        ctx.require_admin()
        binary, host = ctx.query("binary"), ctx.query("host")
        out = []
        for service in self.state.cinder_services:
            if (binary and service.binary != binary) or (host and service.host != host):
                continue
            doc = {"binary": service.binary, "host": service.host, "zone": service.zone,
                   "status": service.status, "state": service.state,
                   "updated_at": self.state.clock.isotime(service.updated_at, micro=True),
                   "disabled_reason": service.disabled_reason}
            if ctx.at_least("3.7"):
                doc["cluster"] = None
            if service.binary == "cinder-volume":
                doc.update({"replication_status": "disabled", "active_backend_id": None,
                            "frozen": False})
                if ctx.at_least("3.49"):
                    doc["backend_state"] = "up" if service.state == "up" else "down"
            out.append(doc)
        return 200, {"services": out}

    def list_zones(self, ctx):
        zones = sorted({s.zone for s in self.state.cinder_services
                        if s.binary == "cinder-volume"}) or ["nova"]
        return 200, {"availabilityZoneInfo": [{"zoneName": z, "zoneState": {"available": True}}
                                              for z in zones]}
