"""Models of collectors left out of [collector] collector_plugins are collected on demand."""

import pytest

from watcher.decision_engine.model import baremetal_model
from watcher.decision_engine.model.collector import base, manager
from watcher.decision_engine.model.collector import ironic as ironic_collector


class CountingCollector(ironic_collector.BaremetalClusterDataModelCollector):
    runs = 0

    def execute(self):
        type(self).runs += 1
        model = baremetal_model.BaremetalModelRoot()
        model.add_node(baremetal_model.IronicNode(uuid=f"n{self.runs}", hypervisor_id="h1"))
        return model


@pytest.fixture
def compute_only(monkeypatch):
    real = manager.loader.load_class

    def load_class(namespace, name):
        if (namespace, name) == (base.COLLECTORS_NAMESPACE, "baremetal"):
            return CountingCollector
        return real(namespace, name)

    monkeypatch.setattr(manager.loader, "load_class", load_class)
    CountingCollector.runs = 0
    manager.set_collector_manager(manager.CollectorManager(names=[], osc=object()))
    yield
    manager.set_collector_manager(None)


def test_each_audit_collects_a_fresh_model(compute_only):
    first = manager.model_for("baremetal", [])
    second = manager.model_for("baremetal", [])
    assert [list(m.get_all_ironic_nodes()) for m in (first, second)] == [["n1"], ["n2"]]


def test_unknown_collector_gives_no_model(compute_only):
    assert manager.model_for("no-such-collector", []) is None
