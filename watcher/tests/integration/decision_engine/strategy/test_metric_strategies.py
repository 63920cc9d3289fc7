"""Metric-driven strategies audited end to end: the embedded decision engine collects the
simulated cloud, reads the simulator's Prometheus in bulk and stores the plan."""

import pytest

from watcher.tests.integration.decision_engine.strategy.conftest import (
    flow,
    plan_moves,
    scenario,
)

pytestmark = pytest.mark.integration


def host(name: str, **fields) -> dict:
    return dict({"name": name, "vcpus": 8, "memory_mb": 16384, "disk_gb": 200,
                 "allocation_ratios": {"vcpu": 1.0}}, **fields)


def busy_cn1(speed: float = 1) -> dict:
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
        speed,
    )


def test_workload_balance_moves_one_instance_to_the_idlest_host(make_cloud):
    cloud = make_cloud(busy_cn1())
    plan, actions = cloud.audit("workload_balancing", "workload_balance")
    assert plan_moves(actions) == [("vm2", "cn1", "cn3")]
    assert actions[0]["input_parameters"]["resource_id"] == cloud.server_id("vm2")
    indicators = {i["name"]: i["value"] for i in plan["efficacy_indicators"]}
    assert indicators["instance_migrations_count"] == 1
    assert indicators["instances_count"] == 4


def test_workload_balance_plan_applied_moves_the_server(make_cloud):
    cloud = make_cloud(busy_cn1(speed=60))
    plan, _ = cloud.audit("workload_balancing", "workload_balance")
    assert flow.api_start_plan(cloud.client, plan["uuid"], timeout=60) == "SUCCEEDED"
    server = cloud.sim.state.servers[cloud.server_id("vm2")]
    assert server.host == "cn3"


def test_vm_workload_consolidation_empties_the_idle_hosts(make_cloud):
    cloud = make_cloud(busy_cn1())
    plan, actions = cloud.audit("server_consolidation", "vm_workload_consolidation")
    # Least busy first: vm4 (cn3) fits on cn1, the busiest. vm3 (cn2) would fit by CPU
    # use, but cn1's 8 vCPUs (allocation ratio 1.0) would then hold 10 allocated: Placement
    # would refuse that migration, so vm3 stays.
    assert plan_moves(actions) == [("vm4", "cn3", "cn1")]
    disabled = sorted(a["input_parameters"]["resource_name"] for a in actions
                      if a["action_type"] == "change_nova_service_state")
    assert disabled == ["cn3"]
    indicators = {i["name"]: i["value"] for i in plan["efficacy_indicators"]}
    assert {name: indicators[name] for name in (
        "compute_nodes_count", "released_compute_nodes_count", "instance_migrations_count",
        "active_compute_nodes_before", "active_compute_nodes_after",
        "worst_node_allocation_after")} == {
        "compute_nodes_count": 3, "released_compute_nodes_count": 1,
        "instance_migrations_count": 1, "active_compute_nodes_before": 3,
        "active_compute_nodes_after": 2, "worst_node_allocation_after": 100.0}
    # The weight planner disables the nodes before it migrates.
    by_uuid = {a["uuid"]: a for a in actions}
    for action in actions:
        if action["action_type"] == "migrate":
            parents = [by_uuid[p]["action_type"] for p in action["parents"]]
            assert parents == ["change_nova_service_state"]


def test_workload_stabilization_lowers_the_cpu_deviation(make_cloud):
    cloud = make_cloud(busy_cn1())
    plan, actions = cloud.audit("workload_balancing", "workload_stabilization",
                                {"host_choice": "fullsearch"})
    # Host loads 0.525 / 0.1 / 0.05: vm2 to cn3 first (sd 0.128), then vm4 to cn2 (0.124).
    assert plan_moves(actions) == [("vm2", "cn1", "cn3"), ("vm4", "cn3", "cn2")]
    # Its own planner: migrations in parallel.
    assert all(a["parents"] == [] for a in actions)
    indicators = {i["name"]: i["value"] for i in plan["efficacy_indicators"]}
    assert indicators["standard_deviation_before_audit"] == pytest.approx(0.2131, abs=1e-3)
    assert indicators["standard_deviation_after_audit"] == pytest.approx(0.1242, abs=1e-3)


def test_basic_releases_the_least_busy_host(make_cloud):
    cloud = make_cloud(busy_cn1())
    plan, actions = cloud.audit("server_consolidation", "basic")
    # cn3 (5 %) empties onto cn1 (6 of 8 vCPUs used); cn2's vm3 then fits nowhere busier.
    assert plan_moves(actions) == [("vm4", "cn3", "cn1")]
    services = [(a["input_parameters"]["resource_name"], a["input_parameters"]["state"])
                for a in actions if a["action_type"] == "change_nova_service_state"]
    assert services == [("cn3", "disabled")]
    indicators = {i["name"]: i["value"] for i in plan["efficacy_indicators"]}
    assert indicators["released_compute_nodes_count"] == 1


def test_outlet_temperature_reads_gnocchi_named_in_its_own_group(make_cloud):
    cloud_scenario = busy_cn1()
    cloud_scenario["metrics"]["hosts"] = {
        "cn1": {"outlet_temp": {"constant": 40.0}},
        "cn2": {"outlet_temp": {"constant": 30.0}},
        "cn3": {"outlet_temp": {"constant": 25.0}},
    }
    cloud = make_cloud(cloud_scenario)
    # Prometheus has no temperatures; the strategy's group points at Gnocchi.
    cloud.conf.config(datasources=["gnocchi"], group="watcher_strategies.outlet_temperature")
    before = cloud.sim.requests["metric"]
    _, actions = cloud.audit("thermal_optimization", "outlet_temperature", {"period": 600})
    (move,) = plan_moves(actions)
    assert move[0] in ("vm1", "vm2") and move[1:] == ("cn1", "cn3")
    assert cloud.sim.requests["metric"] > before


def test_uniform_airflow_empties_a_host_with_a_hardware_issue(make_cloud):
    cloud_scenario = busy_cn1()
    # cn1 blows hard while drawing little power with cool inlet air: a hardware issue.
    cloud_scenario["metrics"]["hosts"] = {
        "cn1": {"airflow": {"constant": 500.0}, "inlet_temp": {"constant": 25.0},
                "power": {"constant": 300.0}},
        "cn2": {"airflow": {"constant": 300.0}},
        "cn3": {"airflow": {"constant": 200.0}},
    }
    cloud = make_cloud(cloud_scenario)
    cloud.conf.config(datasources=["gnocchi"], group="watcher_strategies.uniform_airflow")
    _, actions = cloud.audit("airflow_optimization", "uniform_airflow", {"period": 600})
    # Largest first, each to the host with the least airflow that has room.
    assert plan_moves(actions) == [("vm1", "cn1", "cn3"), ("vm2", "cn1", "cn3")]
