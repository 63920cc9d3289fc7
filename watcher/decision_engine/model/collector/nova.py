"""The compute collector: the whole compute model from a handful of bulk API calls.

Upstream asks Nova for each hypervisor and then for the servers of each host, so the
number of requests grows with the number of hosts. Here a collection is:

- ``GET /os-hypervisors/detail`` and ``GET /servers/detail?all_tenants=1``, paged;
- ``GET /os-services?binary=nova-compute`` and ``GET /os-aggregates`` (zones and
  aggregates for audit scopes);
- ``GET /resource_providers`` and, for providers whose generation changed since the last
  collection, ``GET /resource_providers/{uuid}/inventories`` (Placement has no bulk
  inventory call; the generation cache makes later collections cost one request).

Flavors come embedded in servers (compute microversion >= 2.47, and ours is >= 2.56).
"""

from __future__ import annotations

import concurrent.futures
import math
import urllib.parse
from typing import Any

from openstack import exceptions as sdk_exceptions
from oslo_log import log

from watcher.conf import CONF
from watcher.decision_engine.model import element, model_root
from watcher.decision_engine.model.collector import base
from watcher.decision_engine.model.scope import compute as compute_scope

LOG = log.getLogger(__name__)

PAGE_SIZE = 1000
RESOURCE_CLASSES = {"VCPU": "vcpu", "MEMORY_MB": "memory", "DISK_GB": "disk"}
PINNED_AZ_MICROVERSION = (2, 96)


def _version_tuple(version: str) -> tuple[int, int]:
    major, _, minor = str(version).partition(".")
    return int(major), int(minor or 0)


def get_json(proxy, path: str, params: dict | None = None) -> dict:
    """One GET through an SDK proxy (catalog endpoint, microversion, retries), as JSON."""
    if params:
        path = f"{path}?{urllib.parse.urlencode(params)}"

    def get() -> dict:
        response = proxy.get(path)
        sdk_exceptions.raise_from_response(response)
        return response.json()

    return base.call_retry(get)


def paged(proxy, path: str, key: str, params: dict | None = None):
    """Items of a Nova list, page after page, following its ``<key>_links`` next marker."""
    params = dict(params or {})
    params.setdefault("limit", PAGE_SIZE)
    while True:
        body = get_json(proxy, path, params)
        yield from body.get(key, ())
        next_href = next(
            (link["href"] for link in body.get(f"{key}_links", ()) if link.get("rel") == "next"),
            None,
        )
        if not next_href:
            return
        # The marker is taken from the link and re-issued on our own endpoint: the href's
        # host may be an internal name behind a proxy.
        query = urllib.parse.parse_qs(urllib.parse.urlparse(next_href).query)
        if not query.get("marker"):
            return
        params["marker"] = query["marker"][0]


def instance_disk(server: dict) -> int:
    """Local disk of a server: root disk (none when booted from volume), ephemeral, swap."""
    flavor = server.get("flavor") or {}
    root = 0 if not server.get("image") else int(flavor.get("disk") or 0)
    swap_mb = int(flavor.get("swap") or 0)
    return root + int(flavor.get("ephemeral") or 0) + math.ceil(swap_mb / 1024)


def build_instance(server: dict, extended: bool, pinned_az: bool) -> element.Instance:
    flavor = server.get("flavor") or {}
    return element.Instance(
        uuid=server["id"],
        name=server.get("name"),
        state=server.get("OS-EXT-STS:vm_state"),
        memory=int(flavor.get("ram") or 0),
        disk=instance_disk(server),
        vcpus=int(flavor.get("vcpus") or 0),
        metadata=server.get("metadata") or {},
        project_id=server.get("tenant_id"),
        locked=bool(server.get("locked", False)),
        host=server.get("OS-EXT-SRV-ATTR:host"),
        created=server.get("created"),
        pinned_az=server.get("pinned_availability_zone") if extended and pinned_az else None,
        flavor_extra_specs=dict(flavor.get("extra_specs") or {}) if extended else {},
    )


def build_node(hypervisor: dict, inventories: dict | None) -> element.ComputeNode:
    """A node from a hypervisor, sized by Placement when it has inventories for it."""
    service = hypervisor.get("service") or {}
    fallback = {
        "VCPU": hypervisor.get("vcpus"),
        "MEMORY_MB": hypervisor.get("memory_mb"),
        "DISK_GB": hypervisor.get("local_gb"),
    }
    sizes = {}
    for resource_class in RESOURCE_CLASSES:
        inventory = (inventories or {}).get(resource_class)
        if inventory:
            sizes[resource_class] = (
                inventory["total"],
                inventory.get("reserved", 0),
                float(inventory.get("allocation_ratio", 1.0)),
            )
        else:
            sizes[resource_class] = (fallback[resource_class] or 0, 0, 1.0)
    return element.ComputeNode(
        uuid=str(hypervisor["id"]),
        hostname=service.get("host") or hypervisor.get("hypervisor_hostname"),
        status=hypervisor.get("status"),
        disabled_reason=service.get("disabled_reason"),
        state=hypervisor.get("state"),
        vcpus=sizes["VCPU"][0],
        vcpu_reserved=sizes["VCPU"][1],
        vcpu_ratio=sizes["VCPU"][2],
        memory=sizes["MEMORY_MB"][0],
        memory_mb_reserved=sizes["MEMORY_MB"][1],
        memory_ratio=sizes["MEMORY_MB"][2],
        disk=sizes["DISK_GB"][0],
        disk_gb_reserved=sizes["DISK_GB"][1],
        disk_ratio=sizes["DISK_GB"][2],
    )


