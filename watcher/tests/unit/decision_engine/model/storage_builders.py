"""Small hand-built storage models for the storage model, scope and strategy tests."""

from watcher.decision_engine.model import storage_element as element
from watcher.decision_engine.model import storage_model


def pool(name: str, total: float = 100, free: float = 100, **fields) -> element.Pool:
    values = {
        "name": name,
        "total_capacity_gb": total,
        "free_capacity_gb": free,
        "allocated_capacity_gb": total - free,
        "provisioned_capacity_gb": total - free,
        "volume_backend_name": name.split("@")[1].split("#")[0],
    }
    values.update(fields)
    return element.Pool(**values)


def volume(uuid: str, size: int = 10, **fields) -> element.Volume:
    values = {"uuid": uuid, "name": f"name-{uuid}", "size": size, "project_id": "p1"}
    values.update(fields)
    return element.Volume(**values)


def model(layout: dict, zones: dict | None = None, types: dict | None = None):
    """``{node host: {pool name: (total, free, [volumes])}}`` -> a storage model.

    ``zones``: node host -> zone ("nova" otherwise); ``types``: type name -> backend name
    (each node's ``volume_type`` lists the types of its backend).
    """
    root = storage_model.StorageModelRoot()
    types = types or {}
    root.volume_types = {
        name: {"id": f"type-{name}", "extra_specs": {"volume_backend_name": backend}}
        for name, backend in types.items()
    }
    for host, pools in layout.items():
        backend = host.split("@")[1]
        root.add_node(
            element.StorageNode(
                host=host,
                zone=(zones or {}).get(host, "nova"),
                volume_type=sorted(n for n, b in types.items() if b == backend),
            )
        )
        for name, (total, free, volumes) in pools.items():
            root.add_pool(pool(name, total, free))
            root.map_pool(name, host)
            for item in volumes:
                item.host = name
                root.add_volume(item)
                root.map_volume(item, name)
    return root
