"""Elements of the compute data model: small slotted records, no graph library.

Field names are upstream's (they become the ``node_*``/``server_*`` keys of ``GET /v1/data_model``).
Elements are plain mutable records; the model root owns the relations between them.
"""

from __future__ import annotations

import enum
from typing import Any


class InstanceState(str, enum.Enum):
    ACTIVE = "active"
    BUILDING = "building"
    PAUSED = "paused"
    SUSPENDED = "suspended"
    STOPPED = "stopped"
    RESCUED = "rescued"
    RESIZED = "resized"
    SHELVED = "shelved"
    SOFT_DELETED = "soft-delete"
    DELETED = "deleted"
    ERROR = "error"


class ServiceState(str, enum.Enum):
    ONLINE = "up"
    OFFLINE = "down"
    ENABLED = "enabled"
    DISABLED = "disabled"


_new = object.__new__


class _Element:
    """Shared plumbing: construction by keyword, cheap cloning, dict export."""

    __slots__ = ()
    fields: tuple[str, ...] = ()
    _defaults: dict[str, Any] = {}

    def __init__(self, **kwargs: Any) -> None:
        unknown = set(kwargs) - set(self.fields)
        if unknown:
            raise TypeError(f"{type(self).__name__}: unknown fields {sorted(unknown)}")
        for name in self.fields:
            value = kwargs[name] if name in kwargs else self._defaults.get(name)
            # Mutable defaults are per element, never shared.
            if isinstance(value, dict) and name not in kwargs:
                value = {}
            setattr(self, name, value)

    def clone(self):
        """A field-by-field copy; dict fields are copied one level so snapshots stay apart."""
        new = _new(type(self))
        for name in self.fields:
            value = getattr(self, name)
            setattr(new, name, dict(value) if isinstance(value, dict) else value)
        return new

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.fields}

    def __getitem__(self, name: str) -> Any:
        # Upstream elements are indexable by field name; strategies ported from it rely on it.
        if name not in self.fields:
            raise KeyError(name)
        return getattr(self, name)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.fields)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.uuid))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(uuid={self.uuid!r})"


class ComputeNode(_Element):
    fields = (
        "uuid",
        "hostname",
        "status",
        "disabled_reason",
        "state",
        "memory",
        "memory_mb_reserved",
        "disk",
        "disk_gb_reserved",
        "vcpus",
        "vcpu_reserved",
        "memory_ratio",
        "vcpu_ratio",
        "disk_ratio",
    )
    __slots__ = fields
    _defaults = {
        "status": ServiceState.ENABLED.value,
        "state": ServiceState.ONLINE.value,
        "memory": 0,
        "memory_mb_reserved": 0,
        "disk": 0,
        "disk_gb_reserved": 0,
        "vcpus": 0,
        "vcpu_reserved": 0,
        "memory_ratio": 1.0,
        "vcpu_ratio": 1.0,
        "disk_ratio": 1.0,
    }

    def clone(self) -> ComputeNode:
        # Spelled out: snapshots clone every element, and this is several times faster than
        # the generic loop.
        new = _new(ComputeNode)
        new.uuid = self.uuid
        new.hostname = self.hostname
        new.status = self.status
        new.disabled_reason = self.disabled_reason
        new.state = self.state
        new.memory = self.memory
        new.memory_mb_reserved = self.memory_mb_reserved
        new.disk = self.disk
        new.disk_gb_reserved = self.disk_gb_reserved
        new.vcpus = self.vcpus
        new.vcpu_reserved = self.vcpu_reserved
        new.memory_ratio = self.memory_ratio
        new.vcpu_ratio = self.vcpu_ratio
        new.disk_ratio = self.disk_ratio
        return new

    @property
    def vcpu_capacity(self) -> float:
        return (self.vcpus - self.vcpu_reserved) * self.vcpu_ratio

    @property
    def memory_mb_capacity(self) -> float:
        return (self.memory - self.memory_mb_reserved) * self.memory_ratio

    @property
    def disk_gb_capacity(self) -> float:
        return (self.disk - self.disk_gb_reserved) * self.disk_ratio


class Instance(_Element):
    fields = (
        "uuid",
        "name",
        "state",
        "memory",
        "disk",
        "vcpus",
        "metadata",
        "project_id",
        "locked",
        "watcher_exclude",
        "host",
        "created",
        "pinned_az",
        "flavor_extra_specs",
    )
    __slots__ = fields
    _defaults = {
        "state": InstanceState.ACTIVE.value,
        "memory": 0,
        "disk": 0,
        "vcpus": 0,
        "metadata": {},
        "locked": False,
        "watcher_exclude": False,
        "flavor_extra_specs": {},
    }

    def clone(self) -> Instance:
        # Spelled out for speed, like ComputeNode.clone; dict fields copied one level.
        new = _new(Instance)
        new.uuid = self.uuid
        new.name = self.name
        new.state = self.state
        new.memory = self.memory
        new.disk = self.disk
        new.vcpus = self.vcpus
        new.metadata = dict(self.metadata) if self.metadata else {}
        new.project_id = self.project_id
        new.locked = self.locked
        new.watcher_exclude = self.watcher_exclude
        new.host = self.host
        new.created = self.created
        new.pinned_az = self.pinned_az
        new.flavor_extra_specs = dict(self.flavor_extra_specs) if self.flavor_extra_specs else {}
        return new
