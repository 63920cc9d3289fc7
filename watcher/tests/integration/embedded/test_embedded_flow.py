import os

import pytest
from oslo_config import fixture as cfg_fixture

from watcher.cmd import demo, embedded
from watcher.conf import CONF
from watcher.tests.integration.embedded import flow

pytestmark = pytest.mark.integration


@pytest.fixture
def cloud(tmp_path):
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    CONF([], project="watcher", default_config_files=[])
    conf.config(host="embedded-test")
    cloud = embedded.Embedded(db_path=str(tmp_path / "db.sqlite")).start()
    try:
        yield cloud
    finally:
        cloud.stop()
        conf.cleanUp()


def test_oneshot_audit_to_applied_plan_without_broker(cloud):
    assert CONF.transport_url == "fake://"
    client = demo.Client(cloud.api_url)
    _, plan_uuid = flow.api_run_oneshot_audit(client)
    actions = flow.actions_of(plan_uuid)
    assert sorted(a.action_type for a in actions) == ["nop", "nop", "sleep"]
    assert {a.state for a in actions} == {"PENDING"}

    assert flow.api_start_plan(client, plan_uuid) == "SUCCEEDED"
    assert {a.state for a in flow.actions_of(plan_uuid)} == {"SUCCEEDED"}
    plan = client.request("GET", f"/v1/action_plans/{plan_uuid}")
    assert plan["hostname"] == "embedded-test"

    services = client.request("GET", "/v1/services")["services"]
    assert {(s["name"], s["status"]) for s in services} == {
        ("watcher-decision-engine", "ACTIVE"),
        ("watcher-applier", "ACTIVE"),
    }


def test_strategy_state_and_data_model_are_answered_over_rpc(cloud):
    client = demo.Client(cloud.api_url)
    rows = client.request("GET", "/v1/strategies/dummy/state")
    assert {"type": "Name", "state": "dummy", "mandatory": "", "comment": ""} in rows
    assert client.request("GET", "/v1/data_model?data_model_type=compute") == {"context": []}


def test_a_database_it_made_itself_is_removed_on_stop():
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    CONF([], project="watcher", default_config_files=[])
    try:
        cloud = embedded.Embedded(with_api=False).start()
        folder = os.path.dirname(cloud.db_path)
        assert os.path.isfile(cloud.db_path)
        cloud.stop()
        assert not os.path.exists(folder)
    finally:
        conf.cleanUp()


def test_a_database_it_was_given_is_kept(tmp_path):
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    CONF([], project="watcher", default_config_files=[])
    try:
        cloud = embedded.Embedded(db_path=str(tmp_path / "db.sqlite"), with_api=False).start()
        cloud.stop()
        assert (tmp_path / "db.sqlite").is_file()
    finally:
        conf.cleanUp()
