"""Authentication on: keystonemiddleware (its test fixture stands in for Keystone) and the
admin-only default policy on every endpoint."""

from __future__ import annotations

import json

import pytest

from watcher.common import policy
from watcher.conf import CONF
from watcher.tests.functional.api import environment
from watcher.tests.functional.api import sample_data as data
from watcher.tests.functional.api.conftest import (
    ADMIN_TOKEN,
    MEMBER_TOKEN,
    SERVICE_TOKEN,
)
from watcher.tests.functional.api.endpoints import ENDPOINTS

VERSION = {"OpenStack-API-Version": "infra-optim 1.7"}


@pytest.fixture
def api(authenticated_api):
    return authenticated_api


def _call(env, method, path, body=None, token=None):
    headers = dict(VERSION)
    if token:
        headers["X-Auth-Token"] = token
    return environment.call(env.application, method, path, body, headers)


def _fault(response) -> str:
    return json.loads(json.loads(response.text)["error_message"])["faultstring"]


def test_without_a_token_is_401(api):
    response = _call(api, "GET", "/v1/goals")
    assert response.status_int == 401
    assert "keystone.invalid" in response.headers["WWW-Authenticate"]


def test_with_an_unknown_token_is_401(api):
    assert _call(api, "GET", "/v1/audits", token="forged").status_int == 401


def test_root_is_public(api):
    response = _call(api, "GET", "/")
    assert response.status_int == 200
    assert response.json["versions"][0]["id"] == "v1"


def test_admin_token_is_allowed(api):
    response = _call(api, "GET", "/v1/goals", token=ADMIN_TOKEN)
    assert response.status_int == 200
    assert [goal["name"] for goal in response.json["goals"]] == ["dummy", "server_consolidation"]


@pytest.mark.parametrize(("method", "path", "body", "rule"), ENDPOINTS,
                         ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS])
def test_member_token_is_403_on_admin_endpoints(api, method, path, body, rule):
    response = _call(api, method, path, body, token=MEMBER_TOKEN)
    assert response.status_int == 403, response.text
    assert _fault(response) == f"Policy doesn't allow {rule} to be performed."


def test_unauthenticated_request_on_every_endpoint_is_401(api):
    for method, path, body, _rule in ENDPOINTS:
        assert _call(api, method, path, body).status_int == 401, (method, path)


def test_service_role_may_trigger_webhooks(api):
    response = _call(api, "POST", f"/v1/webhooks/{data.EVENT_AUDIT}", {}, token=SERVICE_TOKEN)
    assert response.status_int == 202
    assert _call(api, "GET", "/v1/audits", token=SERVICE_TOKEN).status_int == 403


def test_public_webhooks_when_their_auth_is_off(api):
    CONF.set_override("enable_webhooks_auth", False, group="api")
    try:
        # A new stack, built with the option in place (public routes are fixed at build).
        application = environment.ApiEnvironment(authentication=True).application
        response = environment.call(application, "POST", f"/v1/webhooks/{data.EVENT_AUDIT}", {})
        assert response.status_int == 202
        assert api.engine.wait_for_trigger(data.EVENT_AUDIT)
        assert environment.call(application, "GET", "/v1/audits").status_int == 401
    finally:
        CONF.clear_override("enable_webhooks_auth", group="api")


def test_policy_file_can_open_a_rule(api, tmp_path):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"goal:get_all": "role:reader"\n')
    CONF.set_override("policy_file", str(policy_file), group="oslo_policy")
    try:
        policy.reset()
        assert _call(api, "GET", "/v1/goals", token=MEMBER_TOKEN).status_int == 200
        assert _call(api, "GET", "/v1/strategies", token=MEMBER_TOKEN).status_int == 403
    finally:
        CONF.clear_override("policy_file", group="oslo_policy")
        policy.reset()


@pytest.mark.parametrize("path", [
    "/v1/goals/no-such-goal",
    "/v1/strategies/no-such-strategy",
    "/v1/audit_templates/no-such-template",
    "/v1/audits/no-such-audit",
    f"/v1/action_plans/{data.RECOMMENDED_PLAN[:-1]}f",
    f"/v1/actions/{data.NOP_ACTION[:-1]}f",
    "/v1/services/99",
])
def test_unknown_resource_is_404_before_the_policy_check(api, path):
    # Upstream's get_one looks the resource up before enforcing the rule.
    assert _call(api, "GET", path, token=MEMBER_TOKEN).status_int == 404
