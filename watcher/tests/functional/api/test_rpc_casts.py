"""What the API asks of the decision engine and the applier, over the fake transport."""

from __future__ import annotations

import pytest

from watcher.tests.functional.api import environment
from watcher.tests.functional.api import sample_data as data


@pytest.fixture
def api():
    env = environment.ApiEnvironment()
    env.start()
    yield env
    env.stop()


def _call(env, method, path, body=None, version="1.7"):
    headers = {"OpenStack-API-Version": f"infra-optim {version}"}
    return environment.call(env.application, method, path, body, headers)


def test_a_oneshot_audit_is_triggered_at_once(api):
    response = _call(api, "POST", "/v1/audits", {"audit_type": "ONESHOT", "goal": "dummy"})
    assert response.status_int == 201
    assert api.engine.wait_for_trigger(response.json["uuid"])


def test_continuous_and_event_audits_are_left_to_the_engine(api):
    continuous = _call(api, "POST", "/v1/audits",
                       {"audit_type": "CONTINUOUS", "goal": "dummy", "interval": "60"})
    event = _call(api, "POST", "/v1/audits", {"audit_type": "EVENT", "goal": "dummy"})
    marker = _call(api, "POST", "/v1/audits", {"audit_type": "ONESHOT", "goal": "dummy"})
    # Casts arrive in order: once the last one is in, the others would have been too.
    assert api.engine.wait_for_trigger(marker.json["uuid"])
    assert continuous.json["uuid"] not in api.engine.triggered
    assert event.json["uuid"] not in api.engine.triggered


def test_a_webhook_triggers_its_event_audit(api):
    assert _call(api, "POST", f"/v1/webhooks/{data.EVENT_AUDIT}", {}).status_int == 202
    assert api.engine.wait_for_trigger(data.EVENT_AUDIT)


def test_starting_a_plan_launches_it(api):
    response = _call(api, "POST", f"/v1/action_plans/{data.RECOMMENDED_PLAN}/start")
    assert response.status_int == 200
    assert api.applier.wait_for_launch(data.RECOMMENDED_PLAN)


def test_patching_a_plan_to_pending_launches_it(api):
    response = _call(api, "PATCH", f"/v1/action_plans/{data.RECOMMENDED_PLAN}",
                     [{"op": "replace", "path": "/state", "value": "PENDING"}])
    assert response.status_int == 200
    assert response.json["state"] == "PENDING"
    assert api.applier.wait_for_launch(data.RECOMMENDED_PLAN)


def test_cancelling_a_plan_launches_nothing(api):
    response = _call(api, "PATCH", f"/v1/action_plans/{data.PENDING_PLAN}",
                     [{"op": "replace", "path": "/state", "value": "CANCELLED"}])
    assert response.status_int == 200
    started = _call(api, "POST", f"/v1/action_plans/{data.RECOMMENDED_PLAN}/start")
    assert started.status_int == 200
    assert api.applier.wait_for_launch(data.RECOMMENDED_PLAN)
    assert data.PENDING_PLAN not in api.applier.launched
