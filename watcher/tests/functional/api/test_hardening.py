"""Requests that once made the API answer 500, each refused with a 4xx in upstream's error
shape and no row changed, on SQLite, MariaDB and PostgreSQL; and the answers that must be the
same on all three (names without regard to case, ``force`` at every microversion)."""

from __future__ import annotations

import json

import pytest

from watcher.tests.functional.api import environment
from watcher.tests.functional.api import sample_data as data

V11 = {"OpenStack-API-Version": "infra-optim 1.1"}
DEEP = b"[" * 5000 + b"]" * 5000
FORM = "application/x-www-form-urlencoded"
TEMPLATE = "hardening-template"

# (id, method, path, body bytes, content type, headers, expected status)
REPRODUCERS = [
    ("start-form-body", "POST", f"/v1/action_plans/{data.RECOMMENDED_PLAN}/start", b"a=b",
     FORM, {}, 415),
    ("start-garbage-body", "POST", f"/v1/action_plans/{data.RECOMMENDED_PLAN}/start",
     b"\x00garbage{", FORM, {}, 415),
    # Found by the generated requests: a query parameter the endpoint does not take.
    ("start-unknown-query-parameter", "POST",
     f"/v1/action_plans/{data.RECOMMENDED_PLAN}/start?limit=1", None, None, {}, 400),
    ("service-by-uuid", "GET", f"/v1/services/{data.DONE_AUDIT}", None, None, {}, 404),
    ("audit-patch-scalars", "PATCH", f"/v1/audits/{data.EVENT_AUDIT}", b'[399, "x"]',
     "application/json", {}, 400),
    ("audit-detail-patch-lists", "PATCH", "/v1/audits/detail", b'[[true], "[]"]',
     "application/json", {}, 400),
    ("template-patch-null", "PATCH", f"/v1/audit_templates/{TEMPLATE}", b"null",
     "application/json", {}, 400),
    ("template-post-null", "POST", "/v1/audit_templates", b"null", "application/json", {},
     400),
    ("audit-start-time-list", "POST", "/v1/audits",
     json.dumps({"audit_type": "CONTINUOUS", "goal": "dummy", "interval": "60",
                 "start_time": [None]}).encode(), "application/json", V11, 400),
    ("template-delete-deep-body", "DELETE", f"/v1/audit_templates/{TEMPLATE}", DEEP,
     "application/json", {}, 400),
    ("webhook-deep-body", "POST", f"/v1/webhooks/{data.EVENT_AUDIT}", DEEP,
     "application/json", {}, 400),
    ("strategy-4-byte-utf8", "GET", "/v1/strategies/%F0%AC%AA%88", None, None, {}, 400),
    ("goal-4-byte-utf8", "GET", "/v1/goals/%F0%AC%AA%88", None, None, {}, 400),
    ("audit-4-byte-utf8", "GET", "/v1/audits/%F0%AC%AA%88", None, None, {}, 400),
    ("template-4-byte-utf8", "GET", "/v1/audit_templates/%F0%AC%AA%88", None, None, {}, 400),
    ("service-4-byte-utf8", "GET", "/v1/services/%F0%AC%AA%88", None, None, {}, 400),
    ("audit-nul", "GET", "/v1/audits/%00", None, None, {}, 400),
    ("goal-invalid-utf8", "GET", "/v1/goals/%FF", None, None, {}, 400),
    ("goals-query-invalid-utf8", "GET", "/v1/goals?sort_key=%C0%80", None, None, {}, 400),
    ("goals-query-nul", "GET", "/v1/goals?marker=%00", None, None, {}, 400),
    ("strategy-nul", "GET", "/v1/strategies/%00k", None, None, {}, 400),
]


@pytest.fixture(scope="module")
def api(api_on_each_db):
    response = environment.call(api_on_each_db.application, "POST", "/v1/audit_templates",
                                {"name": TEMPLATE, "goal": "dummy"})
    assert response.status_int == 201, response.text
    return api_on_each_db


def _fault(response) -> dict:
    """The WSME fault inside upstream's ``error_message`` wrapper."""
    fault = json.loads(response.json["error_message"])
    assert set(fault) == {"faultcode", "faultstring", "debuginfo"}, fault
    assert fault["faultcode"] == "Client"
    assert fault["faultstring"]
    return fault


@pytest.mark.parametrize(("method", "path", "body", "content_type", "headers", "status"),
                         [case[1:] for case in REPRODUCERS],
                         ids=[case[0] for case in REPRODUCERS])
def test_reproducer_is_refused(api, method, path, body, content_type, headers, status):
    before = environment.snapshot()
    response = environment.call_raw(api.application, method, path, body,
                                    content_type=content_type, headers=headers)
    assert response.status_int == status, response.text
    _fault(response)
    assert environment.snapshot() == before
    assert api.engine.triggered == []


@pytest.mark.parametrize(("collection", "name"), [
    ("goals", "DUMMY"), ("strategies", "Dummy"), ("scoring_engines", "DUMMY_SCORER")])
def test_names_are_found_whatever_their_case(api, collection, name):
    response = environment.call(api.application, "GET", f"/v1/{collection}/{name}")
    assert response.status_int == 200, response.text
    assert response.json["name"] == name.lower()


def test_an_audit_names_its_goal_in_any_case(api):
    response = environment.call(api.application, "POST", "/v1/audits",
                                {"audit_type": "EVENT", "goal": "DUMMY", "strategy": "DUMMY"})
    assert response.status_int == 201, response.text
    assert (response.json["goal_uuid"], response.json["strategy_uuid"]) == (
        data.DUMMY_GOAL, data.DUMMY_STRATEGY)


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "1.7"])
def test_force_is_shown_at_every_microversion(api, version):
    headers = {"OpenStack-API-Version": f"infra-optim {version}"}
    shown = environment.call(api.application, "GET", f"/v1/audits/{data.DONE_AUDIT}",
                             headers=headers)
    assert shown.status_int == 200, shown.text
    assert shown.json["force"] is False
    listed = environment.call(api.application, "GET", "/v1/audits/detail", headers=headers)
    assert all(audit["force"] is False for audit in listed.json["audits"])
