"""Nova operations of the applier's actions, over openstacksdk, each waiting for its end.

Nova answers 202 and works on; a call here returns once the server settled. Every wait reads
the server every ``[nova] migration_interval`` seconds, at most ``[nova]
migration_max_retries`` times, and reports failure when Nova gave up (task state cleared
without the expected change, or ERROR) or time ran out.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from openstack import exceptions as sdk_exc
from oslo_log import log

from watcher.common import clients
from watcher.conf import CONF

LOG = log.getLogger(__name__)

# Migration records a live migration can still be aborted in.
ABORTABLE_MIGRATION_STATES = ("queued", "preparing", "running")


def default_clients() -> clients.OpenStackClients:
    """Clients built from watcher.conf, for callers given none."""
    return clients.OpenStackClients()


def wait_for(read: Callable[[], object], verdict: Callable[[object], bool | None]) -> bool:
    """Poll ``read()`` until ``verdict`` says True/False, within the [nova] poll budget."""
    for attempt in range(CONF.nova.migration_max_retries):
        decided = verdict(read())
        if decided is not None:
            return decided
        if attempt + 1 < CONF.nova.migration_max_retries:
            time.sleep(CONF.nova.migration_interval)
    LOG.warning("Gave up waiting after %d polls", CONF.nova.migration_max_retries)
    return False


class NovaHelper:
    def __init__(self, osc=None) -> None:
        self.osc = osc if osc is not None else default_clients()
        self._compute = None

    @property
    def compute(self):
        if self._compute is None:
            self._compute = self.osc.connection().compute
        return self._compute

    # -- reads ----------------------------------------------------------------------------

    def find_instance(self, instance_id: str):
        """The server, or None when Nova does not know it."""
        try:
            return self.compute.get_server(instance_id)
        except sdk_exc.NotFoundException:
            return None

    def get_compute_node_by_hostname(self, hostname: str):
        # The search is a pattern match in Nova (404 when nothing matches): keep the exact
        # name only.
        try:
            for node in self.compute.hypervisors(hypervisor_hostname_pattern=hostname,
                                                 details=True):
                if node.name == hostname:
                    return node
        except sdk_exc.NotFoundException:
            pass
        return None

    def get_compute_node_by_uuid(self, node_id: str):
        try:
            return self.compute.get_hypervisor(node_id)
        except (sdk_exc.NotFoundException, sdk_exc.BadRequestException):
            # Nova answers 400 to an id that is not a UUID (a host name, say).
            return None

    def list_compute_nodes(self) -> list:
        return list(self.compute.hypervisors(details=True))

    def count_instances_on_node(self, hypervisor) -> int:
        """Servers on a hypervisor, whatever their state (Nova's running_vms)."""
        if hypervisor.running_vms is not None:
            return hypervisor.running_vms
        # running_vms is gone from microversion 2.88 on; the server list is not.
        host = (hypervisor.service_details or {}).get("host") or hypervisor.name
        return sum(1 for _ in self.compute.servers(all_projects=True, compute_host=host))

    def find_flavor(self, name_or_id: str):
        return self.compute.find_flavor(name_or_id, ignore_missing=True)

    def get_service(self, hostname: str, binary: str = "nova-compute"):
        for service in self.compute.services(binary=binary, host=hostname):
            if service.host == hostname:
                return service
        return None

    # -- services -------------------------------------------------------------------------

    def enable_service(self, hostname: str) -> bool:
        service = self.get_service(hostname)
        if service is None:
            LOG.error("No nova-compute service on host %s", hostname)
            return False
        updated = self.compute.enable_service(service, host=hostname, binary=service.binary)
        return updated.status == "enabled"

    def disable_service(self, hostname: str, reason: str | None = None) -> bool:
        service = self.get_service(hostname)
        if service is None:
            LOG.error("No nova-compute service on host %s", hostname)
            return False
        updated = self.compute.disable_service(
            service, host=hostname, binary=service.binary, disabled_reason=reason
        )
        return updated.status == "disabled"

    # -- servers --------------------------------------------------------------------------

    def _reader(self, instance_id: str) -> Callable[[], object]:
        return lambda: self.find_instance(instance_id)

    def live_migrate(self, instance_id: str, destination: str | None) -> bool:
        """Live migrate; True once the server runs on ``destination`` (any other host when
        None, the scheduler's pick)."""
        server = self.find_instance(instance_id)
        if server is None:
            return False
        source = server.compute_host
        self.compute.live_migrate_server(server, host=destination, block_migration="auto")

        def verdict(current) -> bool | None:
            if current is None or current.status == "ERROR":
                return False
            if current.task_state is not None or current.status == "MIGRATING":
                return None
            return _moved(current.compute_host, source, destination)

        done = wait_for(self._reader(instance_id), verdict)
        LOG.info("Live migration of %s from %s: %s", instance_id, source,
                 "done" if done else "failed")
        return done

    def abort_live_migration(self, instance_id: str, source: str) -> bool:
        """Abort the running live migration; True when the server stayed on ``source``."""
        server = self.find_instance(instance_id)
        if server is None:
            return False
        running = [m for m in self.compute.server_migrations(server)
                   if m.status in ABORTABLE_MIGRATION_STATES]
        for migration in running:
            try:
                self.compute.abort_server_migration(migration, server)
            except sdk_exc.HttpException as exc:
                # The migration may have ended between the list and the abort.
                LOG.warning("Cannot abort migration %s of %s: %s", migration.id, instance_id,
                            exc)
        if not running:
            LOG.info("No running migration of %s to abort", instance_id)

        def verdict(current) -> bool | None:
            if current is None:
                return False
            if current.task_state is not None or current.status == "MIGRATING":
                return None
            return current.compute_host == source

        return wait_for(self._reader(instance_id), verdict)

    def cold_migrate(self, instance_id: str, destination: str | None) -> bool:
        """Cold migrate and confirm; True once the server settled on its new host."""
        server = self.find_instance(instance_id)
        if server is None:
            return False
        source = server.compute_host
        self.compute.migrate_server(server, host=destination)
        if not self._wait_resized(instance_id, server.status):
            return False
        resized = self.find_instance(instance_id)
        if resized is None or not _moved(resized.compute_host, source, destination):
            return False
        return self._confirm(instance_id)

    def resize(self, instance_id: str, flavor_id: str) -> bool:
        server = self.find_instance(instance_id)
        if server is None:
            return False
        self.compute.resize_server(server, flavor_id)
        if not self._wait_resized(instance_id, server.status):
            return False
        return self._confirm(instance_id)

    def _wait_resized(self, instance_id: str, previous_status: str) -> bool:
        def verdict(current) -> bool | None:
            if current is None or current.status == "ERROR":
                return False
            if current.status == "VERIFY_RESIZE":
                return True
            if current.task_state is None and current.status == previous_status:
                return False  # Nova rolled the move back
            return None

        return wait_for(self._reader(instance_id), verdict)

    def _confirm(self, instance_id: str) -> bool:
        self.compute.confirm_server_resize(instance_id)
        # Nova confirms in the background with no task state: VERIFY_RESIZE lasts a while.
        # The server then runs again, or stays off if it was stopped before the move.
        return self._wait_status(instance_id, ("ACTIVE", "SHUTOFF"),
                                 pending=("VERIFY_RESIZE",))

    def _wait_status(self, instance_id: str, statuses: tuple, pending: tuple = (),
                     missing_ok: bool = False) -> bool:
        def verdict(current) -> bool | None:
            if current is None:
                return missing_ok
            if current.status in statuses and current.task_state is None:
                return True
            if current.status == "ERROR":
                return False
            if current.task_state is None and current.status not in pending:
                return False  # Nova ended the operation elsewhere than ``statuses``
            return None

        return wait_for(self._reader(instance_id), verdict)

    def stop(self, instance_id: str) -> bool:
        """Stop; a server deleted meanwhile counts as stopped."""
        try:
            self.compute.stop_server(instance_id)
        except sdk_exc.NotFoundException:
            return True
        return self._wait_status(instance_id, ("SHUTOFF",), missing_ok=True)

    def start(self, instance_id: str) -> bool:
        self.compute.start_server(instance_id)
        return self._wait_status(instance_id, ("ACTIVE",))


def _moved(host: str | None, source: str | None, destination: str | None) -> bool:
    if destination is not None:
        return host == destination
    return host is not None and host != source
