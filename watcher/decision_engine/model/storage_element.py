"""Elements of the storage data model: Cinder backends (storage nodes), pools and volumes.

Field names are upstream's; a few more (``volume_backend_name``, ``max_over_subscription_ratio``
on pools, ``host``/``migration_status``/``has_snapshots`` on volumes) carry what the storage
strategies need so that they read the model and never call Cinder themselves.
"""

from __future__ import annotations

import enum

from watcher.decision_engine.model import element


class VolumeState(str, enum.Enum):
    CREATING = "creating"
    AVAILABLE = "available"
    ATTACHING = "attaching"
    IN_USE = "in-use"
    DELETING = "deleting"
    ERROR = "error"
    ERROR_DELETING = "error_deleting"
    BACKING_UP = "backing-up"
    RESTORING_BACKUP = "restoring-backup"
    ERROR_RESTORING = "error_restoring"
    ERROR_EXTENDING = "error_extending"


class StorageNode(element._Element):
    """A cinder-volume service: ``host`` is ``hostname@backend``."""

    fields = ("host", "zone", "status", "state", "volume_type")
    __slots__ = fields
    _defaults = {
        "status": element.ServiceState.ENABLED.value,
        "state": element.ServiceState.ONLINE.value,
    }

    def clone(self):
        new = super().clone()
        new.volume_type = list(self.volume_type or ())
        return new

    def __hash__(self) -> int:
        return hash(("StorageNode", self.host))

    def __repr__(self) -> str:
        return f"StorageNode(host={self.host!r})"


class Pool(element._Element):
    """A backend pool: ``name`` is ``hostname@backend#pool``."""

    fields = (
        "name",
        "total_volumes",
        "total_capacity_gb",
        "free_capacity_gb",
        "provisioned_capacity_gb",
        "allocated_capacity_gb",
        "virtual_free",
        "max_over_subscription_ratio",
        "volume_backend_name",
    )
    __slots__ = fields
    _defaults = {
        "total_volumes": 0,
        "total_capacity_gb": 0,
        "free_capacity_gb": 0,
        "provisioned_capacity_gb": 0,
        "allocated_capacity_gb": 0,
        "virtual_free": 0,
        "max_over_subscription_ratio": 1.0,
    }

    @property
    def node_host(self) -> str:
        return self.name.split("#")[0]

    @property
    def pool_name(self) -> str:
        """The pool's own name (after ``#``), what ``ex_pools`` lists."""
        return self.name.split("#")[-1]

    def __hash__(self) -> int:
        return hash(("Pool", self.name))

    def __repr__(self) -> str:
        return f"Pool(name={self.name!r})"


class Volume(element._Element):
    fields = (
        "uuid",
        "size",
        "status",
        "attachments",
        "name",
        "multiattach",
        "snapshot_id",
        "project_id",
        "metadata",
        "bootable",
        "volume_type",
        "created_at",
        "host",
        "availability_zone",
        "migration_status",
        "has_snapshots",
    )
    __slots__ = fields
    _defaults = {
        "size": 0,
        "status": VolumeState.AVAILABLE.value,
        "name": "",
        "multiattach": False,
        "snapshot_id": "",
        "metadata": {},
        "bootable": False,
        "has_snapshots": False,
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        if self.attachments is None:
            self.attachments = []

    def clone(self):
        new = super().clone()
        new.attachments = [dict(a) for a in self.attachments]
        return new

    @property
    def server_ids(self) -> list[str]:
        return [a["server_id"] for a in self.attachments if a.get("server_id")]
