"""Authentication on: keystonemiddleware (its test fixture stands in for Keystone) and the
admin-only default policy on every endpoint."""

from __future__ import annotations

import json

import pytest
from keystonemiddleware import auth_token
from keystonemiddleware import fixture as ksm_fixture

from watcher.common import policy
from watcher.conf import CONF
from watcher.tests.functional.api import environment
from watcher.tests.functional.api import sample_data as data

ADMIN_TOKEN = "admin-token"
MEMBER_TOKEN = "member-token"
SERVICE_TOKEN = "service-token"

# Every endpoint with the rule that guards it; the member's 403 must name that rule.
ENDPOINTS = [
    ("GET", "/v1/goals", None, "goal:get_all"),
    ("GET", "/v1/goals/detail", None, "goal:detail"),
    ("GET", f"/v1/goals/{data.DUMMY_GOAL}", None, "goal:get"),
    ("GET", "/v1/strategies", None, "strategy:get_all"),
    ("GET", "/v1/strategies/detail", None, "strategy:detail"),
    ("GET", "/v1/strategies/dummy", None, "strategy:get"),
    ("GET", "/v1/strategies/dummy/state", None, "strategy:state"),
    ("GET", "/v1/audit_templates", None, "audit_template:get_all"),
    ("GET", "/v1/audit_templates/detail", None, "audit_template:detail"),
    ("POST", "/v1/audit_templates", {"name": "t", "goal": "dummy"}, "audit_template:create"),
    ("GET", "/v1/audits", None, "audit:get_all"),
    ("GET", "/v1/audits/detail", None, "audit:detail"),
    ("GET", f"/v1/audits/{data.DONE_AUDIT}", None, "audit:get"),
    ("POST", "/v1/audits", {"audit_type": "ONESHOT", "goal": "dummy"}, "audit:create"),
    ("PATCH", f"/v1/audits/{data.DONE_AUDIT}",
     [{"op": "replace", "path": "/name", "value": "x"}], "audit:update"),
    ("DELETE", f"/v1/audits/{data.DONE_AUDIT}", None, "audit:delete"),
    ("GET", "/v1/action_plans", None, "action_plan:get_all"),
    ("GET", "/v1/action_plans/detail", None, "action_plan:detail"),
    ("GET", f"/v1/action_plans/{data.RECOMMENDED_PLAN}", None, "action_plan:get"),
    ("PATCH", f"/v1/action_plans/{data.RECOMMENDED_PLAN}",
     [{"op": "replace", "path": "/state", "value": "CANCELLED"}], "action_plan:update"),
    ("POST", f"/v1/action_plans/{data.RECOMMENDED_PLAN}/start", None, "action_plan:start"),
    ("DELETE", f"/v1/action_plans/{data.SUCCEEDED_PLAN}", None, "action_plan:delete"),
    ("GET", "/v1/actions", None, "action:get_all"),
    ("GET", "/v1/actions/detail", None, "action:detail"),
    ("GET", f"/v1/actions/{data.NOP_ACTION}", None, "action:get"),
    ("PATCH", f"/v1/actions/{data.NOP_ACTION}",
     [{"op": "replace", "path": "/state", "value": "SKIPPED"}], "action:update"),
    ("GET", "/v1/scoring_engines", None, "scoring_engine:get_all"),
    ("GET", "/v1/scoring_engines/detail", None, "scoring_engine:detail"),
    ("GET", "/v1/scoring_engines/dummy_scorer", None, "scoring_engine:get"),
    ("GET", "/v1/services", None, "service:get_all"),
    ("GET", "/v1/services/detail", None, "service:detail"),
    ("GET", "/v1/services/1", None, "service:get"),
    ("GET", "/v1/data_model", None, "data_model:get_all"),
    ("POST", f"/v1/webhooks/{data.EVENT_AUDIT}", {}, "webhook:trigger"),
]

VERSION = {"OpenStack-API-Version": "infra-optim 1.7"}


def _register_keystonemiddleware_options() -> None:
    for group, options in auth_token.list_opts():
        if group not in CONF or not all(o.dest in CONF[group] for o in options):
            CONF.register_opts(options, group=group)


@pytest.fixture
def api():
    _register_keystonemiddleware_options()
    CONF.set_override("www_authenticate_uri", "http://keystone.invalid/identity",
                      group="keystone_authtoken")
    env = environment.ApiEnvironment(authentication=True)
    env.start()
    tokens = ksm_fixture.AuthTokenFixture()
    tokens.setUp()
    tokens.add_token_data(token_id=ADMIN_TOKEN, user_id="u-admin", project_id="p-1",
                          role_list=["admin", "member"])
    tokens.add_token_data(token_id=MEMBER_TOKEN, user_id="u-member", project_id="p-1",
                          role_list=["member", "reader"])
    tokens.add_token_data(token_id=SERVICE_TOKEN, user_id="u-aodh", project_id="p-svc",
                          role_list=["service"])
    try:
        yield env
    finally:
        tokens.cleanUp()
        env.stop()
        CONF.clear_override("www_authenticate_uri", group="keystone_authtoken")


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
