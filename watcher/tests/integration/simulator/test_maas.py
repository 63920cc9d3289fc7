"""The simulated MAAS API through the real python-libmaas, used as upstream Watcher uses it."""

import asyncio
import threading

import maas.client
import pytest
import requests
from maas.client.bones import CallError
from maas.client.enum import PowerState

from watcher.simulator.runner import Simulator

APPS = ["watcher.simulator.apps.keystone:KeystoneApp",
        "watcher.simulator.apps.maas:MaasApp"]

SCENARIO = {
    # Slow clock: power commands finish only when a test pushes time forward.
    "clock": {"speed": 0.001},
    "dynamics": {"power_on": 100, "power_off": 20},
    "compute": {
        "hypervisors": [
            {"name": "compute-1", "vcpus": 16, "memory_mb": 32768, "disk_gb": 500},
            {"name": "compute-2.rack1.example", "vcpus": 8, "memory_mb": 16384,
             "disk_gb": 200},
            {"name": "compute-3", "vcpus": 8, "memory_mb": 16384, "disk_gb": 200},
        ],
    },
    "baremetal": {"nodes": [
        {"name": "m-1", "hypervisor": "compute-1", "provider": "maas", "system_id": "abc123"},
        {"name": "m-2", "hypervisor": "compute-2.rack1.example", "provider": "maas",
         "power_state": "off"},
        {"name": "m-spare", "hypervisor": None, "provider": "maas",
         "provision_state": "available"},
        {"name": "ironic-1", "hypervisor": "compute-3"},
    ]},
}

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def main_thread_event_loop():
    # libmaas' blocking API runs on the calling thread's current event loop, and a test that
    # used asyncio.run() earlier in the session leaves the main thread without one.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        asyncio.set_event_loop(None)
        loop.close()


@pytest.fixture
def sim():
    with Simulator.from_scenario(SCENARIO, apps=APPS) as simulator:
        yield simulator


@pytest.fixture
def client(sim):
    config = sim.apps["maas"].client_config
    return maas.client.connect(config["url"], apikey=config["api_key"])


def _finish(sim, seconds):
    sim.clock.advance(seconds)
    sim.scheduler.run_due()


def test_list_and_read_machines(sim, client):
    machines = client.machines.list()
    assert sorted(m.hostname for m in machines) == ["compute-1", "compute-2", "m-spare"]
    by_host = {m.hostname: m for m in machines}
    # Watcher matches machines to hypervisors by FQDN == hypervisor_hostname.
    assert by_host["compute-1"].fqdn == "compute-1"
    assert by_host["compute-2"].fqdn == "compute-2.rack1.example"
    assert by_host["m-spare"].fqdn == "m-spare.maas"
    assert by_host["compute-1"].system_id == "abc123"
    assert by_host["compute-1"].power_state == PowerState.ON
    assert by_host["compute-2"].power_state == PowerState.OFF
    assert by_host["compute-1"].status_name == "Deployed"
    assert by_host["m-spare"].status_name == "Ready"

    machine = client.machines.get("abc123")
    assert machine.cpus == 16 and machine.memory == 32768
    assert machine.ip_addresses == [sim.state.hypervisors_by_name["compute-1"].host_ip]
    assert machine.owner.username == client.users.whoami().username
    only = client.machines.list(hostnames=["compute-2.rack1.example"])
    assert [m.fqdn for m in only] == ["compute-2.rack1.example"]


def test_power_off_then_on_follows_simulated_time(sim, client):
    machine = client.machines.get("abc123")
    service = sim.state.compute_services["compute-1"]
    assert machine.query_power_state() == PowerState.ON

    machine.power_off()
    assert machine.query_power_state() == PowerState.ON
    _finish(sim, 25)
    assert machine.query_power_state() == PowerState.OFF
    assert client.machines.get("abc123").power_state == PowerState.OFF
    assert service.state == "down"
    assert sim.state.metrics.host_value("compute-1", "power") == 0.0

    machine.power_on()
    _finish(sim, 50)
    assert machine.query_power_state() == PowerState.OFF
    _finish(sim, 60)
    assert machine.query_power_state() == PowerState.ON
    assert service.state == "up"
    assert sim.state.metrics.host_value("compute-1", "power") > 0


