"""Cinder notifications patching the live storage model between collections.

As upstream: ``capacity.pool`` (publisher ``capacity.*``) refreshes a pool's figures, and
``volume.{create,update,attach,detach,resize,delete}.end`` (publisher ``volume.*``) add,
update, move or remove a volume. Upstream re-reads the pool from Cinder on every volume event;
here the pool's allocated/free figures move by the volume's size change instead (the next
``capacity.pool`` report sets them exactly), so a burst of volume events costs no request.
A pool or storage node the model does not know is read from Cinder once. Every change goes
through the collector's lock.
"""

from __future__ import annotations

import oslo_messaging as messaging
from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.model import storage_element as element

LOG = log.getLogger(__name__)

VOLUME_UPDATE_EVENTS = frozenset(
    f"volume.{action}.end" for action in ("create", "update", "attach", "detach", "resize")
)
VOLUME_DELETE_EVENTS = frozenset({"volume.delete.end"})


def _metadata(value) -> dict:
    # Cinder's legacy payloads carry metadata as a list of {"key", "value"} rows.
    if isinstance(value, dict):
        return dict(value)
    return {row["key"]: row.get("value") for row in value or () if "key" in row}


def volume_from_payload(payload: dict, type_names: dict[str, str]) -> element.Volume:
    vtype = payload.get("volume_type")
    return element.Volume(
        uuid=payload["volume_id"],
        size=payload.get("size") or 0,
        status=payload.get("status"),
        attachments=[
            {"server_id": a.get("instance_uuid"), "attachment_id": a.get("id")}
            for a in payload.get("volume_attachment") or ()
        ],
        name=payload.get("display_name") or "",
        snapshot_id=payload.get("snapshot_id") or "",
        project_id=payload.get("tenant_id"),
        metadata=_metadata(payload.get("metadata")),
        # Cinder sends glance_metadata only for volumes made from an image (bootable).
        bootable=bool(payload.get("glance_metadata")),
        volume_type=type_names.get(vtype, vtype),
        created_at=payload.get("created_at"),
        host=payload.get("host"),
        availability_zone=payload.get("availability_zone"),
    )


class _CinderEndpoint:
    def __init__(self, collector) -> None:
        self.collector = collector

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        try:
            self.handle(event_type, payload)
        except Exception:
            LOG.exception("Cinder notification %s not applied", event_type)

    def handle(self, event_type: str, payload: dict) -> None:
        raise NotImplementedError

    def _ensure_pool(self, name: str | None) -> None:
        """Read a pool (and its node) the model does not know yet from Cinder."""
        model = self.collector.cluster_data_model
        if not name or model is None or model.has_pool(name):
            return
        pool = self.collector.fetch_pool(name)
        if pool is None:
            LOG.warning("Storage pool %s from a notification is unknown to Cinder", name)
            return
        node = None if model.has_node(pool.node_host) else self.collector.fetch_node(
            pool.node_host
        )

        def add(model) -> None:
            if node is not None and not model.has_node(pool.node_host):
                model.add_node(node.clone())
            if not model.has_pool(name):
                model.add_pool(pool.clone())
                if model.has_node(pool.node_host):
                    model.map_pool(name, pool.node_host)

        self.collector.patch(add)


class CapacityNotificationEndpoint(_CinderEndpoint):
    filter_rule = messaging.NotificationFilter(
        publisher_id=r"^capacity.*", event_type=r"^capacity\.pool$"
    )

    def handle(self, event_type: str, payload: dict) -> None:
        name = payload["name_to_id"]
        self._ensure_pool(name)

        def change(model) -> None:
            pool = model.get_pool_by_pool_name(name).clone()
            pool.total_capacity_gb = payload.get("total", pool.total_capacity_gb)
            pool.free_capacity_gb = payload.get("free", pool.free_capacity_gb)
            pool.provisioned_capacity_gb = payload.get(
                "provisioned", pool.provisioned_capacity_gb
            )
            pool.allocated_capacity_gb = payload.get("allocated", pool.allocated_capacity_gb)
            pool.virtual_free = payload.get("virtual_free", pool.virtual_free)
            # Replaced, not edited: snapshots taken earlier keep their own copy.
            model.add_pool(pool)

        self.collector.patch(change)
        LOG.debug("Storage model: pool %s capacity updated", name)


class VolumeNotificationEndpoint(_CinderEndpoint):
    filter_rule = messaging.NotificationFilter(publisher_id=r"^volume.*")

    def handle(self, event_type: str, payload: dict) -> None:
        if event_type in VOLUME_UPDATE_EVENTS:
            self._ensure_pool(payload.get("host"))
            self.collector.patch(lambda model: self._update_volume(model, payload))
        elif event_type in VOLUME_DELETE_EVENTS:
            self.collector.patch(lambda model: self._delete_volume(model, payload["volume_id"]))
        else:
            return
        LOG.debug("Storage model patched by %s", event_type)

    @staticmethod
    def _update_volume(model, payload: dict) -> None:
        type_names = {t["id"]: name for name, t in model.volume_types.items()}
        volume = volume_from_payload(payload, type_names)
        old = model.get_volume_by_uuid(volume.uuid) if model.has_volume(volume.uuid) else None
        try:
            old_pool = model.get_pool_by_volume(volume.uuid).name if old else None
        except exception.PoolNotFound:
            old_pool = None
        if old is not None:
            # Notifications do not tell these; keep what the collector read.
            volume.multiattach = old.multiattach
            volume.migration_status = old.migration_status
            volume.has_snapshots = old.has_snapshots
        new_pool = volume.host if volume.host and model.has_pool(volume.host) else None
        model.add_volume(volume)
        if old_pool is not None:
            model.charge_pool(old_pool, -(old.size or 0), -1)
            model.unmap_volume(volume.uuid, old_pool)
        if new_pool is not None:
            model.map_volume(volume.uuid, new_pool)
            model.charge_pool(new_pool, volume.size or 0, 1)

    @staticmethod
    def _delete_volume(model, uuid: str) -> None:
        volume = model.get_volume_by_uuid(uuid)
        try:
            pool = model.get_pool_by_volume(uuid)
        except exception.PoolNotFound:
            pool = None
        model.remove_volume(uuid)
        if pool is not None:
            model.charge_pool(pool, -(volume.size or 0), -1)
