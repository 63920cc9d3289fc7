"""The simulator's Heat API through openstacksdk's orchestration proxy and python-heatclient
on a Keystone session: every read call of a Heat datasource driver (stacks, snapshots,
resources with data and metadata, resource types, events, software configs and
deployments)."""

import openstack
import pytest
import requests
from heatclient import client as heat_client
from heatclient import exc as heat_exc
from keystoneauth1 import identity, session

from watcher.simulator.runner import Simulator
from watcher.simulator.scenario.loader import ScenarioError, load

pytestmark = pytest.mark.integration

SCENARIO = """
clock: {start: "2026-01-01T00:00:00Z"}
compute:
  flavors: [{name: m1, vcpus: 1, ram: 512, disk: 1}]
  hypervisors: [{name: cn1, vcpus: 4, memory_mb: 8192, disk_gb: 100}]
  servers:
    - {name: web-1, flavor: m1, host: cn1}
    - {name: db-1, flavor: m1, host: cn1, project: demo}
heat:
  stacks:
    - name: web
      description: Web tier
      tags: [prod, web]
      parameters: {flavor: m1, count: 2}
      outputs: [{output_key: url, output_value: "http://10.0.0.5", description: Site}]
      template: {heat_template_version: "2021-04-16", resources: {server: {type: OS::Nova::Server}}}
      resources:
        - name: server
          type: OS::Nova::Server
          server: web-1
          attributes: {first_address: 10.0.0.5}
          metadata: {role: frontend}
          properties: {flavor: m1}
        - name: port
          type: OS::Neutron::Port
          required_by: [server]
          status: UPDATE_COMPLETE
      events:
        - {resource: server, status: CHECK_COMPLETE, reason: checked}
      snapshots: [{name: before-upgrade}]
    - name: batch
      status: CREATE_FAILED
      tags: [dev]
    - name: db
      project: demo
      resources: [{name: server, type: OS::Nova::Server, server: db-1}]
  software_configs:
    - {name: install, group: script, config: "#!/bin/sh\\necho hi", inputs: [{name: foo}]}
  software_deployments:
    - {server: web-1, config: install, output_values: {deploy_status_code: 0}}
"""
APPS = ["watcher.simulator.apps.keystone:KeystoneApp",
        "watcher.simulator.apps.heat:HeatApp"]


@pytest.fixture(scope="module")
def sim():
    with Simulator.from_scenario(SCENARIO, apps=APPS) as running:
        yield running


@pytest.fixture(scope="module")
def conn(sim):
    return openstack.connect(**sim.clouds_yaml_entry)


@pytest.fixture(scope="module")
def heat(sim):
    auth = identity.Password(**sim.admin_credentials)
    return heat_client.Client("1", session=session.Session(auth=auth))


def test_list_and_show_stacks_with_sdk(sim, conn):
    stacks = {s.name: s for s in conn.orchestration.stacks()}
    # The admin project's stacks only, newest first.
    assert list(stacks) == ["batch", "web"]
    assert stacks["batch"].status == "CREATE_FAILED"
    web = conn.orchestration.find_stack("web")
    assert web.id == sim.state.extensions["heat"].stacks[web.id].id
    assert web.outputs == [{"output_key": "url", "output_value": "http://10.0.0.5",
                            "description": "Site"}]
    assert web.parameters["OS::stack_name"] == "web" and web.parameters["count"] == "2"
    assert conn.orchestration.find_stack("nope") is None
    assert [s.name for s in conn.orchestration.stacks(tags=["web"])] == ["web"]
    assert [s.name for s in conn.orchestration.stacks(status="FAILED")] == ["batch"]


def test_resources_events_and_software_with_sdk(sim, conn):
    web = conn.orchestration.find_stack("web")
    resources = {r.name: r for r in conn.orchestration.resources(web)}
    assert resources["server"].physical_resource_id == sim.state.servers_by_name["web-1"].id
    assert resources["port"].status == "UPDATE_COMPLETE"
    assert resources["port"].required_by == ["server"]
    events = list(conn.orchestration.stack_events(web))
    assert [(e.resource_name, e.resource_status) for e in events] == [
        ("web", "CREATE_IN_PROGRESS"), ("server", "CREATE_IN_PROGRESS"),
        ("server", "CREATE_COMPLETE"), ("port", "CREATE_IN_PROGRESS"),
        ("port", "CREATE_COMPLETE"), ("port", "UPDATE_COMPLETE"),
        ("web", "CREATE_COMPLETE"), ("server", "CHECK_COMPLETE")]
    web_1 = sim.state.servers_by_name["web-1"].id
    deployments = list(conn.orchestration.software_deployments(server_id=web_1))
    assert len(deployments) == 1 and deployments[0].output_values == {"deploy_status_code": 0}
    assert list(conn.orchestration.software_deployments(server_id="other")) == []
    config = conn.orchestration.get_software_config(deployments[0].config_id)
    assert config.name == "install" and config.config == "#!/bin/sh\necho hi"
    assert config.inputs == [{"name": "foo"}]


