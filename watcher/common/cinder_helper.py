"""Cinder operations of the volume_migrate action, over openstacksdk's block storage proxy.

Both migrate and retype are asynchronous in Cinder; the calls here wait for their end with
the same poll budget as Nova operations (``[nova] migration_interval`` x
``migration_max_retries``, see nova_helper.wait_for).
"""

from __future__ import annotations

from openstack import exceptions as sdk_exc
from oslo_log import log

from watcher.common import nova_helper

LOG = log.getLogger(__name__)

# Volume statuses of a migration or retype still in progress.
_BUSY_STATUSES = ("retyping", "migrating", "maintenance")


class CinderHelper:
    def __init__(self, osc=None) -> None:
        self.osc = osc if osc is not None else nova_helper.default_clients()
        self._storage = None

    @property
    def storage(self):
        if self._storage is None:
            self._storage = self.osc.connection().block_storage
        return self._storage

    def get_volume(self, volume_id: str):
        try:
            return self.storage.get_volume(volume_id)
        except sdk_exc.NotFoundException:
            return None

    def get_volume_type(self, name_or_id: str):
        return self.storage.find_type(name_or_id, ignore_missing=True)

    def pool_exists(self, pool: str) -> bool:
        return any(p.name == pool for p in self.storage.backend_pools())

    def migrate(self, volume, destination_pool: str) -> bool:
        """Move ``volume`` to another pool; True once Cinder reports the move done there."""
        self.storage.migrate_volume(
            volume, host=destination_pool, force_host_copy=False, lock_volume=True
        )

        def verdict(current) -> bool | None:
            if current is None:
                return False
            if current.migration_status == "error" or current.status == "error":
                return False
            if current.migration_status in ("migrating", "starting") or (
                current.status in _BUSY_STATUSES
            ):
                return None
            return current.host == destination_pool

        done = nova_helper.wait_for(lambda: self.get_volume(volume.id), verdict)
        LOG.info("Migration of volume %s to %s: %s", volume.id, destination_pool,
                 "done" if done else "failed")
        return done

    def retype(self, volume, new_type: str) -> bool:
        """Change the type, migrating if the new type lives on another backend."""
        self.storage.retype_volume(volume, new_type, migration_policy="on-demand")

        def verdict(current) -> bool | None:
            if current is None or current.status == "error":
                return False
            if current.status in _BUSY_STATUSES or current.migration_status in (
                "migrating", "starting"
            ):
                return None
            return current.volume_type == new_type

        done = nova_helper.wait_for(lambda: self.get_volume(volume.id), verdict)
        LOG.info("Retype of volume %s to %s: %s", volume.id, new_type,
                 "done" if done else "failed")
        return done
