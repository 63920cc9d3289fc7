"""The compute data model: nodes and instances in dicts, with indexes and cached usage.

Upstream keeps this in a networkx graph and recomputes per-node usage by walking edges; at
thousands of hosts that dominates audit time. Here every lookup is a dict access, the
host -> instances index is kept up to date on each map/unmap, and per-node usage is adjusted
incrementally, so strategies can ask for free resources in O(1).

Usage is recorded from an instance's vcpus/memory/disk at the moment it is mapped. Code that
changes those fields on a mapped instance must call :meth:`ModelRoot.update_instance` (or
re-add it) so the cached usage follows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import numpy as np

from watcher.common import cyclic_gc, exception
from watcher.decision_engine.model import element

# Keys of GET /v1/data_model rows (upstream's whitelist in its data_model controller).
NODE_ROW_FIELDS = element.ComputeNode.fields
SERVER_ROW_FIELDS = (
    "uuid",
    "watcher_exclude",
    "name",
    "state",
    "memory",
    "disk",
    "vcpus",
    "metadata",
    "project_id",
    "locked",
    "pinned_az",
    "flavor_extra_specs",
)

_ZERO = (0, 0, 0)


def _demand(instance: element.Instance) -> tuple[float, float, float]:
    return (instance.vcpus or 0, instance.memory or 0, instance.disk or 0)


@dataclasses.dataclass
class ModelArrays:
    """NumPy view of a model for vectorised strategies (columns: vcpu, memory, disk).

    ``placement[i]`` is the row in ``capacity`` of the node hosting instance ``i`` (-1 when
    the instance is not mapped). The arrays are a copy: moving instances here does not
    touch the model.
    """

    node_uuids: list[str]
    instance_uuids: list[str]
    capacity: np.ndarray
    demand: np.ndarray
    placement: np.ndarray
    node_index: dict[str, int]
    instance_index: dict[str, int]

    def usage(self) -> np.ndarray:
        """Per-node used resources (n_nodes x 3) in one reduction."""
        used = np.zeros_like(self.capacity)
        mapped = self.placement >= 0
        np.add.at(used, self.placement[mapped], self.demand[mapped])
        return used

    def free(self) -> np.ndarray:
        return self.capacity - self.usage()


class ModelRoot:
    """Compute nodes and instances with upstream's method names."""

    def __init__(self, stale: bool = False) -> None:
        self.stale = stale
        self._nodes: dict[str, element.ComputeNode] = {}
        self._node_by_name: dict[str, str] = {}
        self._instances: dict[str, element.Instance] = {}
        self._instance_node: dict[str, str] = {}
        # node uuid -> instance uuids (a dict used as an ordered set)
        self._node_instances: dict[str, dict[str, None]] = {}
        # node uuid -> [vcpu, memory, disk] used; instance uuid -> what it added there
        self._used: dict[str, list[float]] = {}
        self._charged: dict[str, tuple[float, float, float]] = {}

    # -- lookups helpers --------------------------------------------------------------

    def _node_uuid(self, node: element.ComputeNode | str) -> str:
        uuid = node if isinstance(node, str) else node.uuid
        if uuid not in self._nodes:
            raise exception.ComputeNodeNotFound(name=uuid)
        return uuid

    def _instance_uuid(self, instance: element.Instance | str) -> str:
        uuid = instance if isinstance(instance, str) else instance.uuid
        if uuid not in self._instances:
            raise exception.InstanceNotFound(name=uuid)
        return uuid

    # -- nodes --------------------------------------------------------------------------

    def add_node(self, node: element.ComputeNode) -> None:
        """Add ``node``, or replace the node with its uuid (its instances stay mapped)."""
        if not isinstance(node, element.ComputeNode):
            raise exception.InvalidParameter(parameter="node", parameter_type="ComputeNode")
        old = self._nodes.get(node.uuid)
        if old is not None and self._node_by_name.get(old.hostname) == node.uuid:
            del self._node_by_name[old.hostname]
        self._nodes[node.uuid] = node
        self._node_by_name[node.hostname] = node.uuid
        self._node_instances.setdefault(node.uuid, {})
        self._used.setdefault(node.uuid, [0, 0, 0])

    def remove_node(self, node: element.ComputeNode | str) -> None:
        """Remove a node; its instances stay in the model, unmapped (as upstream)."""
        uuid = self._node_uuid(node)
        for instance_uuid in self._node_instances.pop(uuid):
            del self._instance_node[instance_uuid]
            self._charged.pop(instance_uuid, None)
        del self._used[uuid]
        hostname = self._nodes.pop(uuid).hostname
        if self._node_by_name.get(hostname) == uuid:
            del self._node_by_name[hostname]

    def get_all_compute_nodes(self) -> dict[str, element.ComputeNode]:
        return dict(self._nodes)

    def get_node_by_uuid(self, uuid: str) -> element.ComputeNode:
        try:
            return self._nodes[uuid]
        except KeyError:
            raise exception.ComputeNodeNotFound(name=uuid) from None

    def get_node_by_name(self, name: str) -> element.ComputeNode:
        uuid = self._node_by_name.get(name)
        node = self._nodes.get(uuid) if uuid else None
        if node is not None and node.hostname == name:
            return node
        # A hostname edited in place leaves the index behind: fall back to a scan.
        for node in self._nodes.values():
            if node.hostname == name:
                self._node_by_name[name] = node.uuid
                return node
        raise exception.ComputeNodeNotFound(name=name)

    # -- instances ----------------------------------------------------------------------

    def add_instance(self, instance: element.Instance) -> None:
        """Add ``instance``, or replace the one with its uuid (keeping its mapping)."""
        if not isinstance(instance, element.Instance):
            raise exception.InvalidParameter(parameter="instance", parameter_type="Instance")
        self._instances[instance.uuid] = instance
        node_uuid = self._instance_node.get(instance.uuid)
        if node_uuid is not None:
            self._recharge(instance, node_uuid)

    def update_instance(self, instance: element.Instance) -> None:
        """Record changed vcpus/memory/disk of an instance already in the model."""
        self._instance_uuid(instance)
        self.add_instance(instance)

    def remove_instance(self, instance: element.Instance | str) -> None:
        uuid = self._instance_uuid(instance)
        node_uuid = self._instance_node.get(uuid)
        if node_uuid is not None:
            self._unmap(uuid, node_uuid)
        del self._instances[uuid]

    def get_all_instances(self) -> dict[str, element.Instance]:
        return dict(self._instances)

    def get_instance_by_uuid(self, uuid: str) -> element.Instance:
        try:
            return self._instances[uuid]
        except KeyError:
            raise exception.InstanceNotFound(name=uuid) from None

    # -- mapping --------------------------------------------------------------------------

    def _recharge(self, instance: element.Instance, node_uuid: str) -> None:
        used = self._used[node_uuid]
        old = self._charged.get(instance.uuid, _ZERO)
        new = _demand(instance)
        for i in range(3):
            used[i] += new[i] - old[i]
        self._charged[instance.uuid] = new

    def _unmap(self, instance_uuid: str, node_uuid: str) -> None:
        del self._node_instances[node_uuid][instance_uuid]
        del self._instance_node[instance_uuid]
        used = self._used[node_uuid]
        charged = self._charged.pop(instance_uuid, _ZERO)
        for i in range(3):
            used[i] -= charged[i]

    def _map(self, instance: element.Instance, node_uuid: str) -> None:
        self._node_instances[node_uuid][instance.uuid] = None
        self._instance_node[instance.uuid] = node_uuid
        self._charged.pop(instance.uuid, None)
        self._recharge(instance, node_uuid)

    def map_instance(
        self, instance: element.Instance | str, node: element.ComputeNode | str
    ) -> None:
        """Place an instance on a node (moving it if it was mapped elsewhere)."""
        instance_uuid = self._instance_uuid(instance)
        node_uuid = self._node_uuid(node)
        current = self._instance_node.get(instance_uuid)
        if current == node_uuid:
            return
        if current is not None:
            self._unmap(instance_uuid, current)
        self._map(self._instances[instance_uuid], node_uuid)

    def unmap_instance(
        self, instance: element.Instance | str, node: element.ComputeNode | str
    ) -> None:
        instance_uuid = self._instance_uuid(instance)
        node_uuid = self._node_uuid(node)
        if self._instance_node.get(instance_uuid) != node_uuid:
            raise exception.InstanceNotMapped(uuid=instance_uuid)
        self._unmap(instance_uuid, node_uuid)

    def migrate_instance(
        self,
        instance: element.Instance | str,
        source_node: element.ComputeNode | str,
        destination_node: element.ComputeNode | str,
    ) -> bool:
        """Move an instance; False (and no change) when source and destination are one node."""
        source = self._node_uuid(source_node)
        destination = self._node_uuid(destination_node)
        if source == destination:
            return False
        self.unmap_instance(instance, source)
        self._map(self._instances[self._instance_uuid(instance)], destination)
        return True

    def get_node_by_instance_uuid(self, instance_uuid: str) -> element.ComputeNode:
        self._instance_uuid(instance_uuid)
        node_uuid = self._instance_node.get(instance_uuid)
        if node_uuid is None:
            raise exception.ComputeNodeNotFound(name=instance_uuid)
        return self._nodes[node_uuid]

    def get_node_instances(self, node: element.ComputeNode | str) -> list[element.Instance]:
        instances = self._instances
        return [instances[u] for u in self._node_instances[self._node_uuid(node)]]

    def get_mapping(self) -> dict[str, str]:
        """instance uuid -> node uuid for every mapped instance (a copy)."""
        return dict(self._instance_node)

    # -- resources ------------------------------------------------------------------------

    def get_node_used_resources(self, node: element.ComputeNode | str) -> dict[str, float]:
        vcpu, memory, disk = self._used[self._node_uuid(node)]
        return {"vcpu": vcpu, "memory": memory, "disk": disk}

    def get_node_free_resources(self, node: element.ComputeNode | str) -> dict[str, float]:
        uuid = self._node_uuid(node)
        node = self._nodes[uuid]
        vcpu, memory, disk = self._used[uuid]
        return {
            "vcpu": node.vcpu_capacity - vcpu,
            "memory": node.memory_mb_capacity - memory,
            "disk": node.disk_gb_capacity - disk,
        }

    def invalidate_resource_cache(self) -> None:
        """Recompute every node's usage from its instances (after in-place edits)."""
        self._charged.clear()
        for node_uuid, instance_uuids in self._node_instances.items():
            self._used[node_uuid] = [0, 0, 0]
            for instance_uuid in instance_uuids:
                self._recharge(self._instances[instance_uuid], node_uuid)

    # -- snapshots and views ------------------------------------------------------------

    def copy(self) -> ModelRoot:
        """An independent snapshot (elements cloned) for one audit."""
        with cyclic_gc.paused():
            return self._copy()

    def _copy(self) -> ModelRoot:
        new = ModelRoot(stale=self.stale)
        new._nodes = {u: n.clone() for u, n in self._nodes.items()}
        new._node_by_name = dict(self._node_by_name)
        new._instances = {u: i.clone() for u, i in self._instances.items()}
        new._instance_node = dict(self._instance_node)
        new._node_instances = {u: dict(s) for u, s in self._node_instances.items()}
        new._used = {u: list(v) for u, v in self._used.items()}
        new._charged = dict(self._charged)
        return new

    def filtered(
        self, node_uuids: Iterable[str], excluded_instances: Iterable[str] = ()
    ) -> ModelRoot:
        """A snapshot holding only ``node_uuids`` and their instances.

        Instances in ``excluded_instances`` are kept and flagged ``watcher_exclude``.
        Instances of other nodes and unmapped instances are dropped.
        """
        with cyclic_gc.paused():
            return self._filtered(node_uuids, set(excluded_instances))

    def _filtered(self, node_uuids: Iterable[str], excluded: set[str]) -> ModelRoot:
        new = ModelRoot(stale=self.stale)
        for uuid in node_uuids:
            if uuid not in self._nodes:
                continue
            new.add_node(self._nodes[uuid].clone())
            for instance_uuid in self._node_instances[uuid]:
                instance = self._instances[instance_uuid].clone()
                if instance_uuid in excluded:
                    instance.watcher_exclude = True
                new.add_instance(instance)
                new._map(instance, uuid)
        return new

    def arrays(self) -> ModelArrays:
        with cyclic_gc.paused():
            return self._arrays()

    def _arrays(self) -> ModelArrays:
        nodes = list(self._nodes.values())
        node_uuids = [n.uuid for n in nodes]
        node_index = {u: i for i, u in enumerate(node_uuids)}
        instances = list(self._instances.values())
        instance_uuids = [i.uuid for i in instances]
        capacity = np.array(
            [(n.vcpu_capacity, n.memory_mb_capacity, n.disk_gb_capacity) for n in nodes],
            dtype=float,
        ).reshape(len(nodes), 3)
        demand = np.array([_demand(i) for i in instances], dtype=float).reshape(len(instances), 3)
        where = self._instance_node
        placement = np.fromiter(
            (node_index.get(where.get(u), -1) for u in instance_uuids),
            dtype=np.int64,
            count=len(instance_uuids),
        )
        return ModelArrays(
            node_uuids=node_uuids,
            instance_uuids=instance_uuids,
            capacity=capacity,
            demand=demand,
            placement=placement,
            node_index=node_index,
            instance_index={u: i for i, u in enumerate(instance_uuids)},
        )

    def to_list(self) -> list[dict]:
        """Rows of GET /v1/data_model: one per (node, instance), node-only for empty nodes."""
        rows = []
        for uuid in sorted(self._nodes):
            node = self._nodes[uuid]
            node_row = {f"node_{f}": getattr(node, f) for f in NODE_ROW_FIELDS}
            instance_uuids = sorted(self._node_instances[uuid])
            if not instance_uuids:
                rows.append(node_row)
                continue
            for instance_uuid in instance_uuids:
                instance = self._instances[instance_uuid]
                row = dict(node_row)
                row.update({f"server_{f}": getattr(instance, f) for f in SERVER_ROW_FIELDS})
                rows.append(row)
        return rows

    def __repr__(self) -> str:
        return (
            f"ModelRoot(nodes={len(self._nodes)}, instances={len(self._instances)}, "
            f"stale={self.stale})"
        )