def test_wrong_api_key_is_rejected(sim):
    url = sim.apps["maas"].client_config["url"]
    consumer, token, secret = sim.apps["maas"].client_config["api_key"].split(":")
    for key in (f"{consumer}:{token}:wrong", f"{consumer}:other:{secret}",
                f"other:{token}:{secret}"):
        # The description is anonymous; the first authenticated call is refused.
        bad = maas.client.connect(url, apikey=key)
        with pytest.raises(CallError) as caught:
            bad.machines.list()
        assert caught.value.status == 401
    anonymous = requests.get(f"{url}/api/2.0/machines/", timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.headers["Content-Type"].startswith("text/plain")
    assert anonymous.text == "Authorization Required"


def test_errors(client):
    with pytest.raises(CallError) as caught:
        client.machines.get("nosuch")
    assert caught.value.status == 404
    assert caught.value.content == b"No Machine matches the given query."


def test_ironic_nodes_are_not_machines(sim, client):
    ironic_node = next(n for n in sim.state.baremetal_nodes.values() if n.name == "ironic-1")
    with pytest.raises(CallError):
        client.machines.get(ironic_node.system_id)


def test_version_and_describe_are_anonymous(sim):
    url = sim.apps["maas"].client_config["url"]
    version = requests.get(f"{url}/api/2.0/version/", timeout=10).json()
    assert "authenticate-api" in version["capabilities"]
    describe = requests.get(f"{url}/api/2.0/describe/", timeout=10).json()
    machine = next(r for r in describe["resources"] if r["name"] == "MachineHandler")
    assert machine["anon"] is None
    assert machine["auth"]["uri"] == f"{url}/api/2.0/machines/{{system_id}}/"
    assert {a["op"] for a in machine["auth"]["actions"]} == {
        None, "power_on", "power_off", "query_power_state"}


def test_inside_an_event_loop_as_upstream_watcher(sim):
    """Watcher's async_compat_call runs libmaas on its own loop in a worker thread."""
    config = sim.apps["maas"].client_config
    seen = {}

    async def watcher_like():
        client = await maas.client.connect(config["url"], apikey=config["api_key"])
        machines = await client.machines.list()
        machine = next(m for m in machines if m.fqdn == "compute-2.rack1.example")
        seen["before"] = await machine.query_power_state()
        await machine.power_on()
        seen["system_id"] = machine.system_id

    worker = threading.Thread(target=lambda: asyncio.run(watcher_like()))
    worker.start()
    worker.join(30)
    assert seen["before"] == PowerState.OFF
    _finish(sim, 101)
    node = next(n for n in sim.state.baremetal_nodes.values()
                if n.system_id == seen["system_id"])
    assert node.power_state == "power on"
    assert sim.state.compute_services["compute-2.rack1.example"].state == "up"


def test_scenario_api_key():
    key = "consumerkey:tokenkey:tokensecret"
    scenario = {**SCENARIO, "maas": {"api_key": key, "user": "operator"}}
    with Simulator.from_scenario(scenario, apps=APPS) as other:
        assert other.apps["maas"].client_config["api_key"] == key
        client = maas.client.connect(other.apps["maas"].client_config["url"], apikey=key)
        assert client.users.whoami().username == "operator"
        assert len(client.machines.list()) == 3


def test_failure_rules_reach_maas():
    scenario = {**SCENARIO, "failures": [
        {"type": "failure_rate", "rate": 1.0, "operations": ["power_off"]},
        {"type": "api_error", "service": "maas", "method": "GET", "path": "/machines/$",
         "status": 503, "count": 1},
    ]}
    with Simulator.from_scenario(scenario, apps=APPS) as other:
        config = other.apps["maas"].client_config
        client = maas.client.connect(config["url"], apikey=config["api_key"])
        with pytest.raises(CallError) as caught:
            client.machines.list()
        assert caught.value.status == 503
        assert caught.value.content.startswith(b"Injected failure")
        machine = client.machines.get("abc123")
        machine.power_off()
        _finish(other, 25)
        # The BMC refused: the machine is still on and its hypervisor still up.
        assert machine.query_power_state() == PowerState.ON
        assert other.state.compute_services["compute-1"].state == "up"
