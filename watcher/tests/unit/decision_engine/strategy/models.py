"""Hand-built compute models for strategy tests: nodes and instances named for readability."""

from __future__ import annotations

from watcher.decision_engine.model import element, model_root


def node(hostname: str, vcpus: int = 16, memory: int = 32768, disk: int = 500, **fields):
    return element.ComputeNode(
        uuid=f"uuid-{hostname}",
        hostname=hostname,
        vcpus=vcpus,
        memory=memory,
        disk=disk,
        **fields,
    )


def instance(name: str, vcpus: int = 1, memory: int = 2048, disk: int = 20, **fields):
    return element.Instance(
        uuid=f"uuid-{name}", name=name, vcpus=vcpus, memory=memory, disk=disk, **fields
    )


def build(nodes: list, placements: dict) -> model_root.ModelRoot:
    """``placements`` maps a hostname to the instances it runs, in mapping order."""
    model = model_root.ModelRoot()
    for compute_node in nodes:
        model.add_node(compute_node)
    for hostname, instances in placements.items():
        for server in instances:
            model.add_instance(server)
            model.map_instance(server, model.get_node_by_name(hostname))
    return model
