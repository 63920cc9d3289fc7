"""Nova versioned notifications patching the live compute model between collections.

Events (publisher ``nova-*``), as upstream: ``instance.create.end`` adds an instance;
``instance.update``, ``instance.lock``/``unlock`` and the ``*.end`` events of lifecycle
actions update it and move it to the payload's host; ``instance.delete.end`` and
``instance.soft_delete.end`` remove it; ``service.create``/``service.update`` update a
node (fetching it from Nova and Placement when the model does not know it) and
``service.delete`` removes it. Every change goes through the collector's lock.
"""

from __future__ import annotations

import math

import oslo_messaging as messaging
from oslo_log import log

from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.model import element

LOG = log.getLogger(__name__)

UPDATE_EVENTS = frozenset(
    {"instance.update", "instance.lock", "instance.unlock"}
    | {
        f"instance.{action}.end"
        for action in (
            "pause",
            "power_off",
            "power_on",
            "resize_confirm",
            "resize_finish",
            "resize_revert",
            "restore",
            "resume",
            "shelve",
            "shutdown",
            "suspend",
            "unpause",
            "unrescue",
            "unshelve",
            "rebuild",
            "rescue",
            "live_migration_force_complete",
            "live_migration_post_dest",
            "live_migration_abort",
        )
    }
)
CREATE_EVENTS = frozenset({"instance.create.end"})
DELETE_EVENTS = frozenset({"instance.delete.end", "instance.soft_delete.end"})
SERVICE_UPDATE_EVENTS = frozenset({"service.create", "service.update"})
SERVICE_DELETE_EVENTS = frozenset({"service.delete"})


def _data(payload: dict) -> dict:
    return payload.get("nova_object.data", payload) if isinstance(payload, dict) else {}


def instance_from_payload(data: dict, extended: bool) -> element.Instance:
    flavor = _data(data.get("flavor") or {})
    # Nova leaves image_uuid empty for servers booted from volume.
    root = int(flavor.get("root_gb") or 0) if data.get("image_uuid") else 0
    disk = (
        root + int(flavor.get("ephemeral_gb") or 0) + math.ceil(int(flavor.get("swap") or 0) / 1024)
    )
    return element.Instance(
        uuid=data["uuid"],
        name=data.get("display_name"),
        state=data.get("state"),
        memory=int(flavor.get("memory_mb") or 0),
        disk=disk,
        vcpus=int(flavor.get("vcpus") or 0),
        metadata=dict(data.get("metadata") or {}),
        project_id=data.get("tenant_id"),
        locked=bool(data.get("locked", False)),
        host=data.get("host"),
        created=data.get("created_at"),
        pinned_az=None,
        flavor_extra_specs=dict(flavor.get("extra_specs") or {}) if extended else {},
    )


class VersionedNotificationEndpoint:
    """oslo.messaging notification endpoint for Nova's versioned notifications."""

    filter_rule = messaging.NotificationFilter(publisher_id="^nova-.*")

    def __init__(self, collector) -> None:
        self.collector = collector

    # oslo.messaging calls the method named after the notification's priority.
    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        try:
            self.handle(event_type, payload)
        except Exception:
            LOG.exception("Nova notification %s not applied", event_type)

    def handle(self, event_type: str, payload: dict) -> None:
        data = _data(payload)
        if event_type in CREATE_EVENTS or event_type in UPDATE_EVENTS:
            self._update_instance(data)
        elif event_type in DELETE_EVENTS:
            self.collector.patch(lambda model: self._delete_instance(model, data["uuid"]))
        elif event_type in SERVICE_UPDATE_EVENTS:
            self._update_service(data)
        elif event_type in SERVICE_DELETE_EVENTS:
            self.collector.patch(lambda model: self._delete_node(model, data["host"]))
        else:
            return
        LOG.debug("Compute model patched by %s", event_type)

    # -- instances ----------------------------------------------------------------------

    def _update_instance(self, data: dict) -> None:
        if data.get("state") == element.InstanceState.BUILDING.value:
            return
        if data.get("state") == element.InstanceState.DELETED.value:
            self.collector.patch(lambda model: self._delete_instance(model, data["uuid"]))
            return
        host = data.get("host")
        if host:
            self._ensure_node(host)
        new = instance_from_payload(data, CONF.compute_model.enable_extended_attributes)

        def change(model) -> None:
            # A patch may be replayed on a rebuilt model: each model gets its own element.
            instance = new.clone()
            try:
                old = model.get_instance_by_uuid(instance.uuid)
            except exception.InstanceNotFound:
                old = None
            if old is not None:
                # Notifications do not carry the pinned AZ; keep what the collector read.
                instance.pinned_az = old.pinned_az
            model.add_instance(instance)
            try:
                node = model.get_node_by_name(host) if host else None
            except exception.ComputeNodeNotFound:
                node = None
            if node is not None:
                model.map_instance(instance, node)
                return
            try:
                current = model.get_node_by_instance_uuid(instance.uuid)
            except exception.ComputeResourceNotFound:
                return
            model.unmap_instance(instance, current)

        self.collector.patch(change)

    @staticmethod
    def _delete_instance(model, uuid: str) -> None:
        model.remove_instance(uuid)

    # -- nodes --------------------------------------------------------------------------

    def _update_service(self, data: dict) -> None:
        if data.get("binary", "nova-compute") != "nova-compute":
            return
        host = data["host"]
        self._ensure_node(host)
        status = (
            element.ServiceState.DISABLED.value
            if data.get("disabled")
            else element.ServiceState.ENABLED.value
        )
        state = (
            element.ServiceState.OFFLINE.value
            if data.get("forced_down")
            else element.ServiceState.ONLINE.value
        )

        def change(model) -> None:
            node = model.get_node_by_name(host).clone()
            node.status = status
            node.state = state
            node.disabled_reason = data.get("disabled_reason")
            # Replaced, not edited: snapshots taken earlier keep their own copy.
            model.add_node(node)

        self.collector.patch(change)

    @staticmethod
    def _delete_node(model, host: str) -> None:
        model.remove_node(model.get_node_by_name(host))

    def _ensure_node(self, host: str) -> None:
        """Fetch a node the model does not know yet (a new compute service)."""
        model = self.collector.cluster_data_model
        if model is None:
            return
        try:
            model.get_node_by_name(host)
            return
        except exception.ComputeNodeNotFound:
            pass
        node = self.collector.fetch_node(host)
        if node is None:
            LOG.warning("Compute host %s from a notification is unknown to Nova", host)
            return

        def add(model) -> None:
            try:
                model.get_node_by_name(host)
            except exception.ComputeNodeNotFound:
                model.add_node(node.clone())

        self.collector.patch(add)