class NovaClusterDataModelCollector(base.BaseClusterDataModelCollector):
    """Compute nodes and instances from Nova, sized by Placement."""

    SCHEMA = compute_scope.SCHEMA

    def __init__(self, config=None, osc=None) -> None:
        super().__init__(config, osc)
        self.topology = compute_scope.Topology()
        # resource provider uuid -> (generation, inventories)
        self._inventory_cache: dict[str, tuple[Any, dict]] = {}

    @classmethod
    def get_name(cls) -> str:
        return "compute"

    @property
    def notification_endpoints(self) -> list:
        from watcher.decision_engine.model.notification import nova as nova_notification

        return [nova_notification.VersionedNotificationEndpoint(self)]

    # -- collection -----------------------------------------------------------------------

    def execute(self) -> model_root.ModelRoot:
        conn = self.osc.connection("nova")
        compute = conn.compute
        hypervisors = [
            h
            for h in paged(compute, "/os-hypervisors/detail", "hypervisors")
            if str(h.get("hypervisor_type", "")).lower() != "ironic"
        ]
        services = get_json(compute, "/os-services", {"binary": "nova-compute"})["services"]
        aggregates = get_json(compute, "/os-aggregates")["aggregates"]
        inventories = self._placement_inventories(conn, [str(h["id"]) for h in hypervisors])

        model = model_root.ModelRoot()
        by_hypervisor_name: dict[str, str] = {}
        by_host: dict[str, str] = {}
        for hypervisor in hypervisors:
            node = build_node(hypervisor, inventories.get(str(hypervisor["id"])))
            model.add_node(node)
            by_hypervisor_name[hypervisor.get("hypervisor_hostname")] = node.uuid
            by_host.setdefault(node.hostname, node.uuid)

        version = _version_tuple(CONF.nova.api_version)
        extended = CONF.compute_model.enable_extended_attributes
        pinned_az = version >= PINNED_AZ_MICROVERSION
        for server in paged(compute, "/servers/detail", "servers", {"all_tenants": 1}):
            if server.get("OS-EXT-STS:vm_state") == element.InstanceState.DELETED.value:
                continue
            node_uuid = by_hypervisor_name.get(
                server.get("OS-EXT-SRV-ATTR:hypervisor_hostname")
            ) or by_host.get(server.get("OS-EXT-SRV-ATTR:host"))
            if node_uuid is None:
                # Shelved-offloaded servers and servers of skipped (ironic) hypervisors.
                continue
            instance = build_instance(server, extended, pinned_az)
            model.add_instance(instance)
            model.map_instance(instance, node_uuid)

        topology = compute_scope.Topology(
            aggregates=[
                {"id": a["id"], "name": a["name"], "hosts": list(a.get("hosts") or ())}
                for a in aggregates
            ],
            host_zones={s["host"]: s.get("zone") for s in services},
        )
        with self.sync_lock:
            self.topology = topology
        return model

    def _placement_inventories(self, conn, provider_uuids: list[str]) -> dict[str, dict]:
        """Inventories per provider; {} for all when Placement cannot be reached."""
        try:
            providers = get_json(conn.placement, "/resource_providers")["resource_providers"]
        except Exception as exc:
            LOG.warning("Placement unavailable, node sizes from Nova hypervisors: %s", exc)
            return {}
        generations = {p["uuid"]: p.get("generation") for p in providers}
        wanted = [u for u in provider_uuids if u in generations]
        stale = [
            u
            for u in wanted
            if u not in self._inventory_cache or self._inventory_cache[u][0] != generations[u]
        ]
        if stale:
            workers = max(1, CONF.watcher_decision_engine.max_general_workers)
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                futures = {
                    pool.submit(get_json, conn.placement, f"/resource_providers/{u}/inventories"): u
                    for u in stale
                }
                done, pending = concurrent.futures.wait(
                    futures, timeout=CONF.collector.compute_resources_collector_timeout
                )
                for future in pending:
                    future.cancel()
                for future in done:
                    uuid = futures[future]
                    try:
                        body = future.result()
                    except Exception as exc:
                        LOG.warning("Inventories of provider %s unavailable: %s", uuid, exc)
                        continue
                    generation = body.get("resource_provider_generation", generations[uuid])
                    self._inventory_cache[uuid] = (generation, body.get("inventories", {}))
        known = set(generations)
        for uuid in [u for u in self._inventory_cache if u not in known]:
            del self._inventory_cache[uuid]
        return {u: self._inventory_cache[u][1] for u in wanted if u in self._inventory_cache}

    def fetch_node(self, host: str) -> element.ComputeNode | None:
        """One compute node by service host, for a notification about a host not yet seen."""
        conn = self.osc.connection("nova")
        try:
            hypervisors = get_json(
                conn.compute,
                "/os-hypervisors/detail",
                {"hypervisor_hostname_pattern": host},
            )["hypervisors"]
        except sdk_exceptions.NotFoundException:
            return None
        for hypervisor in hypervisors:
            if (hypervisor.get("service") or {}).get("host") != host:
                continue
            uuid = str(hypervisor["id"])
            try:
                body = get_json(conn.placement, f"/resource_providers/{uuid}/inventories")
                inventories = body.get("inventories")
            except Exception as exc:
                LOG.warning("Inventories of provider %s unavailable: %s", uuid, exc)
                inventories = None
            return build_node(hypervisor, inventories)
        return None

    # -- per-audit views ------------------------------------------------------------------

    def get_scoped_model(self, audit_scope: list | None, check_optimize_metadata: bool = False):
        """The latest model cut down to ``audit_scope`` (None before the first collection)."""
        with self.sync_lock:
            model, topology = self._model, self.topology
            if model is None:
                return None
            return compute_scope.get_scoped_model(
                model, audit_scope, topology, check_optimize_metadata
            )
