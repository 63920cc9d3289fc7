"""A rejected request changes nothing: every table is byte-for-byte the same afterwards,
and no RPC cast leaves the API."""

from __future__ import annotations

import pytest

from watcher.tests.functional.api import environment
from watcher.tests.functional.api import sample_data as data
from watcher.tests.functional.api.conftest import MEMBER_TOKEN
from watcher.tests.functional.api.endpoints import ENDPOINTS

V15 = {"OpenStack-API-Version": "infra-optim 1.5"}
V17 = {"OpenStack-API-Version": "infra-optim 1.7"}


def _replace(path, value):
    return [{"op": "replace", "path": path, "value": value}]


# (method, path, body, headers, expected status)
REJECTED = [
    ("POST", "/v1/audit_templates", {"goal": "dummy"}, {}, 400),
    ("POST", "/v1/audit_templates", {"name": "t", "goal": "nope"}, {}, 400),
    ("POST", "/v1/audit_templates", {"name": "t", "goal": "dummy", "strategy": "basic"}, {}, 400),
    ("POST", "/v1/audit_templates",
     {"name": "t", "goal": "dummy", "scope": [{"compute": [{"bad": 1}]}]}, {}, 400),
    ("POST", "/v1/audit_templates",
     {"name": "t", "goal": "dummy", "strategy": "dummy", "default_parameters": {"para1": 1}},
     {}, 406),
    ("POST", "/v1/audit_templates",
     {"name": "t", "goal": "dummy", "strategy": "dummy", "default_parameters": {"para1": 99}},
     V17, 400),
    ("POST", "/v1/audit_templates", {"name": "at", "goal": "dummy"}, {}, 409),
    ("PATCH", "/v1/audit_templates/at", _replace("/strategy", "basic"), {}, 400),
    ("PATCH", "/v1/audit_templates/at", _replace("/goal", "nope"), {}, 400),
    ("PATCH", "/v1/audit_templates/at", _replace("/uuid", data.DUMMY_GOAL), {}, 400),
    ("PATCH", "/v1/audit_templates/at-defaults",
     _replace("/goal", "server_consolidation") + _replace("/strategy", "basic"), V17, 409),
    ("PATCH", "/v1/audit_templates/at-defaults", _replace("/default_parameters", {"para1": 2}),
     V15, 406),
    ("DELETE", "/v1/audit_templates/nope", None, {}, 404),
    ("POST", "/v1/audits", {"audit_type": "ONESHOT"}, {}, 400),
    ("POST", "/v1/audits", {"audit_type": "WEEKLY", "goal": "dummy"}, {}, 400),
    ("POST", "/v1/audits", {"audit_type": "CONTINUOUS", "goal": "dummy"}, {}, 400),
    ("POST", "/v1/audits", {"audit_type": "ONESHOT", "goal": "dummy", "interval": "60"}, {},
     400),
    ("POST", "/v1/audits",
     {"audit_type": "CONTINUOUS", "goal": "dummy", "interval": "60",
      "start_time": "2030-01-01T00:00:00"}, {}, 406),
    ("POST", "/v1/audits",
     {"audit_type": "ONESHOT", "goal": "dummy", "strategy": "dummy",
      "parameters": {"para1": 0}}, {}, 400),
    ("POST", "/v1/audits",
     {"audit_type": "ONESHOT", "audit_template_uuid": "at", "parameters": {"x": 1}}, {}, 400),
    ("POST", "/v1/audits", {"audit_type": "ONESHOT", "goal": "dummy", "strategy": "basic"},
     {}, 400),
    ("POST", "/v1/audits", {"audit_type": "ONESHOT", "goal": "dummy", "name": "done-audit"},
     {}, 409),
    ("PATCH", f"/v1/audits/{data.DONE_AUDIT}", _replace("/state", "CANCELLED"), {}, 400),
    ("PATCH", f"/v1/audits/{data.EVENT_AUDIT}",
     [{"op": "replace", "path": "/name", "value": "renamed"},
      {"op": "replace", "path": "/state", "value": "SUSPENDED"}], {}, 400),
    ("PATCH", f"/v1/audits/{data.EVENT_AUDIT}",
     [{"op": "replace", "path": "/name", "value": "renamed"},
      {"op": "replace", "path": "/parameters/para1", "value": 500}], {}, 400),
    ("PATCH", f"/v1/audits/{data.EVENT_AUDIT}", _replace("/audit_type", "ONESHOT"), {}, 400),
    ("DELETE", f"/v1/audits/{data.EVENT_AUDIT}", None, {}, 400),
    ("POST", f"/v1/action_plans/{data.ONGOING_PLAN}/start", None, {}, 400),
    ("PATCH", f"/v1/action_plans/{data.ONGOING_PLAN}", _replace("/state", "SUCCEEDED"), {},
     400),
    ("PATCH", f"/v1/action_plans/{data.RECOMMENDED_PLAN}", _replace("/state", "NOPE"), {}, 400),
    ("PATCH", f"/v1/action_plans/{data.RECOMMENDED_PLAN}", _replace("/hostname", "x"), {}, 400),
    ("DELETE", f"/v1/action_plans/{data.ONGOING_PLAN}", None, {}, 400),
    ("DELETE", f"/v1/action_plans/{data.PENDING_PLAN}", None, {}, 400),
    ("PATCH", f"/v1/actions/{data.NOP_ACTION}", _replace("/state", "SKIPPED"), {}, 400),
    ("PATCH", f"/v1/actions/{data.NOP_ACTION}", _replace("/state", "SUCCEEDED"), V15, 409),
    ("PATCH", f"/v1/actions/{data.ONGOING_ACTION}", _replace("/state", "SKIPPED"), V15, 409),
    ("PATCH", f"/v1/actions/{data.NOP_ACTION}", _replace("/status_message", "x"), V15, 409),
    ("POST", "/v1/webhooks/done-audit", {}, {}, 400),
    ("GET", "/v1/goals?limit=0", None, {}, 400),
    ("GET", "/v1/data_model", None, {}, 406),
]


