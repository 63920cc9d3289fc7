"""storage_capacity_balance on a storage model collected from the simulated Cinder; its plan
applied with the volume_migrate action."""

import pytest

from watcher.applier.actions import volume_migration
from watcher.common import clients
from watcher.conf import CONF
from watcher.decision_engine.model.collector import cinder
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import storage_capacity_balance as scb
from watcher.simulator.runner import Simulator
from watcher.tests.integration.applier.actions.conftest import configure, scenario, volume

pytestmark = pytest.mark.integration

POOL1, POOL2 = "stor1@lvm#pool1", "stor2@ceph#pool2"


@pytest.fixture
def sim(conf):
    doc = scenario()
    doc["storage"]["backends"][0]["pools"][0]["total_capacity_gb"] = 100
    doc["storage"]["volume_types"] = [
        {"name": "lvm", "backend": "lvm", "extra_specs": {"tier": "gold"}},
        {"name": "ceph", "backend": "ceph", "extra_specs": {"tier": "gold"}},
        {"name": "a-silver", "backend": "ceph", "extra_specs": {"tier": "silver"}},
    ]
    doc["storage"]["volumes"] = [
        {"name": "big", "size": 45, "pool": POOL1},
        {"name": "small", "size": 40, "pool": POOL1},
        {"name": "typed", "size": 5, "pool": POOL1, "type": "lvm"},
    ]
    with Simulator.from_scenario(doc) as simulator:
        configure(conf, simulator)
        yield simulator


def _collect():
    collector = cinder.CinderClusterDataModelCollector(osc=clients.OpenStackClients())
    collector.synchronize()
    assert collector.last_error is None
    return collector.cluster_data_model


def test_plan_retypes_the_smallest_volumes_and_applies(sim):
    config = CONF["watcher_strategies.storage_capacity_balance"]
    strategy = scb.StorageCapacityBalance(config=config)
    strategy.input_parameters.update(strategy_context.fill_defaults(strategy.get_schema(), {}))
    strategy.storage_model = _collect()
    actions = [a["input_parameters"] for a in strategy.execute().actions]
    typed, small = volume(sim, "typed"), volume(sim, "small")
    # 90 GB used of 100. Every volume has a type (Cinder gives one by default), so they are
    # retyped to the ceph type of the same tier, smallest first, until pool1 is at 45%.
    assert actions == [
        {"migration_type": "retype", "destination_type": "ceph", "resource_name": "typed",
         "resource_id": typed.id},
        {"migration_type": "retype", "destination_type": "ceph", "resource_name": "small",
         "resource_id": small.id},
    ]

    for parameters in actions:
        action = volume_migration.VolumeMigrate(osc=clients.OpenStackClients())
        action.input_parameters = parameters
        action.validate_parameters()
        action.pre_condition()
        assert action.execute() is True
    assert (small.pool, small.volume_type) == (POOL2, "ceph")
    pool = _collect().get_pool_by_pool_name(POOL1)
    assert (pool.free_capacity_gb, pool.total_volumes) == (55, 1)
