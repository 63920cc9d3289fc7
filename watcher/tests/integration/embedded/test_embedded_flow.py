import pytest
from oslo_config import fixture as cfg_fixture

from watcher.cmd import embedded
from watcher.conf import CONF
from watcher.tests.integration.embedded import flow

pytestmark = pytest.mark.integration


@pytest.fixture
def cloud(tmp_path):
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    conf.config(host="embedded-test")
    conf.config(periodic_interval=1)
    cloud = embedded.Embedded(db_path=str(tmp_path / "db.sqlite"), with_api=False).start()
    try:
        yield cloud
    finally:
        cloud.stop()
        conf.cleanUp()


def test_oneshot_audit_to_applied_plan_without_broker(cloud):
    audit_uuid, plan = flow.run_oneshot_audit()
    actions = flow.actions_of(plan.uuid)
    assert sorted(a.action_type for a in actions) == ["nop", "nop", "sleep"]
    assert {a.state for a in actions} == {"PENDING"}

    assert flow.start_plan(plan) == "SUCCEEDED"
    assert {a.state for a in flow.actions_of(plan.uuid)} == {"SUCCEEDED"}
    assert plan.hostname == "embedded-test"
