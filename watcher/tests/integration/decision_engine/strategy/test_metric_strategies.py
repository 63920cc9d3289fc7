"""Metric-driven strategies audited end to end: the embedded decision engine collects the
simulated cloud, reads the simulator's Prometheus in bulk and stores the plan."""

import pytest

from watcher.tests.integration.decision_engine.strategy.conftest import plan_moves, scenario

pytestmark = pytest.mark.integration


def host(name: str, **fields) -> dict:
    return dict({"name": name, "vcpus": 8, "memory_mb": 16384, "disk_gb": 200}, **fields)


def busy_cn1() -> dict:
    """cn1 runs 4.2 of its 8 cores (vm1 3.2, vm2 1.0); cn2 0.8, cn3 0.4."""
    return scenario(
        [host("cn1"), host("cn2"), host("cn3")],
        [{"name": "vm1", "flavor": "m2", "host": "cn1"},
         {"name": "vm2", "flavor": "m1", "host": "cn1"},
         {"name": "vm3", "flavor": "m1", "host": "cn2"},
         {"name": "vm4", "flavor": "m1", "host": "cn3"}],
        {"servers": {"vm1": {"cpu_util": {"constant": 80.0}},
                     "vm2": {"cpu_util": {"constant": 50.0}},
                     "vm3": {"cpu_util": {"constant": 40.0}},
                     "vm4": {"cpu_util": {"constant": 20.0}}}},
    )


def test_workload_balance_moves_one_instance_to_the_idlest_host(make_cloud):
    cloud = make_cloud(busy_cn1())
    plan, actions = cloud.audit("workload_balancing", "workload_balance")
    assert plan_moves(actions) == [("vm2", "cn1", "cn3")]
    assert actions[0]["input_parameters"]["resource_id"] == cloud.server_id("vm2")
    indicators = {i["name"]: i["value"] for i in plan["efficacy_indicators"]}
    assert indicators["instance_migrations_count"] == 1
    assert indicators["instances_count"] == 4
