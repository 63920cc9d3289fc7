"""Nova versioned and Cinder notifications on the message bus.

Sending happens on one background thread so a slow broker never slows an API call, and
notifications leave in the order they were made. Without a transport URL nothing is sent
(but ``sent`` still records them, which tests and the demo can read).

Each service publishes on its own exchange, as a real cloud does: Nova on ``nova`` (its
``control_exchange``), Cinder on ``openstack`` (oslo.messaging's default, which Cinder keeps).
Those are the exchanges Watcher's default ``notification_topics`` name.
"""

import collections
import logging
import queue
import threading

LOG = logging.getLogger(__name__)

NOVA_TOPIC = "versioned_notifications"
CINDER_TOPIC = "notifications"
NOVA_EXCHANGE = "nova"
CINDER_EXCHANGE = "openstack"
_POWER_STATES = {0: "pending", 1: "running", 3: "paused", 4: "shutdown", 6: "crashed",
                 7: "suspended"}
_VM_STATES = {"ACTIVE": "active", "SHUTOFF": "stopped", "PAUSED": "paused",
              "SUSPENDED": "suspended", "ERROR": "error", "SHELVED_OFFLOADED":
              "shelved_offloaded", "VERIFY_RESIZE": "resized", "BUILD": "building",
              "MIGRATING": "active", "RESIZE": "active"}


def versioned(name: str, version: str, data: dict, namespace: str = "nova") -> dict:
    return {"nova_object.name": name, "nova_object.namespace": namespace,
            "nova_object.version": version, "nova_object.data": data}


