"""saving_energy on models collected from the simulator, and through a whole audit."""

import types

import pytest

from watcher.cmd import demo, embedded
from watcher.common import clients
from watcher.conf import CONF
from watcher.decision_engine.model.collector import ironic, nova
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import saving_energy
from watcher.simulator.runner import Simulator
from watcher.tests.integration.applier.actions.conftest import configure, metal_node, scenario

pytestmark = pytest.mark.integration

AUDIT = types.SimpleNamespace(uuid="0b6f4f4e-1111-4222-8333-444455556666")


@pytest.fixture
def sim(conf):
    with Simulator.from_scenario(scenario()) as simulator:
        configure(conf, simulator)
        yield simulator


def _plan(**parameters):
    osc = clients.OpenStackClients()
    models = []
    for cls in (nova.NovaClusterDataModelCollector, ironic.BaremetalClusterDataModelCollector):
        collector = cls(osc=osc)
        collector.synchronize()
        assert collector.last_error is None
        models.append(collector.cluster_data_model)
    strategy = saving_energy.SavingEnergy()
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), parameters)
    )
    strategy.compute_model, strategy.baremetal_model = models
    return [
        (a["input_parameters"]["resource_id"], a["input_parameters"]["state"],
         a["input_parameters"]["resource_name"])
        for a in strategy.execute(AUDIT).actions
    ]


def test_ironic_hosts(sim):
    idle = metal_node(sim, "bm-idle").id
    # One busy host (cmp3), one empty one on (cmp2): exactly the one spare asked for.
    assert _plan() == []
    assert _plan(min_free_hosts_num=0) == [(idle, "off", "cmp2")]


def test_maas_hosts(sim, conf):
    config = sim.apps["maas"].client_config
    conf.config(group="maas_client", url=config["url"], api_key=config["api_key"])
    assert _plan() == []
    # maas-off carries cmp5, whose compute service is down while the machine is off.
    assert _plan(min_free_hosts_num=2) == [("maas02", "on", "cmp5")]


def test_audit_to_powered_off_host(sim, conf, tmp_path):
    # Upstream's default plugins (compute, storage): the bare-metal model is collected on
    # demand for the audit, as upstream does.
    assert CONF.collector.collector_plugins == ["compute", "storage"]
    conf.config(host="saving-energy-test")
    cloud = embedded.Embedded(db_path=str(tmp_path / "db.sqlite")).start()
    try:
        client = demo.Client(cloud.api_url)
        audit = client.request("POST", "/v1/audits", {
            "audit_type": "ONESHOT", "goal": "saving_energy", "strategy": "saving_energy",
            "parameters": {"min_free_hosts_num": 0},
        })
        ended = client.wait(f"/v1/audits/{audit['uuid']}", "state",
                            {"SUCCEEDED", "FAILED", "CANCELLED"}, 60)
        assert ended["state"] == "SUCCEEDED", ended
        plan = client.request("GET", f"/v1/action_plans?audit_uuid={audit['uuid']}")
        plan_uuid = plan["action_plans"][0]["uuid"]
        path = f"/v1/actions/detail?action_plan_uuid={plan_uuid}"
        actions = client.request("GET", path)["actions"]
        idle = metal_node(sim, "bm-idle")
        assert [(a["action_type"], a["input_parameters"]) for a in actions] == [
            ("change_node_power_state",
             {"state": "off", "resource_name": "cmp2", "resource_id": idle.id}),
        ]
        client.request("POST", f"/v1/action_plans/{plan_uuid}/start")
        done = client.wait(f"/v1/action_plans/{plan_uuid}", "state",
                           {"SUCCEEDED", "FAILED", "CANCELLED"}, 60)
        assert done["state"] == "SUCCEEDED", done
        assert idle.power_state == "power off"
    finally:
        cloud.stop()