def test_heatclient_reads_everything(sim, heat):
    everyone = {s.stack_name for s in heat.stacks.list(global_tenant=True)}
    assert everyone == {"web", "batch", "db"}
    web = heat.stacks.get("web")
    assert web.stack_status == "CREATE_COMPLETE" and web.description == "Web tier"
    snapshots = heat.stacks.snapshot_list(web.id)["snapshots"]
    assert [s["name"] for s in snapshots] == ["before-upgrade"]
    shown = heat.stacks.snapshot_show(web.id, snapshots[0]["id"])["snapshot"]
    assert shown["status"] == "COMPLETE"
    server = heat.resources.get(web.id, "server")
    assert server.attributes == {"first_address": "10.0.0.5"}
    assert heat.resources.metadata(web.id, "server") == {"role": "frontend"}
    assert [r.resource_name for r in heat.resources.list(web.id, filters={
        "type": "OS::Neutron::Port"})] == ["port"]
    types = heat.resource_types.list()
    assert "OS::Nova::Server" in {t.resource_type for t in types}
    schema = heat.resource_types.get("OS::Nova::Server")
    assert schema["properties"]["flavor"]["required"] is True
    events = heat.events.list(web.id, resource_name="server")
    assert [e.resource_status for e in events] == ["CREATE_IN_PROGRESS", "CREATE_COMPLETE",
                                                   "CHECK_COMPLETE"]
    event = heat.events.get(web.id, "server", events[-1].id)
    assert event.resource_status_reason == "checked"
    assert event.resource_properties == {"flavor": "m1"}
    assert heat.stacks.template(web.id)["heat_template_version"] == "2021-04-16"
    configs = heat.software_configs.list()
    assert [c.name for c in configs] == ["install"]
    assert heat.software_configs.get(configs[0].id).group == "script"
    deployments = heat.software_deployments.list()
    assert heat.software_deployments.get(deployments[0].id).status == "COMPLETE"
    with pytest.raises(heat_exc.HTTPNotFound):
        heat.stacks.get("db")  # another project's stack, by name
    with pytest.raises(heat_exc.HTTPNotFound):
        heat.resources.get(web.id, "nope")


def test_redirects_paging_and_error_body(sim, conn):
    token = conn.session.get_token()
    project = conn.current_project_id
    base = f"{sim.service_url('orchestration')}/v1/{project}"
    headers = {"X-Auth-Token": token}
    moved = requests.get(f"{base}/stacks/web/resources", headers=headers,
                         allow_redirects=False, timeout=10)
    assert moved.status_code == 302
    web = conn.orchestration.find_stack("web")
    assert moved.headers["Location"].endswith(f"/stacks/web/{web.id}/resources")
    first = requests.get(f"{base}/stacks?limit=1&sort_keys=stack_name&sort_dir=asc",
                         headers=headers, timeout=10).json()
    assert [s["stack_name"] for s in first["stacks"]] == ["batch"]
    following = requests.get(first["links"][0]["href"], headers=headers, timeout=10).json()
    assert [s["stack_name"] for s in following["stacks"]] == ["web"]
    missing = requests.get(f"{base}/stacks/ghost", headers=headers, timeout=10)
    assert missing.status_code == 404
    body = missing.json()
    assert body["code"] == 404 and body["title"] == "Not Found"
    assert body["error"] == {"message": "The Stack (ghost) could not be found.",
                             "traceback": None, "type": "EntityNotFound"}
    unknown = requests.get(f"{base}/resource_types/OS::No::Such", headers=headers,
                           timeout=10).json()
    assert unknown["error"]["type"] == "ResourceTypeNotFound"
    assert requests.get(f"{base}/stacks", timeout=10).status_code == 401


def test_scenario_checks_heat_references():
    bad = SCENARIO.replace("server: db-1", "server: db-9").replace(
        "required_by: [server]", "required_by: [volume]")
    with pytest.raises(ScenarioError) as caught:
        load(bad)
    problems = "\n".join(caught.value.problems)
    assert "heat.stacks[2].resources[0].server: unknown server 'db-9'" in problems
    assert "heat.stacks[0].resources[1].required_by[0]: unknown resource 'volume'" in problems
    with pytest.raises(ScenarioError, match="does not match"):
        load(SCENARIO.replace("status: CREATE_FAILED", "status: EXPLODED"))
