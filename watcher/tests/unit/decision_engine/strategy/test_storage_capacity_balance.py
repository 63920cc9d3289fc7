"""storage_capacity_balance on hand-built storage models: exact plans."""

import types

import pytest

from watcher.common import exception
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import storage_capacity_balance as scb
from watcher.tests.unit.decision_engine.model import storage_builders as b

A, B, C = "s1@lvm#a", "s2@lvm2#b", "s3@lvm3#c"


def _model(volumes_a, free_b=80, free_c=100):
    model = b.model(
        {
            "s1@lvm": {A: (100, 10, volumes_a)},
            "s2@lvm2": {B: (100, free_b, [])},
            "s3@lvm3": {C: (200, free_c, [])},
        }
    )
    model.volume_types = {
        "gold": {"id": "t1", "extra_specs": {"volume_backend_name": "lvm", "tier": "gold"}},
        "gold2": {"id": "t2", "extra_specs": {"volume_backend_name": "lvm2", "tier": "gold"}},
        "silver3": {"id": "t3",
                    "extra_specs": {"volume_backend_name": "lvm3", "tier": "silver"}},
    }
    return model


def _run(model, config=None, **parameters):
    strategy = scb.StorageCapacityBalance(config=config)
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), parameters)
    )
    strategy.storage_model = model
    return strategy, strategy.execute()


def _migrate(uuid, pool):
    return {"action_type": "volume_migrate", "input_parameters": {
        "migration_type": "migrate", "destination_node": pool, "resource_name": f"name-{uuid}",
        "resource_id": uuid}}


def _retype(uuid, new_type):
    return {"action_type": "volume_migrate", "input_parameters": {
        "migration_type": "retype", "destination_type": new_type,
        "resource_name": f"name-{uuid}", "resource_id": uuid}}


def test_smallest_available_volumes_move_to_the_emptiest_pool_until_under_threshold():
    model = _model([
        b.volume("v1", 5), b.volume("v2", 10), b.volume("v3", 30, status="in-use"),
        b.volume("v4", 20, status="in-use", bootable=True),
    ])
    strategy, solution = _run(model)
    assert [p.name for p in strategy.source_pools] == [A]
    # 90% used: 5 GB then 10 GB leave for pool b (80% free, then 75%): 75% used < 80%.
    assert solution.actions == [_migrate("v1", B), _migrate("v2", B)]


def test_in_use_volumes_follow_available_ones_bootable_last():
    model = _model([
        b.volume("v4", 5, status="in-use", bootable=True), b.volume("v3", 10, status="in-use"),
        b.volume("v1", 30),
    ])
    _, solution = _run(model, volume_threshold=60.0)
    # The available v1 goes first although largest (pool b: 80 -> 50 GB free); v3 then fits
    # only pool c (b would fall to 40 GB, not above 40%); 50 GB used < 60%: v4 stays.
    assert solution.actions == [_migrate("v1", B), _migrate("v3", C)]


def test_pools_above_the_threshold_are_not_destinations():
    model = _model([b.volume("v3", 30, status="in-use"), b.volume("v1", 4)])
    strategy, solution = _run(model, volume_threshold=45.0)
    # Pool c is 50% used: a source too, so only pool b takes volumes.
    assert [p.name for p in strategy.source_pools] == [A, C]
    assert solution.actions == [_migrate("v1", B)]


def test_typed_volumes_are_retyped_to_a_matching_type_of_the_destination_backend():
    model = _model([b.volume("v5", 15, volume_type="gold"), b.volume("v6", 5)])
    _, solution = _run(model)
    # Retypes are listed before migrations, as upstream.
    assert solution.actions == [_retype("v5", "gold2"), _migrate("v6", B)]


def test_no_matching_type_means_no_move():
    model = _model([b.volume("v5", 15, volume_type="gold")], free_b=15)
    _, solution = _run(model)
    # Pool b has no room left; pool c's backend only has a type of another tier.
    assert solution.actions == []


def test_excluded_pools_snapshots_and_migrating_volumes_stay():
    model = _model([
        b.volume("v1", 5, has_snapshots=True), b.volume("v2", 10, migration_status="migrating"),
        b.volume("v3", 10, status="error"), b.volume("v4", 10),
    ])
    config = types.SimpleNamespace(ex_pools=["b"])
    _, solution = _run(model, config=config)
    assert solution.actions == [_migrate("v4", C)]
    config = types.SimpleNamespace(ex_pools=["a"])
    strategy, solution = _run(_model([b.volume("v4", 10)]), config=config)
    assert (strategy.source_pools, solution.actions) == ([], [])


def test_over_subscribed_destinations_are_skipped():
    model = _model([b.volume("v1", 30)])
    model.get_pool_by_pool_name(B).allocated_capacity_gb = 90
    model.get_pool_by_pool_name(C).max_over_subscription_ratio = 2.0
    _, solution = _run(model)
    assert solution.actions == [_migrate("v1", C)]


def test_nothing_to_do_without_sources_or_destinations():
    _, solution = _run(_model([b.volume("v1", 5)]), volume_threshold=95.0)
    assert solution.actions == []
    _, solution = _run(_model([b.volume("v1", 5)], free_b=10, free_c=20))
    assert solution.actions == []


def test_the_storage_model_is_required():
    strategy = scb.StorageCapacityBalance()
    with pytest.raises(exception.ClusterStateNotDefined):
        strategy.execute()


def test_ex_pools_option_is_upstreams():
    opts = {o.name: o for o in scb.StorageCapacityBalance.get_config_opts()}
    assert opts["ex_pools"].default == ["local_vstorage"]
