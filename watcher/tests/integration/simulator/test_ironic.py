"""The simulated Ironic API through the real python-ironicclient."""

import openstack
import pytest
import requests
from ironicclient import client as ironic_client
from ironicclient import exc as ironic_exc
from ironicclient.common import filecache
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from watcher.simulator.runner import Simulator

APPS = ["watcher.simulator.apps.keystone:KeystoneApp",
        "watcher.simulator.apps.ironic:IronicApp"]

SCENARIO = {
    # Slow clock: operations finish only when a test pushes time forward.
    "clock": {"speed": 0.001},
    "dynamics": {"power_on": 100, "power_off": 20},
    "compute": {
        "hypervisors": [{"name": f"compute-{i}", "vcpus": 16, "memory_mb": 32768,
                         "disk_gb": 500} for i in range(1, 5)],
    },
    "baremetal": {"nodes": [
        {"name": "bm-1", "hypervisor": "compute-1"},
        {"name": "bm-2", "hypervisor": "compute-2", "power_state": "off"},
        {"name": "bm-3", "hypervisor": "compute-3", "maintenance": True,
         "driver": "redfish"},
        {"name": "bm-spare", "hypervisor": None, "provision_state": "available"},
        {"name": "maas-1", "hypervisor": "compute-4", "provider": "maas"},
    ]},
}

pytestmark = pytest.mark.integration


@pytest.fixture
def sim():
    with Simulator.from_scenario(SCENARIO, apps=APPS) as simulator:
        yield simulator


@pytest.fixture
def keystone_session(sim):
    creds = sim.admin_credentials
    auth = v3.Password(auth_url=creds["auth_url"], username=creds["username"],
                       password=creds["password"], project_name=creds["project_name"],
                       user_domain_name="Default", project_domain_name="Default")
    return ks_session.Session(auth=auth)


@pytest.fixture
def ironic(keystone_session):
    return ironic_client.get_client(1, session=keystone_session)


def _node(sim, name):
    return next(n for n in sim.state.baremetal_nodes.values() if n.name == name)


def _finish(sim, seconds):
    sim.clock.advance(seconds)
    sim.scheduler.run_due()


def test_list_shows_ironic_nodes_only_with_default_fields(sim, ironic):
    nodes = ironic.node.list()
    assert [n.name for n in nodes] == ["bm-1", "bm-2", "bm-3", "bm-spare"]
    first = nodes[0].to_dict()
    assert set(first) == {"uuid", "name", "instance_uuid", "power_state", "provision_state",
                          "maintenance", "links"}
    assert first["uuid"] == _node(sim, "bm-1").id
    assert {n.name: n.power_state for n in nodes}["bm-2"] == "power off"
    assert {n.name: n.maintenance for n in nodes}["bm-3"] is True


def test_show_by_uuid_and_name_carries_compute_node_id(sim, ironic):
    hypervisor = sim.state.hypervisors_by_name["compute-1"]
    by_uuid = ironic.node.get(_node(sim, "bm-1").id)
    by_name = ironic.node.get("bm-1")
    assert by_uuid.uuid == by_name.uuid
    assert by_uuid.extra == {"compute_node_id": hypervisor.id}
    assert by_uuid.provision_state == "active"
    assert by_uuid.target_power_state is None
    assert by_uuid.driver == "ipmi"
    assert by_uuid.properties["cpus"] == 16
    # The spare machine hosts no hypervisor, so nothing points to Nova.
    assert ironic.node.get("bm-spare").extra == {}


def test_detail_paging_follows_next_links(sim, ironic):
    nodes = ironic.node.list(detail=True)
    assert len(nodes) == 4 and all(hasattr(n, "driver_info") for n in nodes)
    # A server page smaller than the client's limit: the client walks the `next` links.
    sim.apps["baremetal"].max_limit = 2
    paged = ironic.node.list(limit=3, detail=True)
    assert [n.name for n in paged] == ["bm-1", "bm-2", "bm-3"]
    _, page = ironic.http_client.json_request("GET", "/v1/nodes/detail?limit=50&maintenance=false")
    assert [n["name"] for n in page["nodes"]] == ["bm-1", "bm-2"]
    assert "limit=2" in page["next"] and "maintenance=false" in page["next"]
    assert f"marker={page['nodes'][1]['uuid']}" in page["next"]
    _, last = ironic.http_client.json_request("GET", "/v1/nodes?marker=" + page["nodes"][1]["uuid"])
    assert [n["name"] for n in last["nodes"]] == ["bm-3", "bm-spare"]
    assert "next" not in ironic.http_client.json_request("GET", "/v1/nodes?limit=1&marker="
                                                + last["nodes"][1]["uuid"])[1]


