import random

import pytest
from oslo_utils import uuidutils

from watcher import objects
from watcher.common import exception
from watcher.decision_engine.model import model_root
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import node_resource_consolidation as nrc
from watcher.tests.unit.decision_engine.strategy.models import build, instance, node

REASON = "Watcher node resource consolidation strategy"


def cluster():
    """n1 empty; n2 and n3 lightly used; n4 and n5 busy.

    n5 has vCPU for everything of n2 and n3 but memory for only a and c, so b goes to n4.
    """
    return build(
        [node("n1"), node("n2"), node("n3"), node("n4"), node("n5")],
        {
            "n2": [instance("a", 1, 2048)],
            "n3": [instance("c", 1, 2048, state="stopped"), instance("b", 2, 12288)],
            "n4": [instance("d", 4, 4096), instance("e", 2, 4096)],
            "n5": [instance("f", 8, 16384), instance("g", 4, 8192)],
        },
    )


def run(model, **parameters):
    strategy = nrc.NodeResourceConsolidation()
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), parameters)
    )
    strategy.compute_model = model
    return strategy, strategy.execute()


def migrate(name, source, migration_type="live", destination=None):
    parameters = {
        "migration_type": migration_type,
        "source_node": source,
        "resource_name": name,
        "resource_id": f"uuid-{name}",
    }
    if destination:
        parameters["destination_node"] = destination
    return {"action_type": "migrate", "input_parameters": parameters}


def service(hostname, state):
    parameters = {"state": state, "resource_name": hostname, "resource_id": f"uuid-{hostname}"}
    if state == "disabled":
        parameters["disabled_reason"] = REASON
    return {"action_type": "change_nova_service_state", "input_parameters": parameters}


def test_specify_names_each_destination():
    strategy, solution = run(cluster(), host_choice="specify")
    assert solution.actions == [
        migrate("a", "n2", destination="n5"),
        migrate("b", "n3", destination="n4"),
        migrate("c", "n3", "cold", destination="n5"),
    ]
    assert strategy.planner == "node_resource_consolidation"


def test_auto_disables_empty_and_source_nodes_around_the_migrations():
    _, solution = run(cluster())
    assert solution.actions == [
        service("n1", "disabled"),
        service("n2", "disabled"),
        service("n3", "disabled"),
        migrate("a", "n2"),
        migrate("b", "n3"),
        migrate("c", "n3", "cold"),
        service("n1", "enabled"),
        service("n2", "enabled"),
        service("n3", "enabled"),
    ]


def test_efficacy_indicators_and_released_nodes_ratio():
    _, solution = run(cluster(), host_choice="specify")
    values = {row["name"]: row["value"] for row in solution.efficacy_indicators}
    assert values == {
        "compute_nodes_count": 5,
        "released_compute_nodes_count": 2,
        "instance_migrations_count": 3,
    }
    assert solution.global_efficacy == [
        {
            "name": "released_nodes_ratio",
            "description": "Ratio of released compute nodes divided by the total number of "
            "enabled compute nodes.",
            "unit": "%",
            "value": 40.0,
        }
    ]


def test_grouping_of_the_hand_built_cluster():
    result = nrc.consolidate(cluster())
    assert result.empty_nodes == ["uuid-n1"]
    assert result.sources == ["uuid-n2", "uuid-n3"]
    assert result.destinations == ["uuid-n5", "uuid-n4"]
    assert result.moves == [
        ("uuid-a", "uuid-n2", "uuid-n5"),
        ("uuid-b", "uuid-n3", "uuid-n4"),
        ("uuid-c", "uuid-n3", "uuid-n5"),
    ]


def test_a_destination_takes_instances_from_several_sources():
    # Upstream used each destination once and released one node here; we release three.
    model = build(
        [node(f"n{i}") for i in range(1, 5)],
        {f"n{i}": [instance(f"i{i}", 1, 1024)] for i in range(1, 5)},
    )
    _, solution = run(model, host_choice="specify")
    assert solution.actions == [
        migrate("i1", "n1", destination="n4"),
        migrate("i2", "n2", destination="n4"),
        migrate("i3", "n3", destination="n4"),
    ]


def test_node_that_cannot_be_emptied_keeps_its_instances():
    model = build(
        [node("n1"), node("n2")],
        {"n1": [instance("big", 10, 1024)], "n2": [instance("other", 12, 1024)]},
    )
    _, solution = run(model, host_choice="specify")
    assert solution.actions == []
    values = {row["name"]: row["value"] for row in solution.efficacy_indicators}
    assert values["released_compute_nodes_count"] == 0
    assert solution.global_efficacy[0]["value"] == 0


