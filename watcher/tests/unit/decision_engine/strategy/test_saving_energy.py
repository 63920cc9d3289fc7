"""saving_energy on hand-built compute and bare-metal models: exact plans."""

import random
import types

import pytest

from watcher.common import exception
from watcher.decision_engine.model import baremetal_model
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import saving_energy
from watcher.tests.unit.decision_engine.strategy import models

AUDIT = types.SimpleNamespace(uuid="5e1b7c1a-0000-4000-8000-000000000001")


def _machines(layout: dict, **fields) -> baremetal_model.BaremetalModelRoot:
    """``{hostname: power_state}`` -> one machine ``m-<hostname>`` per compute host."""
    model = baremetal_model.BaremetalModelRoot()
    for hostname, power in layout.items():
        values = dict(
            uuid=f"m-{hostname}", power_state=power, hypervisor_id=f"uuid-{hostname}",
            hypervisor_hostname=f"{hostname}.example", provider="ironic",
        )
        values.update(fields.get(hostname, {}))
        model.add_node(baremetal_model.IronicNode(**values))
    return model


def _compute(hostnames, busy, **node_fields):
    nodes = [models.node(h, **node_fields.get(h, {})) for h in hostnames]
    return models.build(nodes, {h: [models.instance(f"vm-{h}")] for h in busy})


def _run(compute, machines, audit=AUDIT, **parameters):
    strategy = saving_energy.SavingEnergy()
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), parameters)
    )
    strategy.compute_model = compute
    strategy.baremetal_model = machines
    return strategy, strategy.execute(audit)


def _power(machine: str, state: str, hostname: str) -> dict:
    return {
        "action_type": "change_node_power_state",
        "input_parameters": {
            "state": state, "resource_name": f"{hostname}.example", "resource_id": machine,
        },
    }


def test_schema_defaults_are_upstreams():
    schema = saving_energy.SavingEnergy.get_schema()["properties"]
    assert schema["free_used_percent"]["default"] == 10.0
    assert schema["min_free_hosts_num"]["default"] == 1


def test_surplus_empty_hosts_are_powered_off_seeded_by_the_audit():
    hosts = ["cmp1", "cmp2", "cmp3", "cmp4", "cmp5"]
    compute = _compute(hosts, busy=["cmp1"])
    machines = _machines({h: "power on" for h in hosts})
    strategy, solution = _run(compute, machines)
    assert [m.uuid for m in strategy.with_vms_node_pool] == ["m-cmp1"]
    # One empty host stays on (min_free_hosts_num=1): three of the four are powered off,
    # the same three for the same audit.
    expected = random.Random(AUDIT.uuid).sample(strategy.free_poweron_node_pool, 3)
    assert solution.actions == [
        _power(m.uuid, "off", m.uuid[2:]) for m in expected
    ]
    assert solution.actions == _run(compute, machines)[1].actions
    # Python's seeded sampling is stable across releases: the plan of this audit is fixed.
    assert solution.actions == [
        _power("m-cmp3", "off", "cmp3"), _power("m-cmp4", "off", "cmp4"),
        _power("m-cmp5", "off", "cmp5"),
    ]


def test_missing_empty_hosts_are_powered_on():
    hosts = ["cmp1", "cmp2", "cmp3", "cmp4"]
    compute = _compute(hosts, busy=["cmp1"])
    machines = _machines({"cmp1": "power on", "cmp2": "power off", "cmp3": "power off",
                          "cmp4": "power off"})
    _, solution = _run(compute, machines, min_free_hosts_num=2)
    assert len(solution.actions) == 2
    assert {a["input_parameters"]["state"] for a in solution.actions} == {"on"}
    _, solution = _run(compute, machines, min_free_hosts_num=5)
    assert sorted(solution.actions, key=lambda a: a["input_parameters"]["resource_id"]) == [
        _power("m-cmp2", "on", "cmp2"), _power("m-cmp3", "on", "cmp3"),
        _power("m-cmp4", "on", "cmp4"),
    ]


def test_free_used_percent_scales_with_busy_hosts():
    hosts = [f"cmp{i}" for i in range(1, 31)]
    compute = _compute(hosts, busy=hosts[:25])
    machines = _machines({h: "power on" for h in hosts})
    # 25 busy hosts * 10% = 2.5 -> 2 empty hosts stay on, 3 of the 5 empty ones go off.
    _, solution = _run(compute, machines)
    assert len(solution.actions) == 3
    # 25 * 20% = 5: all five empty hosts are needed.
    _, solution = _run(compute, machines, free_used_percent=20.0)
    assert solution.actions == []


def test_hosts_the_audit_cannot_use_are_left_alone():
    compute = _compute(["cmp1", "cmp2", "cmp3", "cmp4"], busy=["cmp1"],
                       cmp2={"state": "down"})
    machines = _machines(
        {"cmp1": "power on", "cmp2": "power on", "cmp3": "power on", "cmp4": "enroll",
         "cmp5": "power on"},
    )
    strategy, solution = _run(compute, machines, min_free_hosts_num=0)
    # cmp2: Ironic keeps the hypervisor up when off, so "down" means trouble: skipped.
    # cmp4: power state unknown. cmp5: not in the compute model (audit scope).
    assert [m.uuid for m in strategy.free_poweron_node_pool] == ["m-cmp3"]
    assert solution.actions == [_power("m-cmp3", "off", "cmp3")]


def test_maas_hosts_down_while_powered_off_count_as_spare():
    compute = _compute(["cmp1", "cmp2"], busy=["cmp1"], cmp2={"state": "down"})
    machines = _machines(
        {"cmp1": "on", "cmp2": "off"},
        cmp1={"provider": "maas", "hv_up_when_powered_off": False},
        cmp2={"provider": "maas", "hv_up_when_powered_off": False},
    )
    _, solution = _run(compute, machines)
    assert solution.actions == [_power("m-cmp2", "on", "cmp2")]


def test_models_are_required():
    strategy = saving_energy.SavingEnergy()
    strategy.compute_model = _compute(["cmp1"], busy=[])
    with pytest.raises(exception.ClusterStateNotDefined):
        strategy.execute(AUDIT)
    strategy.baremetal_model = baremetal_model.BaremetalModelRoot(stale=True)
    with pytest.raises(exception.ClusterStateStale):
        strategy.execute(AUDIT)


def test_the_baremetal_model_is_loaded_on_first_use():
    strategy = saving_energy.SavingEnergy()
    loads = []
    strategy.model_loaders["baremetal"] = lambda: loads.append(1) or _machines({})
    strategy.compute_model = _compute(["cmp1"], busy=[])
    strategy.execute(AUDIT)
    strategy.baremetal_model  # noqa: B018
    assert loads == [1]