def test_fields_filters_and_sorting(ironic):
    nodes = ironic.node.list(fields=["uuid", "power_state", "extra"])
    assert set(nodes[0].to_dict()) == {"uuid", "power_state", "extra", "links"}
    assert [n.name for n in ironic.node.list(maintenance=True)] == ["bm-3"]
    assert [n.name for n in ironic.node.list(provision_state="available")] == ["bm-spare"]
    # Filtering by driver came with 1.16; the client's default 1.9 is refused, as by Ironic.
    with pytest.raises(ironic_exc.UnsupportedVersion):
        ironic.node.list(driver="redfish")
    by_driver = ironic.node.list(driver="redfish", os_ironic_api_version="1.16")
    assert [n.name for n in by_driver] == ["bm-3"]
    names = [n.name for n in ironic.node.list(sort_key="name", sort_dir="desc")]
    assert names == ["bm-spare", "bm-3", "bm-2", "bm-1"]
    with pytest.raises(ironic_exc.BadRequest, match="are not valid"):
        ironic.node.list(fields=["uuid", "bogus"])


def test_power_off_then_on_takes_simulated_time(sim, ironic):
    node = _node(sim, "bm-1")
    service = sim.state.compute_services["compute-1"]
    assert sim.state.metrics.host_value("compute-1", "power") > 0

    ironic.node.set_power_state(node.id, "off")
    shown = ironic.node.get(node.id)
    assert (shown.power_state, shown.target_power_state) == ("power on", "power off")
    states = ironic.node.states(node.id)
    assert states.target_power_state == "power off"

    _finish(sim, 10)
    assert ironic.node.get(node.id).power_state == "power on"
    _finish(sim, 15)
    shown = ironic.node.get(node.id)
    assert (shown.power_state, shown.target_power_state) == ("power off", None)
    assert service.state == "down"
    assert sim.state.metrics.host_value("compute-1", "power") == 0.0

    ironic.node.set_power_state("bm-1", "on")
    _finish(sim, 101)
    assert ironic.node.get(node.id).power_state == "power on"
    assert service.state == "up"
    assert sim.state.metrics.host_value("compute-1", "power") > 0


def test_reboot_ends_powered_on(sim, ironic):
    ironic.node.set_power_state("bm-2", "reboot")
    assert ironic.node.get("bm-2").target_power_state == "power on"
    _finish(sim, 101)
    assert ironic.node.get("bm-2").power_state == "power on"
    assert sim.state.compute_services["compute-2"].state == "up"