def _prepare(env) -> None:
    """Templates the rejected requests refer to."""
    application = env.application
    for body, headers in (
        ({"name": "at", "goal": "dummy", "strategy": "dummy"}, {}),
        ({"name": "at-defaults", "goal": "dummy", "strategy": "dummy",
          "default_parameters": {"para1": 5}}, V17),
    ):
        response = environment.call(application, "POST", "/v1/audit_templates", body, headers)
        assert response.status_int == 201, response.text


@pytest.fixture(scope="module")
def api():
    env = environment.ApiEnvironment()
    env.start()
    _prepare(env)
    yield env
    env.stop()


@pytest.mark.parametrize(("method", "path", "body", "headers", "status"), REJECTED,
                         ids=[f"{m} {p} {s}" for m, p, _, _, s in REJECTED])
def test_rejected_request_changes_nothing(api, method, path, body, headers, status):
    before = environment.snapshot()
    response = environment.call(api.application, method, path, body, headers)
    assert response.status_int == status, response.text
    assert "error_message" in response.json
    assert environment.snapshot() == before
    assert api.engine.triggered == []


def test_snapshot_sees_a_change(api):
    """The comparison above can fail: an accepted request does show up in it."""
    before = environment.snapshot()
    response = environment.call(api.application, "PATCH", "/v1/audit_templates/at",
                                _replace("/description", "changed"))
    assert response.status_int == 200
    assert environment.snapshot() != before


def test_denied_and_unauthenticated_requests_change_nothing(authenticated_api):
    before = environment.snapshot()
    for method, path, body, _rule in ENDPOINTS:
        for headers in ({"X-Auth-Token": MEMBER_TOKEN, **V17}, V17):
            response = environment.call(authenticated_api.application, method, path, body,
                                        headers)
            assert response.status_int in (401, 403), (method, path, response.status_int)
    assert environment.snapshot() == before
    assert authenticated_api.engine.triggered == []
