"""The storage collector: the whole Cinder model from a handful of bulk API calls.

A collection is ``GET /os-services?binary=cinder-volume``, ``GET
/scheduler-stats/get_pools?detail=True``, ``GET /types``, ``GET
/volumes/detail?all_tenants=1`` and ``GET /snapshots?all_tenants=1`` (both paged, 1000 rows a
page; snapshots tell which volumes Cinder will refuse to migrate). Upstream asks for the
volume types once per backend; here they are read once and matched to backends locally.
"""

from __future__ import annotations

from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exceptions
from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.model import storage_element as element
from watcher.decision_engine.model import storage_model
from watcher.decision_engine.model.collector import base, nova
from watcher.decision_engine.model.scope import storage as storage_scope

LOG = log.getLogger(__name__)

# Catalog service types of Cinder's v3 API; without one there is nothing to collect.
BLOCK_STORAGE_SERVICE_TYPES = ("block-storage", "volumev3")
_POOL_NUMBERS = (
    "total_volumes",
    "total_capacity_gb",
    "free_capacity_gb",
    "provisioned_capacity_gb",
    "allocated_capacity_gb",
)


def _listed(fn, *args, **kwargs) -> list:
    """A whole SDK listing (every page), retried as one call."""
    return base.call_retry(lambda: list(fn(*args, **kwargs)))


def _number(value, pool_name: str, field: str) -> float:
    # Drivers report "infinite"/"unknown" for capacities they cannot tell.
    try:
        return float(value)
    except (TypeError, ValueError):
        LOG.debug("Pool %s reports %s=%r: counted as 0", pool_name, field, value)
        return 0.0


def build_pool(name: str, capabilities: dict) -> element.Pool:
    values = {f: _number(capabilities.get(f, 0), name, f) for f in _POOL_NUMBERS}
    values["total_volumes"] = int(values["total_volumes"])
    ratio = _number(capabilities.get("max_over_subscription_ratio", 1.0), name, "ratio")
    return element.Pool(
        name=name,
        virtual_free=values["free_capacity_gb"],
        max_over_subscription_ratio=ratio or 1.0,
        volume_backend_name=capabilities.get("volume_backend_name"),
        **values,
    )


def build_volume(volume: dict, has_snapshots: bool) -> element.Volume:
    """A volume from a ``GET /volumes/detail`` row (admin view)."""
    bootable = volume.get("bootable")
    if isinstance(bootable, str):
        bootable = bootable.lower() == "true"
    return element.Volume(
        uuid=volume["id"],
        size=volume.get("size") or 0,
        status=volume.get("status"),
        attachments=[
            {k: a.get(k) for k in ("server_id", "attachment_id")}
            for a in volume.get("attachments") or ()
        ],
        name=volume.get("name") or "",
        multiattach=bool(volume.get("multiattach")),
        snapshot_id=volume.get("snapshot_id") or "",
        project_id=volume.get("os-vol-tenant-attr:tenant_id"),
        metadata=dict(volume.get("metadata") or {}),
        bootable=bool(bootable),
        volume_type=volume.get("volume_type"),
        created_at=volume.get("created_at"),
        host=volume.get("os-vol-host-attr:host"),
        availability_zone=volume.get("availability_zone"),
        migration_status=volume.get("os-vol-mig-status-attr:migstat"),
        has_snapshots=has_snapshots,
    )


def backend_types(backends: set[str], types: dict[str, dict]) -> list[str]:
    """Names of the volume types whose ``volume_backend_name`` is one of ``backends``."""
    return sorted(
        name
        for name, vtype in types.items()
        if vtype["extra_specs"].get("volume_backend_name") in backends
    )