def test_errors_use_ironic_body(sim, ironic, keystone_session):
    with pytest.raises(ironic_exc.NotFound, match="Node nope could not be found"):
        ironic.node.get("nope")
    # MAAS machines are not Ironic's to show.
    with pytest.raises(ironic_exc.NotFound):
        ironic.node.get(_node(sim, "maas-1").id)
    url = sim.service_url("baremetal")
    token = keystone_session.get_token()
    headers = {"X-Auth-Token": token, "X-OpenStack-Ironic-API-Version": "1.78"}
    node_id = _node(sim, "bm-1").id
    bad = requests.put(f"{url}/v1/nodes/{node_id}/states/power", json={"target": "explode"},
                       headers=headers, timeout=10)
    assert bad.status_code == 400
    assert "can not be performed" in bad.json()["error_message"]
    assert '"faultcode": "Client"' in bad.json()["error_message"]
    first = requests.put(f"{url}/v1/nodes/{node_id}/states/power",
                         json={"target": "power off"}, headers=headers, timeout=10)
    assert first.status_code == 202
    assert first.headers["Location"].endswith(f"/v1/nodes/{node_id}/states")
    again = requests.put(f"{url}/v1/nodes/{node_id}/states/power",
                         json={"target": "power on"}, headers=headers, timeout=10)
    assert again.status_code == 409 and "is locked by host" in again.text
    soft = requests.put(f"{url}/v1/nodes/bm-2/states/power", json={"target": "soft power off"},
                        headers={**headers, "X-OpenStack-Ironic-API-Version": "1.20"},
                        timeout=10)
    assert soft.status_code == 406
    anonymous = requests.get(f"{url}/v1/nodes", timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == 401


def test_version_documents_and_headers(sim):
    url = sim.service_url("baremetal")
    root = requests.get(url + "/", timeout=10)
    assert root.status_code == 200
    assert root.json()["default_version"]["version"] == root.json()["versions"][0]["version"]
    v1 = requests.get(url + "/v1", timeout=10)
    assert v1.json()["id"] == "v1"
    assert v1.headers["X-OpenStack-Ironic-API-Minimum-Version"] == "1.1"
    assert v1.headers["X-OpenStack-Ironic-API-Version"] == "1.1"
    too_new = requests.get(url + "/v1", headers={"X-OpenStack-Ironic-API-Version": "1.999"},
                           timeout=10)
    assert too_new.status_code == 406
    assert too_new.headers["X-OpenStack-Ironic-API-Maximum-Version"] == \
        v1.headers["X-OpenStack-Ironic-API-Maximum-Version"]


def test_client_negotiates_latest(sim, keystone_session, monkeypatch, tmp_path):
    # Keep the client's negotiated-version cache out of the developer's home.
    monkeypatch.setattr(filecache, "CACHE", None)
    monkeypatch.setattr(filecache, "CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(filecache, "CACHE_FILENAME", str(tmp_path / "versions.dbm"))
    client = ironic_client.get_client(1, session=keystone_session,
                                      os_ironic_api_version="latest")
    node = client.node.get("bm-1")
    maximum = requests.get(sim.service_url("baremetal") + "/v1", timeout=10).headers[
        "X-OpenStack-Ironic-API-Maximum-Version"]
    assert client.current_api_version == maximum
    # Fields of late microversions appear only when asked for.
    assert node.disable_power_off is False
    old = ironic_client.get_client(1, session=keystone_session, os_ironic_api_version="1.9")
    assert not hasattr(old.node.get("bm-1"), "resource_class")


def test_openstacksdk_baremetal_proxy(sim):
    conn = openstack.connect(**sim.clouds_yaml_entry)
    nodes = {n.name: n for n in conn.baremetal.nodes(details=True)}
    assert set(nodes) == {"bm-1", "bm-2", "bm-3", "bm-spare"}
    assert nodes["bm-1"].extra["compute_node_id"] == \
        sim.state.hypervisors_by_name["compute-1"].id
    conn.baremetal.set_node_power_state(nodes["bm-1"], "power off", wait=False)
    assert conn.baremetal.get_node("bm-1").target_power_state == "power off"
    _finish(sim, 21)
    assert conn.baremetal.get_node("bm-1").power_state == "power off"


def test_non_admin_is_refused(sim):
    auth = v3.Password(auth_url=sim.auth_url, username="demo", password="demo",
                       project_name="demo", user_domain_name="Default",
                       project_domain_name="Default")
    client = ironic_client.get_client(1, session=ks_session.Session(auth=auth))
    with pytest.raises(ironic_exc.Forbidden, match="baremetal:node:list is disallowed"):
        client.node.list()
    with pytest.raises(ironic_exc.Forbidden, match="set_power_state is disallowed"):
        client.node.set_power_state("bm-1", "off")
    assert _node(sim, "bm-1").target_power_state is None


def test_failed_power_action_leaves_node_as_it_was():
    scenario = {**SCENARIO, "failures": [
        {"type": "failure_rate", "rate": 1.0, "operations": ["power_off"]}]}
    with Simulator.from_scenario(scenario, apps=APPS) as other:
        creds = other.admin_credentials
        auth = v3.Password(auth_url=creds["auth_url"], username=creds["username"],
                           password=creds["password"], project_name=creds["project_name"],
                           user_domain_name="Default", project_domain_name="Default")
        client = ironic_client.get_client(1, session=ks_session.Session(auth=auth))
        client.node.set_power_state("bm-1", "off")
        _finish(other, 25)
        node = client.node.get("bm-1")
        assert (node.power_state, node.target_power_state) == ("power on", None)
        assert other.state.compute_services["compute-1"].state == "up"