def test_disk_is_checked():
    model = build(
        [node("n1", disk=100), node("n2", disk=100)],
        {"n1": [instance("x", 1, 1024, 60)], "n2": [instance("y", 2, 1024, 60)]},
    )
    assert nrc.consolidate(model).sources == []


def test_excluded_paused_instances_and_down_nodes_pin_their_node():
    model = build(
        [node("n1"), node("n2"), node("n3", state="down"), node("n4"), node("n5")],
        {
            "n1": [instance("kept", watcher_exclude=True)],
            "n2": [instance("paused", state="paused")],
            "n3": [instance("on-down-node")],
            "n4": [instance("free-to-go")],
            "n5": [instance("anchor", 8)],
        },
    )
    _, solution = run(model, host_choice="specify")
    assert solution.actions == [migrate("free-to-go", "n4", destination="n5")]


def test_disabled_and_down_nodes_receive_nothing():
    model = build(
        [node("n1"), node("n2", status="disabled"), node("n3", state="down")],
        {"n1": [instance("a")], "n2": [instance("b", 4)], "n3": [instance("c", 8)]},
    )
    result = nrc.consolidate(model)
    # n1 cannot go to n2 (disabled) nor n3 (down); n2 may be emptied although disabled, but
    # the only busier node is down.
    assert result.sources == []


def test_auto_leaves_already_disabled_source_disabled():
    model = build(
        [node("n1", status="disabled", disabled_reason="ops"), node("n2")],
        {"n1": [instance("a")], "n2": [instance("b", 4)]},
    )
    _, solution = run(model)
    assert solution.actions == [migrate("a", "n1")]


def test_equal_usage_is_ordered_by_hostname():
    model = build(
        [node("zeta"), node("alpha"), node("mid")],
        {"zeta": [instance("z", 2)], "alpha": [instance("a", 2)], "mid": [instance("m", 2)]},
    )
    result = nrc.consolidate(model)
    assert result.sources == ["uuid-alpha", "uuid-mid"]
    assert result.destinations == ["uuid-zeta"]


def test_models_without_instances_or_nodes_give_an_empty_plan():
    _, solution = run(model_root.ModelRoot())
    assert solution.actions == []
    _, solution = run(build([node("n1"), node("n2")], {}))
    assert solution.actions == []
    values = {row["name"]: row["value"] for row in solution.efficacy_indicators}
    assert values == {
        "compute_nodes_count": 2,
        "released_compute_nodes_count": 0,
        "instance_migrations_count": 0,
    }


def test_unknown_host_choice_is_rejected():
    with pytest.raises(exception.InvalidParameter):
        run(cluster(), host_choice="random")


def test_stale_model_is_refused():
    model = cluster()
    model.stale = True
    with pytest.raises(exception.ClusterStateStale):
        run(model)


def test_kept_nodes_are_not_emptied_but_still_receive():
    result = nrc.consolidate(cluster(), frozenset({"uuid-n2"}))
    assert result.sources == ["uuid-n3"]
    assert result.moves == [
        ("uuid-b", "uuid-n3", "uuid-n4"),
        ("uuid-c", "uuid-n3", "uuid-n5"),
    ]


def failed_migration(env, audit, instance_uuid):
    strategy = objects.Strategy.get_by_name(env.context, "node_resource_consolidation")
    plan = objects.ActionPlan(
        env.context,
        uuid=uuidutils.generate_uuid(),
        audit_id=audit.id,
        strategy_id=strategy.id,
        state="FAILED",
        global_efficacy=[],
    )
    plan.create()
    objects.Action(
        env.context,
        uuid=uuidutils.generate_uuid(),
        action_plan_id=plan.id,
        action_type="migrate",
        input_parameters={"resource_id": instance_uuid, "migration_type": "live"},
        state="FAILED",
        parents=[],
    ).create()


def test_continuous_audit_does_not_retry_a_node_whose_migration_failed(env):
    continuous = env.audit("CONTINUOUS", state="ONGOING")
    oneshot = env.audit("ONESHOT", state="ONGOING")
    failed_migration(env, continuous, "uuid-a")
    failed_migration(env, oneshot, "uuid-b")
    strategy = nrc.NodeResourceConsolidation()
    model = cluster()
    assert strategy.nodes_with_failed_migrations(model, continuous) == {"uuid-n2"}
    assert strategy.nodes_with_failed_migrations(model, oneshot) == frozenset()

    strategy.input_parameters.update({"host_choice": "specify"})
    strategy.compute_model = model
    strategy.execute(continuous)
    assert [a["input_parameters"]["resource_name"] for a in strategy.solution.actions] == [
        "b",
        "c",
    ]


