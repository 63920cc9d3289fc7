"""zone_migration on hand-built compute and storage models: exact plans and indicators."""

import pytest

from watcher.common import exception
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import zone_migration
from watcher.tests.unit.decision_engine.model import storage_builders as b
from watcher.tests.unit.decision_engine.strategy import harness, models

P1, P2 = "s1@lvm#p1", "s2@ceph#p2"


def _compute():
    return models.build(
        [models.node("cmp1"), models.node("cmp2"), models.node("cmp3")],
        {
            "cmp1": [
                models.instance("a", vcpus=1, created="2026-01-03T00:00:00Z"),
                models.instance("b", vcpus=4, state="stopped", created="2026-01-01T00:00:00Z"),
                models.instance("c", vcpus=2, state="paused", project_id="p2",
                                created="2026-01-02T00:00:00Z"),
            ],
            "cmp2": [models.instance("d")],
        },
    )


def _storage():
    return b.model({
        "s1@lvm": {P1: (100, 40, [
            b.volume("v1", 10, volume_type="gold", attachments=[{"server_id": "uuid-a"}],
                     created_at="2026-01-02T00:00:00"),
            b.volume("v2", 30, volume_type="gold", created_at="2026-01-03T00:00:00"),
            b.volume("v3", 20, volume_type="silver", project_id="p2",
                     created_at="2026-01-01T00:00:00"),
        ])},
        "s2@ceph": {P2: (100, 100, [])},
    })


def _run(**parameters):
    strategy = zone_migration.ZoneMigration()
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), parameters)
    )
    strategy.compute_model = _compute()
    strategy.storage_model = _storage()
    return strategy.execute()


def _migrate(name, migration_type, destination="cmp3", source="cmp1"):
    parameters = {"migration_type": migration_type, "source_node": source,
                  "resource_name": name, "resource_id": f"uuid-{name}"}
    if destination:
        parameters["destination_node"] = destination
    return {"action_type": "migrate", "input_parameters": parameters}


def _volume(uuid, **parameters):
    parameters.update(resource_name=f"name-{uuid}", resource_id=uuid)
    return {"action_type": "volume_migrate", "input_parameters": parameters}


NODES = [{"src_node": "cmp1", "dst_node": "cmp3"}]
POOLS = [{"src_pool": P1, "dst_pool": P2}]


def test_instances_leave_by_state_within_the_per_node_limit():
    solution = _run(compute_nodes=NODES)
    # Two actions per node by default: c (paused) waits for the next audit.
    assert solution.actions == [_migrate("a", "live"), _migrate("b", "cold")]
    assert harness.indicators(solution) == {
        "live_migrate_instance_count": 2, "planned_live_migrate_instance_count": 1,
        "cold_migrate_instance_count": 1, "planned_cold_migrate_instance_count": 1,
        "volume_migrate_count": 0, "planned_volume_migrate_count": 0,
        "volume_update_count": 0, "planned_volume_update_count": 0,
    }
    ratios = {row["name"]: row["value"] for row in solution.global_efficacy}
    assert ratios["live_instance_migrate_ratio"] == 50.0


def test_without_dst_node_nova_chooses():
    solution = _run(compute_nodes=[{"src_node": "cmp1"}], parallel_per_node=3)
    assert solution.actions == [
        _migrate("a", "live", None), _migrate("b", "cold", None), _migrate("c", "live", None)
    ]


@pytest.mark.parametrize(
    ("priority", "order"),
    [
        ({"compute": "vcpu_num"}, ["b", "c", "a"]),
        ({"compute": "created_at"}, ["b", "c", "a"]),
        ({"project": ["p2"]}, ["c", "a", "b"]),
        # The first key weighs most: project p2 first, then by vcpus.
        ({"project": ["p2"], "compute": "vcpu_num"}, ["c", "b", "a"]),
        ({"compute_node": ["cmp2", "cmp1"]}, ["d", "a", "b"]),
    ],
)
def test_priority_orders_instances(priority, order):
    nodes = [*NODES, {"src_node": "cmp2", "dst_node": "cmp3"}]
    solution = _run(compute_nodes=nodes, parallel_per_node=3, parallel_total=3,
                    priority=priority)
    assert [a["input_parameters"]["resource_name"] for a in solution.actions] == order


def test_volumes_migrate_or_retype_within_the_per_pool_limit():
    solution = _run(storage_pools=POOLS)
    assert solution.actions == [
        _volume("v1", migration_type="migrate", destination_node=P2),
        _volume("v2", migration_type="migrate", destination_node=P2),
    ]
    pools = [{"src_pool": P1, "src_type": "silver", "dst_type": "gold"}, *POOLS]
    solution = _run(storage_pools=pools, parallel_per_pool=3,
                    priority={"storage": "size"})
    # The typed entry matches v3 first; the others fall back to the pool-only entry.
    assert solution.actions == [
        _volume("v2", migration_type="migrate", destination_node=P2),
        _volume("v3", migration_type="retype", destination_type="gold"),
        _volume("v1", migration_type="migrate", destination_node=P2),
    ]
    assert harness.indicators(solution)["planned_volume_migrate_count"] == 3


def test_src_type_limits_the_volumes():
    solution = _run(storage_pools=[{"src_pool": P1, "src_type": "silver", "dst_pool": P2}],
                    priority={"project": ["p2"], "storage": "created_at"})
    assert solution.actions == [_volume("v3", migration_type="migrate", destination_node=P2)]


def test_attached_instances_follow_their_volume():
    solution = _run(compute_nodes=NODES, storage_pools=POOLS, with_attached_volume=True)
    assert solution.actions == [
        _volume("v1", migration_type="migrate", destination_node=P2),
        _migrate("a", "live"),
        _volume("v2", migration_type="migrate", destination_node=P2),
        _migrate("b", "cold"),
    ]


def test_total_limit():
    solution = _run(compute_nodes=NODES, storage_pools=POOLS, parallel_total=3)
    assert [a["input_parameters"]["resource_id"] for a in solution.actions] == [
        "v1", "v2", "uuid-a"
    ]


def test_schema_refuses_both_a_pool_and_a_type():
    schema = zone_migration.ZoneMigration.get_schema()
    with pytest.raises(exception.InvalidParameter):
        strategy_context.fill_defaults(
            schema, {"storage_pools": [{"src_pool": P1, "dst_pool": P2, "dst_type": "x"}]}
        )
    with pytest.raises(exception.InvalidParameter):
        strategy_context.fill_defaults(schema, {"unknown": 1})


def test_models_are_required():
    strategy = zone_migration.ZoneMigration()
    strategy.input_parameters.update(storage_pools=POOLS)
    strategy.compute_model = _compute()
    with pytest.raises(exception.ClusterStateNotDefined):
        strategy.execute()


def test_action_counter():
    counter = zone_migration.ActionCounter(total_limit=3, per_pool_limit=1, per_node_limit=2)
    assert counter.add_pool("p") and not counter.add_pool("p")
    assert counter.add_node("n") and counter.add_node("n") and not counter.add_node("m")
    assert counter.is_total_max()
    assert (counter.per_pool_count, counter.per_node_count) == ({"p": 1}, {"n": 2, "m": 0})


def test_instances_excluded_by_the_audit_scope_stay():
    strategy = zone_migration.ZoneMigration()
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), {"compute_nodes": NODES})
    )
    strategy.compute_model = _compute()
    strategy.compute_model.get_instance_by_uuid("uuid-a").watcher_exclude = True
    solution = strategy.execute()
    assert solution.actions == [_migrate("b", "cold"), _migrate("c", "live")]
    assert harness.indicators(solution)["live_migrate_instance_count"] == 1
