"""GET /v1/data_model on embedded watcher whose clients point at the simulator."""

import json
import time
import urllib.request

import pytest
from oslo_utils import uuidutils

from watcher import objects
from watcher.cmd import embedded
from watcher.common import context as watcher_context

pytestmark = pytest.mark.integration


def get(url: str, version: str) -> dict:
    request = urllib.request.Request(
        url, headers={"OpenStack-API-Version": f"infra-optim {version}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def wait_for_rows(url: str, version: str = "1.3", timeout: float = 30.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = get(url, version)["context"]
        if rows:
            return rows
        time.sleep(0.1)
    raise AssertionError("the data model stayed empty")


@pytest.fixture
def cloud(sim, sim_conf, tmp_path):
    sim_conf.config(host="embedded-model-test")
    watcher = embedded.Embedded(db_path=str(tmp_path / "db.sqlite")).start()
    try:
        yield sim, watcher
    finally:
        watcher.stop()


def test_data_model_lists_the_simulator_hosts_and_servers(cloud):
    sim, watcher = cloud
    rows = wait_for_rows(f"{watcher.api_url}/v1/data_model?data_model_type=compute")
    assert {r["node_hostname"] for r in rows} == set(sim.state.hypervisors_by_name)
    servers = {s.name for s in sim.state.servers.values() if s.host}
    assert {r["server_name"] for r in rows if "server_name" in r} == servers
    web1 = next(r for r in rows if r.get("server_name") == "web-1")
    assert web1["node_hostname"] == "compute-1"
    assert (web1["server_vcpus"], web1["server_memory"]) == (1, 2048)
    # compute-4 has no server: a node-only row. Extended keys only from 1.6.
    assert (
        [r for r in rows if r["node_hostname"] == "compute-4"][0].keys().isdisjoint({"server_uuid"})
    )
    assert "server_pinned_az" not in web1
    rows_16 = get(f"{watcher.api_url}/v1/data_model", "1.6")["context"]
    assert "server_pinned_az" in next(r for r in rows_16 if r.get("server_name") == "web-1")


def test_data_model_of_an_audit_is_cut_to_its_scope(cloud):
    sim, watcher = cloud
    wait_for_rows(f"{watcher.api_url}/v1/data_model")
    context = watcher_context.get_admin_context()
    audit = objects.Audit(
        context,
        uuid=uuidutils.generate_uuid(),
        name="scoped",
        audit_type="ONESHOT",
        state="PENDING",
        goal_id=objects.Goal.get_by_name(context, "dummy").id,
        scope=[{"compute": [{"availability_zones": [{"name": "az2"}]}]}],
        parameters={},
        auto_trigger=False,
        force=False,
    )
    audit.create()
    rows = get(f"{watcher.api_url}/v1/data_model?audit_uuid={audit.uuid}", "1.3")["context"]
    assert {r["node_hostname"] for r in rows} == {"compute-3", "compute-4"}
    assert {r["server_name"] for r in rows if "server_name" in r} == {"batch-2", "demo-1"}
