"""Scoring engines in embedded mode: synced at start, listed by the API, used by an audit."""

import pytest
from oslo_config import fixture as cfg_fixture

from watcher.cmd import demo, embedded
from watcher.conf import CONF
from watcher.tests.integration.embedded import flow

pytestmark = pytest.mark.integration

ENGINES = {
    "dummy_scorer": "Dummy workload classifier",
    "dummy_min_scorer": "Dummy Scorer calculating the minimum value",
    "dummy_max_scorer": "Dummy Scorer calculating the maximum value",
    "dummy_avg_scorer": "Dummy Scorer calculating the average value",
}


@pytest.fixture
def cloud(tmp_path):
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    CONF([], project="watcher", default_config_files=[])
    conf.config(host="embedded-scoring")
    cloud = embedded.Embedded(db_path=str(tmp_path / "db.sqlite")).start()
    try:
        yield cloud
    finally:
        cloud.stop()
        conf.cleanUp()


def test_scoring_engines_are_listed_after_start(cloud):
    client = demo.Client(cloud.api_url)
    listed = client.request("GET", "/v1/scoring_engines")["scoring_engines"]
    assert {e["name"]: e["description"] for e in listed} == ENGINES
    detail = client.request("GET", "/v1/scoring_engines/detail")["scoring_engines"]
    metainfo = {e["name"]: e["metainfo"] for e in detail}
    assert '"workloads"' in metainfo["dummy_scorer"]
    assert metainfo["dummy_avg_scorer"] == ""
    one = client.request("GET", "/v1/scoring_engines/dummy_scorer")
    assert one["description"] == "Dummy workload classifier"


def test_audit_with_dummy_with_scorer_plans_and_applies(cloud):
    client = demo.Client(cloud.api_url)
    audit = client.request(
        "POST",
        "/v1/audits",
        {
            "audit_type": "ONESHOT",
            "goal": "dummy",
            "strategy": "dummy_with_scorer",
            "parameters": {"param1": 2.0},
        },
    )
    ended = client.wait(
        f"/v1/audits/{audit['uuid']}", "state", {"SUCCEEDED", "FAILED", "CANCELLED"}, 30
    )
    assert ended["state"] == "SUCCEEDED", ended
    assert ended["parameters"] == {"param1": 2.0, "param2": "hello"}
    plans = client.request("GET", f"/v1/action_plans?audit_uuid={audit['uuid']}")
    assert [p["state"] for p in plans["action_plans"]] == ["RECOMMENDED"]
    plan_uuid = plans["action_plans"][0]["uuid"]

    actions = client.request("GET", f"/v1/actions/detail?action_plan_uuid={plan_uuid}")
    by_type: dict[str, list] = {}
    for action in actions["actions"]:
        by_type.setdefault(action["action_type"], []).append(action["input_parameters"])
    assert by_type["sleep"] == [{"duration": 5.0}]
    messages = sorted(p["message"] for p in by_type["nop"])
    assert messages[0].startswith("AVG Scorer result: ")
    assert messages[1].startswith("Detected Workload: ")
    assert messages[2] == "Hello from Dummy Strategy with Scorer!"

    assert flow.api_start_plan(client, plan_uuid) == "SUCCEEDED"
    assert {a.state for a in flow.actions_of(plan_uuid)} == {"SUCCEEDED"}
