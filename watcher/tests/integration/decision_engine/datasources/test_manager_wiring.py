"""DataSourceManager with watcher.conf pointing at the simulator: the chosen backends log in
through OpenStackClients' [watcher_clients_auth] session and read the scenario's metrics."""

import pytest
from keystoneauth1 import loading as ks_loading

from watcher.common import clients, exception
from watcher.decision_engine.datasources import aetos, gnocchi, manager
from watcher.simulator.runner import Simulator
from watcher.tests.integration.decision_engine.datasources.conftest import (
    GNOCCHI,
    KEYSTONE,
    PROMETHEUS,
    SCENARIO,
    nodes,
)

pytestmark = pytest.mark.integration


class StrategyOptions:
    """The ``datasources`` option of a strategy's own config group."""

    def __init__(self, datasources):
        self.datasources = datasources


@pytest.fixture
def sim():
    with Simulator.from_scenario(SCENARIO, apps=[KEYSTONE, PROMETHEUS, GNOCCHI],
                                 speed=1e-6) as running:
        running.clock.advance(7200 + 30)
        yield running


@pytest.fixture
def mgr(sim, conf, tmp_path):
    group = "watcher_clients_auth"
    conf.register_opts(ks_loading.get_auth_plugin_conf_options("password"), group=group)
    conf.config(group=group, auth_type="password", **sim.admin_credentials)
    metric_map = tmp_path / "metric_map.yaml"
    # Gnocchi's host power switched off: the manager must fall through for it.
    metric_map.write_text("gnocchi:\n  host_power: null\n")
    conf.config(metric_map_path=str(metric_map), group="watcher_decision_engine")
    return manager.DataSourceManager(config=StrategyOptions(["aetos", "gnocchi"]),
                                     osc=clients.OpenStackClients(), now=sim.clock.now)


def test_backends_chosen_in_order_read_the_cloud(sim, mgr):
    backend = mgr.get_backend(["host_cpu_usage", "instance_cpu_usage"])
    assert isinstance(backend, aetos.AetosHelper)
    model_nodes = nodes(sim)
    cpu = backend.host_metric_all(model_nodes, "host_cpu_usage")
    assert cpu[model_nodes[0].uuid] == pytest.approx(15.0)
    # Prometheus has no temperatures: Gnocchi serves them.
    temperature = mgr.get_backend(["host_outlet_temp"])
    assert isinstance(temperature, gnocchi.GnocchiHelper)
    at = sim.clock.start + 7200
    outlet = temperature.host_metric_all(model_nodes, "host_outlet_temp")
    for node in model_nodes:
        assert outlet[node.uuid] == pytest.approx(
            sim.state.metrics.host_value(node.hostname, "outlet_temp", at))
    # The same instances are handed out again, caches included.
    assert mgr.get_backend(["host_cpu_usage"]) is backend
    before = sim.requests["prometheus"]
    assert backend.get_host_cpu_usage(model_nodes[0]) == cpu[model_nodes[0].uuid]
    assert sim.requests["prometheus"] == before
    mgr.reset_caches()
    backend.get_host_cpu_usage(model_nodes[0])
    assert sim.requests["prometheus"] == before + 1


def test_metric_switched_off_by_the_map_is_not_offered(mgr):
    with pytest.raises(exception.MetricNotAvailable, match="host_power"):
        mgr.get_backend(["host_power"])