# -- the vectorised search gives exactly what the plain algorithm gives --------------------


def plain_consolidate(model, keep=frozenset()) -> nrc.Consolidation:
    """The algorithm of the module docstring, written directly on the model's API."""
    nodes = sorted(
        model.get_all_compute_nodes().values(),
        key=lambda n: (model.get_node_used_resources(n)["vcpu"], n.hostname),
    )
    free = {}
    for n in nodes:
        resources = model.get_node_free_resources(n)
        free[n.uuid] = [resources["vcpu"], resources["memory"], resources["disk"]]
    receiving: list[str] = []
    result = nrc.Consolidation([], [], [], [])
    for position, source in enumerate(nodes):
        if source.uuid in receiving:
            break
        servers = model.get_node_instances(source)
        if not servers:
            result.empty_nodes.append(source.uuid)
            continue
        if (
            source.uuid in keep
            or source.state != "up"
            or any(s.watcher_exclude or s.state not in ("active", "stopped") for s in servers)
        ):
            continue
        pending = sorted(servers, key=lambda s: (-s.vcpus, -s.memory, -s.disk, s.uuid))
        rooms: dict[str, list[float]] = {}
        where: dict[str, str] = {}
        for candidate in reversed(nodes[position + 1 :]):
            if candidate.status != "enabled" or candidate.state != "up":
                continue
            room = list(free[candidate.uuid])
            left = []
            for server in pending:
                need = (server.vcpus, server.memory, server.disk)
                if all(need[k] <= room[k] for k in range(3)):
                    room = [room[k] - need[k] for k in range(3)]
                    where[server.uuid] = candidate.uuid
                else:
                    left.append(server)
            if len(left) < len(pending):
                rooms[candidate.uuid] = room
            pending = left
            if not pending:
                break
        if pending:
            continue
        result.sources.append(source.uuid)
        for uuid, room in rooms.items():
            free[uuid] = room
            if uuid not in receiving:
                receiving.append(uuid)
        ordered = sorted(servers, key=lambda s: (-s.vcpus, -s.memory, -s.disk, s.uuid))
        result.moves.extend((s.uuid, source.uuid, where[s.uuid]) for s in ordered)
    result.destinations = receiving
    return result


def random_model(seed: int) -> model_root.ModelRoot:
    rng = random.Random(seed)
    model = model_root.ModelRoot()
    hosts = []
    for i in range(rng.randint(5, 60)):
        hostname = f"h{rng.randint(0, 30):02d}-{i}"
        compute = node(
            hostname,
            vcpus=rng.choice([8, 16, 32]),
            memory=rng.choice([16384, 32768, 65536]),
            disk=rng.choice([200, 500]),
            vcpu_ratio=rng.choice([1.0, 1.5, 4.0]),
            status=rng.choice(["enabled"] * 9 + ["disabled"]),
            state=rng.choice(["up"] * 19 + ["down"]),
        )
        model.add_node(compute)
        hosts.append(compute)
    for j in range(rng.randint(0, 8 * len(hosts))):
        server = instance(
            f"vm{rng.randint(0, 10**6)}-{j}",
            vcpus=rng.choice([1, 1, 2, 2, 4, 8]),
            memory=rng.choice([512, 2048, 4096, 8192]),
            disk=rng.choice([0, 10, 20, 40]),
            state=rng.choice(["active"] * 12 + ["stopped", "paused", "error"]),
            watcher_exclude=rng.random() < 0.03,
        )
        model.add_instance(server)
        model.map_instance(server, rng.choice(hosts[: max(1, rng.randint(1, len(hosts)))]))
    return model


@pytest.mark.parametrize("seed", range(40))
def test_vectorised_search_equals_plain_algorithm(seed):
    model = random_model(seed)
    assert nrc.consolidate(model) == plain_consolidate(model)
    nodes = sorted(model.get_all_compute_nodes())
    keep = frozenset(random.Random(seed).sample(nodes, len(nodes) // 4))
    assert nrc.consolidate(model, keep) == plain_consolidate(model, keep)


def test_random_models_do_release_nodes():
    # Guards the equivalence test against passing on trivial (empty) outcomes only.
    released = sum(len(nrc.consolidate(random_model(seed)).sources) for seed in range(40))
    assert released > 40
