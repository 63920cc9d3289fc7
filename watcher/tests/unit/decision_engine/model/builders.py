"""Small hand-built compute models for the model tests."""

from watcher.decision_engine.model import element, model_root


def node(n: int, **fields) -> element.ComputeNode:
    values = {"uuid": f"node-{n}", "hostname": f"host-{n}", "vcpus": 16, "memory": 32768,
              "disk": 500}
    values.update(fields)
    return element.ComputeNode(**values)


def instance(n: int, **fields) -> element.Instance:
    values = {"uuid": f"vm-{n}", "name": f"vm{n}", "vcpus": 2, "memory": 4096, "disk": 40,
              "project_id": "p1"}
    values.update(fields)
    return element.Instance(**values)


def model(layout: dict[int, list[int]]) -> model_root.ModelRoot:
    """``{node number: [instance numbers]}`` -> a model with those nodes and mappings."""
    root = model_root.ModelRoot()
    for n, instances in layout.items():
        root.add_node(node(n))
        for i in instances:
            root.add_instance(instance(i))
            root.map_instance(f"vm-{i}", f"node-{n}")
    return root
