"""The storage data model: storage nodes -> pools -> volumes, in dicts with indexes.

Upstream keeps these in a networkx graph; here pools and volumes are dicts keyed by name and
uuid, with a node -> pools and a pool -> volumes index, so every lookup and every move a
strategy simulates is O(1). The volume types of the cloud (name -> extra specs) travel with
the model because the storage strategies match pools to types.
"""

from __future__ import annotations

from watcher.common import exception
from watcher.decision_engine.model import storage_element as element


class StorageModelRoot:
    """Storage nodes, pools and volumes with upstream's method names."""

    def __init__(self, stale: bool = False) -> None:
        self.stale = stale
        self._nodes: dict[str, element.StorageNode] = {}
        self._pools: dict[str, element.Pool] = {}
        self._volumes: dict[str, element.Volume] = {}
        # node host -> pool names; pool name -> volume uuids (dicts used as ordered sets)
        self._node_pools: dict[str, dict[str, None]] = {}
        self._pool_node: dict[str, str] = {}
        self._pool_volumes: dict[str, dict[str, None]] = {}
        self._volume_pool: dict[str, str] = {}
        # volume type name -> {"id": ..., "extra_specs": {...}}
        self.volume_types: dict[str, dict] = {}

    # -- nodes --------------------------------------------------------------------------

    def add_node(self, node: element.StorageNode) -> None:
        if not isinstance(node, element.StorageNode):
            raise exception.InvalidParameter(parameter="node", parameter_type="StorageNode")
        self._nodes[node.host] = node
        self._node_pools.setdefault(node.host, {})

    def remove_node(self, node: element.StorageNode | str) -> None:
        """Remove a node; its pools stay in the model, unmapped (as upstream)."""
        host = self._node_host(node)
        for pool_name in self._node_pools.pop(host):
            del self._pool_node[pool_name]
        del self._nodes[host]

    def _node_host(self, node: element.StorageNode | str) -> str:
        host = node if isinstance(node, str) else node.host
        host = host.split("#")[0]
        if host not in self._nodes:
            raise exception.StorageNodeNotFound(name=host)
        return host

    def has_node(self, host: str) -> bool:
        return host.split("#")[0] in self._nodes

    def get_all_storage_nodes(self) -> dict[str, element.StorageNode]:
        return dict(self._nodes)

    def get_node_by_name(self, name: str) -> element.StorageNode:
        """The node of ``host@backend`` (a pool name ``host@backend#pool`` works too)."""
        return self._nodes[self._node_host(name)]

    def get_node_pools(self, node: element.StorageNode | str) -> list[element.Pool]:
        return [self._pools[p] for p in self._node_pools[self._node_host(node)]]

    def get_node_by_pool_name(self, pool_name: str) -> element.StorageNode:
        self._pool_name(pool_name)
        host = self._pool_node.get(pool_name)
        if host is None:
            raise exception.StorageNodeNotFound(name=pool_name)
        return self._nodes[host]

    # -- pools --------------------------------------------------------------------------

    def add_pool(self, pool: element.Pool) -> None:
        """Add ``pool`` or replace the pool of that name (its mappings stay)."""
        if not isinstance(pool, element.Pool):
            raise exception.InvalidParameter(parameter="pool", parameter_type="Pool")
        self._pools[pool.name] = pool
        self._pool_volumes.setdefault(pool.name, {})

    def remove_pool(self, pool: element.Pool | str) -> None:
        """Remove a pool; its volumes stay in the model, unmapped."""
        name = self._pool_name(pool)
        for volume_uuid in self._pool_volumes.pop(name):
            del self._volume_pool[volume_uuid]
        host = self._pool_node.pop(name, None)
        if host is not None:
            del self._node_pools[host][name]
        del self._pools[name]

    def _pool_name(self, pool: element.Pool | str) -> str:
        name = pool if isinstance(pool, str) else pool.name
        if name not in self._pools:
            raise exception.PoolNotFound(name=name)
        return name

    def map_pool(self, pool: element.Pool | str, node: element.StorageNode | str) -> None:
        name = self._pool_name(pool)
        host = self._node_host(node)
        current = self._pool_node.get(name)
        if current is not None:
            del self._node_pools[current][name]
        self._node_pools[host][name] = None
        self._pool_node[name] = host

    def unmap_pool(self, pool: element.Pool | str, node: element.StorageNode | str) -> None:
        name = self._pool_name(pool)
        host = self._node_host(node)
        if self._pool_node.get(name) != host:
            raise exception.PoolNotFound(name=name)
        del self._node_pools[host][name]
        del self._pool_node[name]

    def get_all_pools(self) -> dict[str, element.Pool]:
        return dict(self._pools)

    def has_pool(self, name: str) -> bool:
        return name in self._pools

    def get_pool_by_pool_name(self, name: str) -> element.Pool:
        return self._pools[self._pool_name(name)]

    def get_pool_volumes(self, pool: element.Pool | str) -> list[element.Volume]:
        return [self._volumes[v] for v in self._pool_volumes[self._pool_name(pool)]]

    def get_pool_by_volume(self, volume: element.Volume | str) -> element.Pool:
        uuid = self._volume_uuid(volume)
        name = self._volume_pool.get(uuid)
        if name is None:
            raise exception.PoolNotFound(name=uuid)
        return self._pools[name]

    # -- volumes --------------------------------------------------------------------------

    def add_volume(self, volume: element.Volume) -> None:
        """Add ``volume`` or replace the volume of that uuid (its mapping stays)."""
        if not isinstance(volume, element.Volume):
            raise exception.InvalidParameter(parameter="volume", parameter_type="Volume")
        self._volumes[volume.uuid] = volume

    def remove_volume(self, volume: element.Volume | str) -> None:
        uuid = self._volume_uuid(volume)
        name = self._volume_pool.pop(uuid, None)
        if name is not None:
            del self._pool_volumes[name][uuid]
        del self._volumes[uuid]

    delete_volume = remove_volume

    def _volume_uuid(self, volume: element.Volume | str) -> str:
        uuid = volume if isinstance(volume, str) else volume.uuid
        if uuid not in self._volumes:
            raise exception.VolumeNotFound(name=uuid)
        return uuid

    def has_volume(self, uuid: str) -> bool:
        return uuid in self._volumes

    def get_all_volumes(self) -> dict[str, element.Volume]:
        return dict(self._volumes)

    def get_volume_by_uuid(self, uuid: str) -> element.Volume:
        return self._volumes[self._volume_uuid(uuid)]

    def map_volume(self, volume: element.Volume | str, pool: element.Pool | str) -> None:
        """Place a volume in a pool (moving it if it was mapped elsewhere)."""
        uuid = self._volume_uuid(volume)
        name = self._pool_name(pool)
        current = self._volume_pool.get(uuid)
        if current is not None:
            del self._pool_volumes[current][uuid]
        self._pool_volumes[name][uuid] = None
        self._volume_pool[uuid] = name

    def unmap_volume(self, volume: element.Volume | str, pool: element.Pool | str) -> None:
        uuid = self._volume_uuid(volume)
        name = self._pool_name(pool)
        if self._volume_pool.get(uuid) != name:
            raise exception.VolumeNotFound(name=uuid)
        del self._pool_volumes[name][uuid]
        del self._volume_pool[uuid]

    def migrate_volume(
        self,
        volume: element.Volume | str,
        source_pool: element.Pool | str,
        destination_pool: element.Pool | str,
    ) -> bool:
        """Move a volume and its size between the pools' figures; False when they are one."""
        source = self._pool_name(source_pool)
        destination = self._pool_name(destination_pool)
        if source == destination:
            return False
        self.unmap_volume(volume, source)
        self.map_volume(volume, destination)
        moved = self._volumes[self._volume_uuid(volume)]
        self.charge_pool(source, -(moved.size or 0), -1)
        self.charge_pool(destination, moved.size or 0, 1)
        moved.host = destination
        return True

    def charge_pool(self, pool: element.Pool | str, size_gb: float, count: int = 0) -> None:
        """Account ``size_gb`` more (or less) allocated in a pool, ``count`` more volumes.

        Free space follows thick provisioning (Cinder's next capacity report corrects it
        for thin pools); that is what the capacity strategies compare.
        """
        target = self._pools[self._pool_name(pool)]
        target.allocated_capacity_gb = (target.allocated_capacity_gb or 0) + size_gb
        target.provisioned_capacity_gb = (target.provisioned_capacity_gb or 0) + size_gb
        target.free_capacity_gb = (target.free_capacity_gb or 0) - size_gb
        target.total_volumes = (target.total_volumes or 0) + count

    # -- snapshots and views ------------------------------------------------------------

    def copy(self) -> StorageModelRoot:
        """An independent snapshot (elements cloned) for one audit."""
        new = StorageModelRoot(stale=self.stale)
        new._nodes = {h: n.clone() for h, n in self._nodes.items()}
        new._pools = {n: p.clone() for n, p in self._pools.items()}
        new._volumes = {u: v.clone() for u, v in self._volumes.items()}
        new._node_pools = {h: dict(s) for h, s in self._node_pools.items()}
        new._pool_node = dict(self._pool_node)
        new._pool_volumes = {n: dict(s) for n, s in self._pool_volumes.items()}
        new._volume_pool = dict(self._volume_pool)
        new.volume_types = {n: dict(t) for n, t in self.volume_types.items()}
        return new

    def to_list(self) -> list[dict]:
        """One row per (node, pool, volume), node/pool-only rows for empty ones."""
        rows = []
        for host in sorted(self._nodes):
            node_row = {f"node_{f}": v for f, v in self._nodes[host].as_dict().items()}
            pool_names = sorted(self._node_pools[host])
            if not pool_names:
                rows.append(node_row)
            for name in pool_names:
                pool_row = dict(node_row)
                pool_row.update({f"pool_{f}": v for f, v in self._pools[name].as_dict().items()})
                volume_uuids = sorted(self._pool_volumes[name])
                if not volume_uuids:
                    rows.append(pool_row)
                for uuid in volume_uuids:
                    row = dict(pool_row)
                    row.update(
                        {f"volume_{f}": v for f, v in self._volumes[uuid].as_dict().items()}
                    )
                    rows.append(row)
        return rows

    def __repr__(self) -> str:
        return (
            f"StorageModelRoot(nodes={len(self._nodes)}, pools={len(self._pools)}, "
            f"volumes={len(self._volumes)}, stale={self.stale})"
        )
