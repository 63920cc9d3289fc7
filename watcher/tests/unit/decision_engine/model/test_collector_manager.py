import pytest

from watcher.common import exception
from watcher.decision_engine.model.collector import manager as collector_manager
from watcher.decision_engine.model.collector import nova
from watcher.decision_engine.model.scope import compute as compute_scope
from watcher.decision_engine.strategy.strategies import dummy_strategy
from watcher.tests.unit.decision_engine.model import builders


@pytest.fixture
def compute_collector():
    manager = collector_manager.CollectorManager(names=["compute", "not-installed"])
    collector_manager.set_collector_manager(manager)
    yield manager.get_cluster_model_collector("compute")
    collector_manager.set_collector_manager(None)


def test_manager_loads_installed_collectors_and_their_endpoints(compute_collector):
    manager = collector_manager.get_collector_manager()
    assert isinstance(compute_collector, nova.NovaClusterDataModelCollector)
    assert list(manager.get_collectors()) == ["compute"]
    with pytest.raises(exception.DataModelTypeNotFound):
        manager.get_cluster_model_collector("storage-that-is-not-there")
    assert [type(e).__name__ for e in manager.notification_endpoints()] == [
        "VersionedNotificationEndpoint"
    ]
    jobs = manager.periodic_jobs()
    assert [j.name for j in jobs] == ["collector-compute"]


def test_strategies_get_the_scoped_snapshot(compute_collector):
    assert collector_manager.compute_model_for([]) is None
    live = builders.model({1: [1], 2: [2]})
    compute_collector.set_cluster_data_model(live)
    compute_collector.topology = compute_scope.Topology(
        host_zones={"host-1": "az1", "host-2": "az2"}
    )
    model = collector_manager.compute_model_for(
        [{"compute": [{"availability_zones": [{"name": "az2"}]}]}]
    )
    assert list(model.get_all_compute_nodes()) == ["node-2"]
    model.remove_instance("vm-2")
    assert "vm-2" in live.get_all_instances()


def test_a_stale_model_is_refused_when_the_strategy_reads_it(compute_collector):
    strategy = dummy_strategy.DummyStrategy()
    with pytest.raises(exception.ClusterStateNotDefined):
        strategy.compute_model  # noqa: B018
    model = builders.model({1: []})
    model.stale = True
    strategy.compute_model = model
    with pytest.raises(exception.ClusterStateStale):
        strategy.compute_model  # noqa: B018