class Notifications:
    def __init__(self, transport_url: str | None, nova_exchange: str = NOVA_EXCHANGE,
                 cinder_exchange: str = CINDER_EXCHANGE) -> None:
        self.transport_url = transport_url
        self.exchanges = {NOVA_TOPIC: nova_exchange, CINDER_TOPIC: cinder_exchange}
        self.sent: collections.deque = collections.deque(maxlen=1000)
        self._queue: queue.Queue = queue.Queue()
        self._notifiers: dict[tuple[str, str], object] = {}
        # oslo.messaging's Notifier publishes on its transport's default exchange, so one
        # transport per exchange.
        self._transports: dict[str, object] = {}
        self._thread: threading.Thread | None = None
        if transport_url:
            import oslo_messaging

            self._messaging = oslo_messaging
            for exchange in set(self.exchanges.values()):
                self._transports[exchange] = self._new_transport(exchange)
            self._thread = threading.Thread(target=self._run, name="simulator-notify",
                                            daemon=True)
            self._thread.start()

    def emit(self, publisher: str, event_type: str, payload: dict, topic: str = NOVA_TOPIC,
             priority: str = "info") -> None:
        self.sent.append((publisher, event_type, payload))
        if self._thread is not None:
            self._queue.put((publisher, event_type, payload, topic, priority))

    def _new_transport(self, exchange: str):
        from oslo_config import cfg

        # A private config object: the simulator must not disturb a host process's CONF.
        conf = cfg.ConfigOpts()
        for group, opts in self._messaging.opts.list_opts():
            conf.register_opts(opts, group=group)
        conf.set_override("control_exchange", exchange)
        return self._messaging.get_notification_transport(conf, url=self.transport_url)

    def _notifier(self, publisher: str, topic: str):
        key = (publisher, topic)
        if key not in self._notifiers:
            self._notifiers[key] = self._messaging.Notifier(
                self._transports[self.exchanges[topic]],
                publisher_id=publisher, driver="messagingv2", topics=[topic])
        return self._notifiers[key]

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            publisher, event_type, payload, topic, priority = item
            try:
                getattr(self._notifier(publisher, topic), priority)({}, event_type, payload)
            except Exception:
                LOG.exception("could not send %s", event_type)
            finally:
                self._queue.task_done()

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until everything queued so far is on the bus."""
        if self._thread is None:
            return
        done = threading.Event()
        threading.Thread(target=lambda: (self._queue.join(), done.set()), daemon=True).start()
        done.wait(timeout)

    def close(self) -> None:
        if self._thread is not None:
            self.flush()
            self._queue.put(None)
            self._thread.join(timeout=5)
            for transport in self._transports.values():
                transport.cleanup()
            self._transports.clear()
            self._thread = None

    # -- Nova payloads -------------------------------------------------------------------------

    def instance(self, state, server, event_type: str, old_status: str | None = None,
                 old_task_state: str | None = None) -> None:
        flavor = state.flavors[server.flavor_id]
        clock = state.clock
        data = {
            "uuid": server.id, "user_id": server.user_id, "tenant_id": server.project_id,
            "reservation_id": "r-" + server.id[:8], "display_name": server.name,
            "display_description": None, "host_name": server.name, "host": server.host,
            "node": server.host, "os_type": None, "architecture": "x86_64",
            "availability_zone": server.availability_zone,
            "flavor": versioned("FlavorPayload", "1.4", {
                "flavorid": flavor.id, "name": flavor.name, "memory_mb": flavor.ram,
                "vcpus": flavor.vcpus, "root_gb": flavor.disk, "ephemeral_gb": flavor.ephemeral,
                "swap": flavor.swap, "rxtx_factor": flavor.rxtx_factor,
                "is_public": flavor.is_public, "disabled": False,
                "extra_specs": dict(flavor.extra_specs), "projects": None,
                "description": flavor.description}),
            "image_uuid": server.image_id, "key_name": None, "kernel_id": "", "ramdisk_id": "",
            "created_at": clock.isotime(server.created_at),
            "launched_at": clock.isotime(server.launched_at) if server.launched_at else None,
            "terminated_at": None, "deleted_at": None,
            "updated_at": clock.isotime(server.updated_at),
            "state": _VM_STATES.get(server.status, "active"),
            "power_state": _POWER_STATES.get(server.power_state, "pending"),
            "task_state": server.task_state, "progress": 0, "ip_addresses": [],
            "block_devices": [], "metadata": dict(server.metadata), "locked": server.locked,
            "auto_disk_config": "MANUAL", "action_initiator_user": server.user_id,
            "action_initiator_project": server.project_id, "locked_reason": None,
            "request_id": None,
        }
        if event_type == "instance.update":
            data.update({
                "state_update": versioned("InstanceStateUpdatePayload", "1.0", {
                    "old_state": _VM_STATES.get(old_status or server.status, "active"),
                    "state": data["state"], "old_task_state": old_task_state,
                    "new_task_state": server.task_state}),
                "audit_period": versioned("AuditPeriodPayload", "1.0", {
                    "audit_period_beginning": clock.isotime(),
                    "audit_period_ending": clock.isotime()}),
                "bandwidth": [], "old_display_name": None, "tags": [], "updated_at": None,
            })
            payload = versioned("InstanceUpdatePayload", "2.0", data)
        else:
            data["fault"] = None
            payload = versioned("InstanceActionPayload", "1.8", data)
        self.emit(f"nova-compute:{server.host}", event_type, payload)

    def service(self, state, service) -> None:
        data = {"host": service.host, "binary": service.binary, "topic": "compute",
                "report_count": 1, "disabled": service.status == "disabled",
                "disabled_reason": service.disabled_reason,
                "availability_zone": service.zone, "last_seen_up":
                    state.clock.isotime(service.updated_at),
                "forced_down": service.forced_down, "version": 66, "uuid": service.id}
        self.emit(f"nova-compute:{service.host}", "service.update",
                  versioned("ServiceStatusPayload", "1.1", data))

    # -- Cinder payloads -----------------------------------------------------------------------

    def volume(self, state, volume, event_type: str) -> None:
        vtype = state.volume_types_by_name.get(volume.volume_type)
        payload = {
            "tenant_id": volume.project_id, "user_id": volume.user_id,
            "volume_id": volume.id, "display_name": volume.name, "size": volume.size,
            "status": volume.status, "host": volume.pool, "availability_zone":
                volume.availability_zone, "volume_type": vtype.id if vtype else None,
            "created_at": state.clock.isotime(volume.created_at), "launched_at": "",
            "snapshot_id": None, "replication_status": None, "metadata": [],
            "volume_attachment": [{"id": a.id, "instance_uuid": a.server_id,
                                   "mountpoint": a.device} for a in volume.attachments],
            "glance_metadata": [],
        }
        host = volume.pool.split("#")[0]
        self.emit(f"volume.{host}", event_type, payload, topic=CINDER_TOPIC)
