"""Operations that take simulated time: migrations, resizes, power, volume moves.

Each one checks what the real API checks up front (raising ``HTTPError`` with the real
status), marks the resource busy, and schedules its end ``state.dynamics[<op>]`` simulated
seconds later. Failure rules are consulted at the end; a failed operation leaves the
resource where it was, as the real services do after a rollback.
"""

import logging

from watcher.simulator.records import (
    BaremetalNode,
    Flavor,
    InstanceAction,
    Migration,
    Server,
    Volume,
)
from watcher.simulator.wsgi import HTTPError

LOG = logging.getLogger(__name__)

DURATIONS = {"live_migration": 30.0, "cold_migration": 60.0, "resize": 60.0, "stop": 5.0,
             "start": 5.0, "volume_migration": 1.0, "retype": 10.0, "power_on": 120.0,
             "power_off": 30.0, "boot": 10.0, "delete": 2.0, "volume_create": 2.0}


class Operations:
    def __init__(self, sim) -> None:
        self.sim = sim
        self.state = sim.state
        self.notify = sim.notifications
        for host, at in sim.failures.host_down:
            sim.scheduler.at(self.state.clock.start + at,
                             lambda host=host: self._host_down(host))

    def duration(self, operation: str, scale: float = 1.0) -> float:
        return self.state.dynamics.get(operation, DURATIONS[operation]) * scale

    def _set_server(self, server: Server, status: str, task_state: str | None,
                    power_state: int | None = None) -> None:
        old_status, old_task = server.status, server.task_state
        server.status, server.task_state = status, task_state
        if power_state is not None:
            server.power_state = power_state
        self.state.touch(server)
        self.notify.instance(self.state, server, "instance.update", old_status, old_task)

    def _busy(self, server: Server, action: str) -> None:
        if server.task_state is not None:
            raise HTTPError(409, f"Cannot '{action}' instance {server.id} while it is in "
                                 f"task_state {server.task_state}")

    def _state_conflict(self, server: Server, action: str) -> HTTPError:
        vm_state = {"SHUTOFF": "stopped", "VERIFY_RESIZE": "resized"}.get(server.status,
                                                                          server.status.lower())
        return HTTPError(409, f"Cannot '{action}' instance {server.id} while it is in "
                              f"vm_state {vm_state}")

    # -- choosing hosts ------------------------------------------------------------------------

    def _group_allows(self, server: Server, host: str) -> bool:
        if server.group_id is None:
            return True
        group = self.state.server_groups[server.group_id]
        others = {self.state.servers[m].host for m in group.members if m != server.id}
        if group.policy == "anti-affinity":
            return host not in others
        if group.policy == "affinity":
            return not others or others == {host}
        return True

    def _usable(self, host: str) -> bool:
        service = self.state.compute_services[host]
        return (service.status == "enabled" and service.state == "up"
                and not service.forced_down)

    def pick_host(self, server: Server, flavor: Flavor | None = None,
                  exclude: str | None = None) -> str | None:
        """A stand-in for nova-scheduler: first enabled, up host with room and group fit."""
        for hypervisor in self.state.hypervisor_order:
            name = hypervisor.name
            if name == exclude or not self._usable(name):
                continue
            if self.state.fits(hypervisor, server, flavor) and self._group_allows(server, name):
                return name
        return None

    def _destination(self, server: Server, host: str | None, flavor: Flavor | None = None,
                     same_host_ok: bool = False) -> str:
        if host is None:
            if same_host_ok and self.state.fits(self.state.hypervisors_by_name[server.host],
                                                server, flavor):
                return server.host
            chosen = self.pick_host(server, flavor, exclude=server.host)
            if chosen is None:
                raise HTTPError(400, "No valid host was found. There are not enough hosts "
                                     "available.")
            return chosen
        if host not in self.state.hypervisors_by_name:
            raise HTTPError(400, f"Compute host {host} could not be found.")
        if host == server.host and not same_host_ok:
            raise HTTPError(400, f"The requested host {host} is the current host of the "
                                 "instance.")
        return host

    def _placement_failure(self, server: Server, host: str, flavor: Flavor | None) -> str | None:
        hypervisor = self.state.hypervisors_by_name[host]
        if not self._usable(host):
            return f"Compute service of {host} is unavailable at this time."
        if not self.state.fits(hypervisor, server, flavor):
            return f"No valid host was found. Host {host} does not have enough capacity."
        if not self._group_allows(server, host):
            return f"No valid host was found. Host {host} breaks the server group policy."
        return None

    # -- live migration ------------------------------------------------------------------------

    def live_migrate(self, server: Server, host: str | None,
                     action: InstanceAction | None = None) -> Migration:
        with self.state.lock:
            self._busy(server, "os-migrateLive")
            if server.status not in ("ACTIVE", "PAUSED"):
                raise self._state_conflict(server, "os-migrateLive")
            dest = self._destination(server, host)
            migration = self.state.new_migration(server, "live-migration", dest)
            reason = self._placement_failure(server, dest, None)
            if reason is None:
                self.state.reserve(migration, dest, server)
                self.state.set_migration_status(migration, "running")
            self._set_server(server, "MIGRATING", "migrating")
        self.sim.scheduler.after(self.duration("live_migration"),
                                 lambda: self._finish_live(server, migration, reason, action))
        return migration

    def _finish_live(self, server: Server, migration: Migration, reason: str | None,
                     action: InstanceAction | None) -> None:
        with self.state.lock:
            if migration.status != "running" and reason is None:
                self.state.actions.finish(action, "aborted")
                return  # aborted meanwhile
            self.state.release(migration)
            reason = reason or self.sim.failures.operation_failure(
                "live_migration", (migration.source_compute, migration.dest_compute))
            if reason is not None:
                LOG.info("live migration of %s failed: %s", server.id, reason)
                self.state.set_migration_status(migration, "error")
                self._set_server(server, "ACTIVE", None)
                self.state.actions.finish(action, reason)
                self.notify.instance(self.state, server, "instance.live_migration_abort.end")
                return
            self.state.move_server(server, migration.dest_compute)
            self.state.set_migration_status(migration, "completed")
            self._set_server(server, "ACTIVE", None)
            self.state.actions.finish(action, host=migration.dest_compute)
            self.notify.instance(self.state, server, "instance.live_migration_post_dest.end")

    def abort_live_migration(self, server: Server, migration: Migration) -> None:
        with self.state.lock:
            if migration.migration_type != "live-migration" or migration.status not in (
                    "queued", "preparing", "running"):
                raise HTTPError(400, f"Migration {migration.id} state of instance "
                                     f"{server.id} is {migration.status}. Cannot abort live "
                                     "migration.")
            self.state.release(migration)
            self.state.set_migration_status(migration, "cancelled")
            self._set_server(server, "ACTIVE", None)

    # -- cold migration and resize -------------------------------------------------------------

    def cold_migrate(self, server: Server, host: str | None,
                     action: InstanceAction | None = None) -> Migration:
        return self._start_move(server, host, None, "migration", "cold_migration", "migrate",
                                action)

    def resize(self, server: Server, flavor: Flavor,
               action: InstanceAction | None = None) -> Migration:
        if flavor.id == server.flavor_id:
            raise HTTPError(400, "When resizing, instances must change flavor!")
        return self._start_move(server, None, flavor, "resize", "resize", "resize", action)

    def _start_move(self, server: Server, host: str | None, flavor: Flavor | None, kind: str,
                    operation: str, request: str, action: InstanceAction | None) -> Migration:
        with self.state.lock:
            self._busy(server, request)
            if server.status not in ("ACTIVE", "SHUTOFF"):
                raise self._state_conflict(server, request)
            dest = self._destination(server, host, flavor, same_host_ok=kind == "resize")
            migration = self.state.new_migration(server, kind, dest,
                                                 flavor.id if flavor else None)
            reason = self._placement_failure(server, dest, flavor) if dest != server.host \
                else None
            self.state.set_migration_status(migration, "migrating")
            previous = server.status
            self._set_server(server, "RESIZE", "resize_migrating")
        self.sim.scheduler.after(self.duration(operation), lambda: self._finish_move(
            server, migration, flavor, operation, previous, reason, action))
        return migration

    def _finish_move(self, server: Server, migration: Migration, flavor: Flavor | None,
                     operation: str, previous: str, reason: str | None,
                     action: InstanceAction | None) -> None:
        with self.state.lock:
            reason = reason or self.sim.failures.operation_failure(
                operation, (migration.source_compute, migration.dest_compute))
            if reason is not None:
                LOG.info("%s of %s failed: %s", operation, server.id, reason)
                self.state.set_migration_status(migration, "error")
                self._set_server(server, previous, None)
                self.state.actions.finish(action, reason)
                return
            server.old_flavor_id, server.old_host = server.flavor_id, server.host
            # The source keeps the old footprint until the move is confirmed.
            self.state.reserve(migration, server.host, server)
            self.state.move_server(server, migration.dest_compute, flavor)
            self.state.set_migration_status(migration, "finished")
            self._set_server(server, "VERIFY_RESIZE", None)
            self.state.actions.finish(action, host=migration.dest_compute)
            self.notify.instance(self.state, server, "instance.resize_finish.end")

    def _pending_move(self, server: Server) -> Migration:
        for migration in reversed(list(self.state.migrations.values())):
            if migration.server_id == server.id and migration.status == "finished":
                return migration
        raise HTTPError(404, f"Migration for instance {server.id} with status finished could "
                             "not be found.")

    def confirm_resize(self, server: Server) -> None:
        with self.state.lock:
            if server.status != "VERIFY_RESIZE":
                raise self._state_conflict(server, "confirmResize")
            migration = self._pending_move(server)
            self.state.release(migration)
            self.state.set_migration_status(migration, "confirmed")
            server.old_flavor_id = server.old_host = None
            self._set_server(server, "ACTIVE", None)
            self.notify.instance(self.state, server, "instance.resize_confirm.end")

    def revert_resize(self, server: Server) -> None:
        with self.state.lock:
            if server.status != "VERIFY_RESIZE":
                raise self._state_conflict(server, "revertResize")
            migration = self._pending_move(server)
            self.state.release(migration)
            self.state.move_server(server, server.old_host,
                                   self.state.flavors[server.old_flavor_id])
            self.state.set_migration_status(migration, "reverted")
            server.old_flavor_id = server.old_host = None
            self._set_server(server, "ACTIVE", None)
            self.notify.instance(self.state, server, "instance.resize_revert.end")

    # -- power of servers ----------------------------------------------------------------------

    def stop(self, server: Server, action: InstanceAction | None = None) -> None:
        self._power(server, "ACTIVE", "SHUTOFF", "powering-off", 4, "stop", "os-stop",
                    "instance.power_off.end", action)

    def start(self, server: Server, action: InstanceAction | None = None) -> None:
        self._power(server, "SHUTOFF", "ACTIVE", "powering-on", 1, "start", "os-start",
                    "instance.power_on.end", action)

    def _power(self, server: Server, before: str, after: str, task: str, power: int,
               operation: str, request: str, event: str,
               action: InstanceAction | None) -> None:
        with self.state.lock:
            self._busy(server, request)
            if server.status != before:
                raise self._state_conflict(server, request)
            self._set_server(server, before, task)

        def finish() -> None:
            with self.state.lock:
                reason = self.sim.failures.operation_failure(operation, (server.host,))
                if reason is not None:
                    LOG.info("%s of %s failed: %s", operation, server.id, reason)
                    self._set_server(server, before, None)
                    self.state.actions.finish(action, reason)
                    return
                self._set_server(server, after, None, power)
                self.state.actions.finish(action)
                self.notify.instance(self.state, server, event)

        self.sim.scheduler.after(self.duration(operation), finish)

    # -- boot and delete -----------------------------------------------------------------------

    def boot(self, server: Server, zone: str | None, forced_host: str | None,
             action: InstanceAction | None) -> None:
        """Schedule a new server and claim its resources on the chosen host; the build
        ends after ``dynamics.boot`` seconds. No host fits: the server goes to ERROR, as
        Nova's NoValidHost does. ``forced_host`` is the admin's ``zone:host`` or 2.74 ``host``
        request; it still needs room there."""
        with self.state.lock:
            if forced_host is not None:
                room = self.state.fits(self.state.hypervisors_by_name[forced_host], server)
                host = forced_host if room else None
            else:
                host = self._roomiest_host(server, zone)
            if host is None:
                self._set_server(server, "ERROR", None, 0)
                self.state.actions.finish(action, "No valid host was found.")
                return
            self.state.place_server(server, host)
            self._set_server(server, "BUILD", "spawning")

        def finish() -> None:
            with self.state.lock:
                if server.id not in self.state.servers:
                    return  # deleted while building
                server.launched_at = self.state.clock.now()
                self._set_server(server, "ACTIVE", None, 1)
                self.state.actions.finish(action, host=host)
                self.notify.instance(self.state, server, "instance.create.end")

        self.sim.scheduler.after(self.duration("boot"), finish)

    def _roomiest_host(self, server: Server, zone: str | None) -> str | None:
        """nova-scheduler's filters (enabled, up, zone, room, group) and its default RAM
        weigher: the fitting host with the most free memory, which spreads servers."""
        best, best_free = None, None
        for hypervisor in self.state.hypervisor_order:
            name = hypervisor.name
            if not self._usable(name) or (zone and hypervisor.availability_zone != zone):
                continue
            if not (self.state.fits(hypervisor, server) and self._group_allows(server, name)):
                continue
            free = self.state.capacity(hypervisor)[1] - hypervisor.memory_mb_used
            if best_free is None or free > best_free:
                best, best_free = name, free
        return best

    def delete(self, server: Server, action: InstanceAction | None) -> None:
        with self.state.lock:
            if server.task_state == "deleting":
                return
            self._set_server(server, server.status, "deleting")

        def finish() -> None:
            with self.state.lock:
                if server.id not in self.state.servers:
                    return
                self.state.actions.finish(action)
                self.notify.instance(self.state, server, "instance.delete.end")
                self.state.remove_server(server)

        self.sim.scheduler.after(self.duration("delete"), finish)

    # -- services ------------------------------------------------------------------------------

    def update_service(self, service, status: str | None = None, reason: str | None = None,
                       forced_down: bool | None = None) -> None:
        with self.state.lock:
            if status is not None:
                service.status = status
                service.disabled_reason = reason if status == "disabled" else None
            if forced_down is not None:
                service.forced_down = forced_down
                service.state = "down" if forced_down else "up"
            self.state.touch(service)
            self.notify.service(self.state, service)

    def _host_down(self, host: str) -> None:
        with self.state.lock:
            service = self.state.compute_services[host]
            service.state = "down"
            self.state.touch(service)
            self.notify.service(self.state, service)

    # -- bare metal ----------------------------------------------------------------------------

    def set_power(self, node: BaremetalNode, on: bool) -> None:
        """Ironic/MAAS power action: the node and its hypervisor follow after a while."""
        target = "power on" if on else "power off"
        operation = "power_on" if on else "power_off"
        with self.state.lock:
            node.target_power_state = target
            self.state.touch(node)

        def finish() -> None:
            with self.state.lock:
                node.target_power_state = None
                reason = self.sim.failures.operation_failure(operation, (node.hypervisor,))
                if reason is not None:
                    LOG.info("%s of %s failed: %s", operation, node.name, reason)
                    self.state.touch(node)
                    return
                node.power_state = target
                self.state.touch(node)
                if node.hypervisor:
                    service = self.state.compute_services[node.hypervisor]
                    service.state = "up" if on else "down"
                    self.state.touch(service)
                    self.notify.service(self.state, service)

        self.sim.scheduler.after(self.duration(operation), finish)

    # -- volumes -------------------------------------------------------------------------------

    def migrate_volume(self, volume: Volume, pool: str) -> None:
        with self.state.lock:
            if volume.status not in ("available", "in-use"):
                raise HTTPError(400, f"Volume {volume.id} status must be available or in-use, "
                                     f"but current status is: {volume.status}")
            if volume.migration_status == "migrating":
                raise HTTPError(400, f"Volume {volume.id} is already being migrated.")
            if pool not in self.state.pools:
                raise HTTPError(400, f"No available service named {pool}")
            if pool == volume.pool:
                raise HTTPError(400, "Destination host must be different than the current "
                                     "host.")
            volume.migration_status = "migrating"
            self.state.touch(volume)
        self.sim.scheduler.after(self.duration("volume_migration", volume.size),
                                 lambda: self._finish_volume(volume, pool, None, "migrate"))

    def retype(self, volume: Volume, new_type: str, policy: str) -> None:
        with self.state.lock:
            if volume.status not in ("available", "in-use"):
                raise HTTPError(400, f"Volume {volume.id} status must be available or in-use, "
                                     f"but current status is: {volume.status}")
            vtype = self.state.volume_types_by_name[new_type]
            if vtype.name == volume.volume_type:
                raise HTTPError(400, "Retype requires a different volume type.")
            backend = vtype.extra_specs.get("volume_backend_name")
            pool = volume.pool
            if backend and self.state.pools[volume.pool].backend != backend:
                if policy != "on-demand":
                    raise HTTPError(400, "Retype needs a migration but migration_policy is "
                                         "'never'.")
                pool = next(p.name for p in self.state.pools.values() if p.backend == backend)
            old_status = volume.status
            volume.status = "retyping"
            self.state.touch(volume)
        self.sim.scheduler.after(self.duration("retype"),
                                 lambda: self._finish_volume(volume, pool, (vtype.name,
                                                                            old_status),
                                                             "retype"))

    def _finish_volume(self, volume: Volume, pool: str, retype: tuple | None,
                       operation: str) -> None:
        with self.state.lock:
            name = "retype" if retype else "volume_migration"
            reason = self.sim.failures.operation_failure(name, ())
            if retype:
                volume.status = retype[1]
            if reason is not None:
                LOG.info("%s of %s failed: %s", operation, volume.id, reason)
                volume.migration_status = "error"
                self.state.touch(volume)
                return
            if pool != volume.pool:
                self.state.move_volume(volume, pool)
                volume.migration_status = "success"
            if retype:
                volume.volume_type = retype[0]
            self.state.touch(volume)
            self.notify.volume(self.state, volume, f"volume.{operation}.end")
            self.notify.volume(self.state, volume, "volume.update.end")
