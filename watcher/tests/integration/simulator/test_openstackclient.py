"""python-openstackclient (with osc-placement, python-ironicclient and python-heatclient,
all test requirements) against the simulator, configured only by the clouds.yaml the
simulator writes. Commands run in batches through ``osc_batch.py``: one interpreter per
batch, python-openstackclient's own entry point per command.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import pytest

from watcher.simulator.runner import Simulator
from watcher.tests.integration.simulator.conftest import SMALL

pytestmark = pytest.mark.integration

BATCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "osc_batch.py")
IMAGE = "cirros-0.6.3-x86_64-disk"


def _scenario() -> dict:
    doc = copy.deepcopy(SMALL)
    doc["baremetal"] = {"nodes": [{"name": "bm-1", "hypervisor": "cmp1"},
                                  {"name": "bm-3", "hypervisor": "cmp3"}]}
    doc["heat"] = {"stacks": [{
        "name": "web",
        "resources": [{"name": "server", "type": "OS::Nova::Server", "server": "vm3"}],
        "events": [{"resource": "server", "status": "CHECK_COMPLETE", "reason": "checked"}]}]}
    return doc


@pytest.fixture(scope="module")
def sim():
    with Simulator.from_scenario(_scenario()) as running:
        yield running


@pytest.fixture(scope="module")
def osc(sim, tmp_path_factory):
    pytest.importorskip("openstackclient.shell")
    pytest.importorskip("osc_placement")
    clouds = tmp_path_factory.mktemp("osc") / "clouds.yaml"
    sim.write_clouds_yaml(str(clouds), "simulator")
    env = {**os.environ, "OS_CLIENT_CONFIG_FILE": str(clouds)}
    env.pop("OS_CLOUD", None)
    driver = subprocess.Popen([sys.executable, BATCH], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env)

    def run(*commands: str) -> list:
        """Each command (a shell-like string) in one batch; JSON output parsed."""
        argv = [["--os-cloud", "simulator", *command.split(), "-f", "json"]
                if _has_output(command) else ["--os-cloud", "simulator", *command.split()]
                for command in commands]
        driver.stdin.write(json.dumps(argv) + "\n")
        driver.stdin.flush()
        line = driver.stdout.readline()
        assert line, "the openstack command driver exited"
        results = json.loads(line)
        for command, result in zip(commands, results, strict=True):
            assert result["rc"] == 0, (command, result["stderr"])
        return [json.loads(r["stdout"]) if r["stdout"].strip() else None for r in results]

    try:
        yield run
    finally:
        driver.stdin.close()
        driver.wait(timeout=30)


def _has_output(command: str) -> bool:
    quiet = ("server stop", "server start", "server delete", "server migrate",
             "server resize", "compute service set", "volume migrate",
             "baremetal node power")
    return not command.startswith(quiet)


def test_server_lifecycle_and_events(sim, osc):
    # Commands whose effect takes simulated time end a batch; sim.advance() finishes it.
    [created] = osc(f"server create --flavor m1.small --image {IMAGE} --network private "
                    "osc-vm")
    sim.advance()
    listed, shown, _ = osc("server list", "server show osc-vm", "server stop osc-vm")
    sim.advance()
    stopped, _ = osc("server show osc-vm", "server start osc-vm")
    sim.advance()
    osc("server migrate osc-vm")
    sim.advance()
    _, migrated, _ = osc("server resize confirm osc-vm", "server show osc-vm",
                         "server resize --flavor m1.medium osc-vm")
    sim.advance()
    _, resized, events = osc("server resize confirm osc-vm", "server show osc-vm",
                             "server event list osc-vm")
    event, _ = osc(f"server event show osc-vm {events[-1]['Request ID']}",
                   "server delete osc-vm")
    sim.advance()
    [after] = osc("server list")
    assert created["status"] == "BUILD"
    assert "osc-vm" in [s["Name"] for s in listed]
    assert shown["status"] == "ACTIVE" and shown["image"].startswith(IMAGE)
    assert stopped["status"] == "SHUTOFF"
    assert migrated["status"] == "ACTIVE"
    assert migrated["OS-EXT-SRV-ATTR:host"] != shown["OS-EXT-SRV-ATTR:host"]
    assert resized["flavor"]["name"] == "m1.medium"
    assert [e["Action"] for e in events] == ["confirmResize", "resize", "confirmResize",
                                             "migrate", "start", "stop", "create"]
    assert (event["action"], event["events"][0]["result"]) == ("create", "Success")
    assert "osc-vm" not in [s["Name"] for s in after]


def test_limits_usage_hypervisors_and_services(sim, osc):
    limits, usage, hypervisors, hypervisor, services = osc(
        "limits show --absolute", "usage list", "hypervisor list", "hypervisor show cmp2",
        "compute service list --service nova-compute")
    absolute = {row["Name"]: row["Value"] for row in limits}
    assert absolute["total_instances_used"] == 4 and absolute["total_volumes_used"] == 2
    assert isinstance(usage, list)
    assert [h["Hypervisor Hostname"] for h in hypervisors] == ["cmp1", "cmp2", "cmp3"]
    assert hypervisor["state"] == "up"
    assert {s["Host"] for s in services} == {"cmp1", "cmp2", "cmp3"}
    osc("compute service set --disable --disable-reason maintenance cmp3 nova-compute")
    [after] = osc("compute service list --service nova-compute --host cmp3")
    assert after[0]["Status"] == "disabled"
    assert sim.state.compute_services["cmp3"].disabled_reason == "maintenance"


def test_volumes(sim, osc):
    [created] = osc("volume create --size 2 --type ceph osc-vol")
    assert created["status"] == "creating"
    sim.advance()
    osc("volume migrate --host stor1@lvm#pool1 osc-vol")
    sim.advance()
    listed, shown = osc("volume list", "volume show osc-vol")
    assert "osc-vol" in [v["Name"] for v in listed]
    assert shown["status"] == "available"
    assert shown["os-vol-host-attr:host"] == "stor1@lvm#pool1"


def test_baremetal(sim, osc):
    [nodes] = osc("baremetal node list")
    assert [(n["name"], n["power_state"]) for n in nodes] == [("bm-1", "power on"),
                                                               ("bm-3", "power on")]
    osc("baremetal node power off bm-3")
    sim.advance()
    [node] = osc("baremetal node show bm-3")
    assert node["power_state"] == "power off"
    assert sim.state.compute_services["cmp3"].state == "down"


def test_orchestration(sim, osc):
    stacks, stack, resources, events = osc("stack list", "stack show web",
                                           "stack resource list web", "stack event list web")
    assert [s["Stack Name"] for s in stacks] == ["web"]
    assert stack["stack_status"] == "CREATE_COMPLETE"
    assert [(r["resource_name"], r["physical_resource_id"]) for r in resources] == [
        ("server", sim.state.servers_by_name["vm3"].id)]
    assert "checked" in [e["resource_status_reason"] for e in events]


def test_placement(sim, osc):
    [providers] = osc("resource provider list")
    by_name = {p["name"]: p["uuid"] for p in providers}
    assert sorted(by_name) == ["cmp1", "cmp2", "cmp3"]
    inventory, usage = osc(f"resource provider inventory list {by_name['cmp1']}",
                           f"resource provider usage show {by_name['cmp1']}")
    assert {row["resource_class"]: row["total"] for row in inventory}["VCPU"] == 16
    hypervisor = sim.state.hypervisors_by_name["cmp1"]
    assert {row["resource_class"]: row["usage"] for row in usage}["VCPU"] == \
        hypervisor.vcpus_used
