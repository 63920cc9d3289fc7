"""zone_migration on compute and storage models collected from the simulator, with the plan's
actions run against it."""

import pytest

from watcher.applier.actions import migration, volume_migration
from watcher.common import clients
from watcher.decision_engine.model.collector import cinder, nova
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import zone_migration
from watcher.simulator.runner import Simulator
from watcher.tests.integration.applier.actions.conftest import (
    configure,
    scenario,
    server,
    volume,
)

pytestmark = pytest.mark.integration

POOL1, POOL2 = "stor1@lvm#pool1", "stor2@ceph#pool2"
ACTIONS = {"migrate": migration.Migrate, "volume_migrate": volume_migration.VolumeMigrate}


@pytest.fixture
def sim(conf):
    doc = scenario()
    sizes = {"data1": 30, "data2": 20, "attached": 10}
    for item in doc["storage"]["volumes"]:
        item["size"] = sizes[item["name"]]
    with Simulator.from_scenario(doc) as simulator:
        configure(conf, simulator)
        yield simulator


def test_plan_empties_the_node_and_the_pool(sim):
    osc = clients.OpenStackClients()
    strategy = zone_migration.ZoneMigration()
    strategy.input_parameters.update(strategy_context.fill_defaults(strategy.get_schema(), {
        "compute_nodes": [{"src_node": "cmp1", "dst_node": "cmp2"}],
        "storage_pools": [{"src_pool": POOL1, "dst_pool": POOL2}],
        "parallel_per_node": 3, "parallel_per_pool": 3, "with_attached_volume": True,
        "priority": {"storage": "size"},
    }))
    for name, cls in (("compute", nova.NovaClusterDataModelCollector),
                      ("storage", cinder.CinderClusterDataModelCollector)):
        collector = cls(osc=osc)
        collector.synchronize()
        setattr(strategy, f"{name}_model", collector.cluster_data_model)
    solution = strategy.execute()

    vm1, vm2, vm3 = (server(sim, n) for n in ("vm1", "vm2", "vm3"))
    data1, data2, attached = (volume(sim, n) for n in ("data1", "data2", "attached"))
    planned = [(a["action_type"], a["input_parameters"]["resource_id"])
               for a in solution.actions]
    # Volumes largest first; vm2 right after its volume; then the other instances (six in
    # all, the default total).
    assert planned[:4] == [
        ("volume_migrate", data1.id), ("volume_migrate", data2.id),
        ("volume_migrate", attached.id), ("migrate", vm2.id),
    ]
    assert sorted(planned[4:]) == sorted([("migrate", vm1.id), ("migrate", vm3.id)])
    by_resource = {a["input_parameters"]["resource_id"]: a for a in solution.actions}
    assert by_resource[vm3.id]["input_parameters"]["migration_type"] == "cold"

    for action in solution.actions:
        runner = ACTIONS[action["action_type"]](osc=osc)
        runner.input_parameters = dict(action["input_parameters"])
        runner.validate_parameters()
        runner.pre_condition()
        assert runner.execute() is True, action
    assert {vm.host for vm in (vm1, vm2, vm3)} == {"cmp2"}
    assert {v.pool for v in (data1, data2, attached)} == {POOL2}