class CinderClusterDataModelCollector(base.BaseClusterDataModelCollector):
    """Storage nodes, pools and volumes from Cinder."""

    SCHEMA = storage_scope.SCHEMA

    @classmethod
    def get_name(cls) -> str:
        return "storage"

    def block_storage_available(self) -> bool:
        """Whether the catalog has a block storage v3 service (as upstream, no storage model
        is built without one). Read from the token's catalog: no extra request."""
        options = self.osc.adapter_options("cinder")
        if options.get("endpoint_override"):
            return True
        interface = options.get("interface")
        if isinstance(interface, list):
            interface = interface[0]
        where = {"interface": interface, "region_name": options.get("region_name")}
        where = {k: v for k, v in where.items() if v}
        session = self.osc.session("cinder")
        for service_type in BLOCK_STORAGE_SERVICE_TYPES:
            try:
                if session.get_endpoint(service_type=service_type, **where):
                    return True
            except ks_exc.EndpointNotFound:
                continue
        return False

    @property
    def notification_endpoints(self) -> list:
        from watcher.decision_engine.model.notification import cinder as cinder_notification

        return [
            cinder_notification.CapacityNotificationEndpoint(self),
            cinder_notification.VolumeNotificationEndpoint(self),
        ]

    def execute(self) -> storage_model.StorageModelRoot | None:
        if not self.block_storage_available():
            LOG.info("No block-storage/volumev3 service in the catalog: no storage model")
            return None
        proxy = self.osc.connection("cinder").block_storage
        services = _listed(proxy.services, binary="cinder-volume")
        pools = _listed(proxy.backend_pools)
        types = {
            t.name: {"id": t.id, "extra_specs": dict(t.extra_specs or {})}
            for t in _listed(proxy.types)
        }
        # Raw rows, not SDK resources: building a resource costs about a millisecond, which
        # at tens of thousands of volumes would dominate the collection.
        volumes = list(
            nova.paged(proxy, "/volumes/detail", "volumes", {"all_tenants": 1})
        )
        with_snapshots = self._volumes_with_snapshots(proxy)

        model = storage_model.StorageModelRoot()
        model.volume_types = types
        backends: dict[str, set[str]] = {}
        for service in services:
            host = service.host
            backends[host] = {host.partition("@")[2]} - {""}
            model.add_node(
                element.StorageNode(
                    host=host,
                    zone=service.availability_zone,
                    status=service.status,
                    state=service.state,
                    volume_type=[],
                )
            )
        for raw in pools:
            pool = build_pool(raw.name, dict(raw.capabilities or {}))
            model.add_pool(pool)
            try:
                model.map_pool(pool, pool.node_host)
            except exception.StorageNodeNotFound:
                LOG.debug("Pool %s has no cinder-volume service: left unmapped", pool.name)
                continue
            if pool.volume_backend_name:
                backends[pool.node_host].add(pool.volume_backend_name)
        for host, names in backends.items():
            model.get_node_by_name(host).volume_type = backend_types(names, types)
        for raw in volumes:
            volume = build_volume(raw, raw["id"] in with_snapshots)
            model.add_volume(volume)
            if volume.host and model.has_pool(volume.host):
                model.map_volume(volume, volume.host)
        return model

    def fetch_pool(self, name: str) -> element.Pool | None:
        """One pool by name, for a notification about a pool not collected yet."""
        proxy = self.osc.connection("cinder").block_storage
        for raw in _listed(proxy.backend_pools):
            if raw.name == name:
                return build_pool(raw.name, dict(raw.capabilities or {}))
        return None

    def fetch_node(self, host: str) -> element.StorageNode | None:
        """One storage node (cinder-volume service) by ``host@backend``."""
        conn = self.osc.connection("cinder")
        services = _listed(conn.block_storage.services, binary="cinder-volume", host=host)
        for service in services:
            if service.host != host:
                continue
            model = self.cluster_data_model
            types = model.volume_types if model is not None else {}
            return element.StorageNode(
                host=host,
                zone=service.availability_zone,
                status=service.status,
                state=service.state,
                volume_type=backend_types({host.partition("@")[2]}, types),
            )
        return None

    @staticmethod
    def _volumes_with_snapshots(proxy) -> set[str]:
        try:
            return {
                s["volume_id"]
                for s in nova.paged(proxy, "/snapshots", "snapshots", {"all_tenants": 1})
            }
        except sdk_exceptions.NotFoundException:
            LOG.info("Cinder lists no snapshots: volumes taken as snapshot-free")
            return set()

    def get_scoped_model(self, audit_scope: list | None, check_optimize_metadata: bool = False):
        """The latest model cut down to ``audit_scope`` (None before the first collection)."""
        with self.sync_lock:
            model = self._model
            if model is None:
                return None
            return storage_scope.get_scoped_model(model, audit_scope)

