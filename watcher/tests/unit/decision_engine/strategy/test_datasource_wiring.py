"""The strategy context hands each audit's strategy a metrics reader built lazily from the
strategy group's ``datasources`` option (or the global one) and the metrics it declares."""

import pytest
from oslo_config import fixture as cfg_fixture

from watcher import objects
from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import workload_balance
from watcher.tests.unit.decision_engine.strategy import test_workload_balance
from watcher.tests.unit.decision_engine.strategy.harness import migrate


class RecordingManager:
    built: list = []

    def __init__(self, config=None, osc=None, now=None, session=None):
        self.datasources = list(getattr(config, "datasources", None)
                                or CONF.watcher_datasources.datasources)
        RecordingManager.built.append(self)

    def get_backend(self, metrics):
        self.metrics = list(metrics)
        return ("backend", tuple(self.datasources))


@pytest.fixture
def conf(monkeypatch):
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    RecordingManager.built = []
    monkeypatch.setattr(strategy_context.datasource_manager, "DataSourceManager",
                        RecordingManager)
    yield fixture
    fixture.cleanUp()


def _strategy():
    cls = workload_balance.WorkloadBalance
    strategy = cls(config=strategy_context.strategy_config(cls))
    strategy.datasource_loader = strategy_context.datasource_loader(strategy)
    return strategy


def test_strategy_group_datasources_win(conf):
    conf.config(datasources=["prometheus"], group="watcher_strategies.workload_balance")
    strategy = _strategy()
    assert RecordingManager.built == []  # nothing is built before the strategy reads
    assert strategy.datasource_backend == ("backend", ("prometheus",))
    assert strategy.datasource_backend == ("backend", ("prometheus",))
    assert len(RecordingManager.built) == 1
    assert RecordingManager.built[0].metrics == ["instance_cpu_usage", "instance_ram_usage"]


def test_global_datasources_when_the_group_leaves_it_unset(conf):
    conf.config(datasources=["gnocchi"], group="watcher_datasources")
    assert _strategy().datasource_backend == ("backend", ("gnocchi",))


def test_each_audit_gets_its_own_reader(conf):
    first, second = _strategy(), _strategy()
    first.datasource_backend, second.datasource_backend  # noqa: B018
    assert len(RecordingManager.built) == 2


def test_without_a_loader_there_is_no_datasource():
    strategy = workload_balance.WorkloadBalance()
    with pytest.raises(exception.NoDatasourceAvailable):
        strategy.datasource_backend  # noqa: B018


def test_audit_run_reads_through_the_manager_the_context_builds(env, monkeypatch):
    metrics = test_workload_balance.cpu_usage()
    built = []

    class Manager:
        def __init__(self, config=None, osc=None, now=None, session=None):
            built.append(config)

        def get_backend(self, wanted):
            assert list(wanted) == ["instance_cpu_usage", "instance_ram_usage"]
            return metrics

    monkeypatch.setattr(strategy_context.datasource_manager, "DataSourceManager", Manager)
    audit = env.audit(
        goal_id=objects.Goal.get_by_name(env.context, "workload_balancing").id,
        strategy_id=objects.Strategy.get_by_name(env.context, "workload_balance").id,
        parameters={},
    )
    solution = strategy_context.execute_strategy(env.context, audit,
                                                 test_workload_balance.cluster())
    assert solution.actions == [migrate("b", "n1", "n3")]
    assert built == [CONF["watcher_strategies.workload_balance"]]
    assert metrics.calls == [("instance", "instance_cpu_usage", 300, "mean", 300)]
