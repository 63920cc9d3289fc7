"""Generated requests over every endpoint: none gets a 5xx, and a refused one changes nothing.

(No RPC cast either: test_rejected_requests checks that for its refusals. Here casts of
accepted requests arrive on the RPC servers' threads at any later time, so counting them
around one refusal would be racy.)

Hypothesis builds each request from pieces a hostile or careless client would send: any
method, paths with known and odd segments (raw bytes, invalid UTF-8, NUL, 4-byte UTF-8),
query strings, bodies of every JSON type (nested, resource-shaped, JSON patches, garbage
bytes), odd microversion headers and content types. The run is derandomized, so CI sees the
same requests every time; ``WATCHER_TEST_GENERATED_REQUESTS`` sets how many per database.
"""

from __future__ import annotations

import json
import os
from urllib import parse

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from watcher.tests.functional.api import environment
from watcher.tests.functional.api import sample_data as data

EXAMPLES = int(os.environ.get("WATCHER_TEST_GENERATED_REQUESTS", "5000"))

COLLECTIONS = ["goals", "strategies", "audit_templates", "audits", "action_plans", "actions",
               "scoring_engines", "services", "data_model", "webhooks"]
IDENTS = [data.DUMMY_GOAL, data.DUMMY_STRATEGY, data.DONE_AUDIT, data.EVENT_AUDIT,
          data.RUNNING_AUDIT, data.RECOMMENDED_PLAN, data.ONGOING_PLAN, data.PENDING_PLAN,
          data.NOP_ACTION, data.ONGOING_ACTION, data.SCORING_ENGINE, "dummy", "DUMMY",
          "basic", "dummy_scorer", "done-audit", "event-audit", "generated", "1", "0", "-1",
          "99999999999999999999", "detail", "state", "start", "watcher-applier"]
FIELDS = ["name", "goal", "strategy", "audit_type", "interval", "parameters", "scope",
          "start_time", "end_time", "force", "auto_trigger", "audit_template_uuid",
          "description", "default_parameters", "state", "hostname", "uuid", "status_message",
          "action_plan_uuid", "para1"]
PLAUSIBLE = ["ONESHOT", "CONTINUOUS", "EVENT", "dummy", "basic", "server_consolidation",
             "generated", "60", "*/5 * * * *", "2030-01-01T00:00:00", "2030-01-01T00:00:00Z",
             "CANCELLED", "SUSPENDED", "PENDING", "SKIPPED", "SUCCEEDED", "ONGOING", "true",
             data.DUMMY_GOAL, data.DUMMY_STRATEGY]
PATCH_PATHS = ["/name", "/state", "/interval", "/parameters", "/parameters/para1", "/scope",
               "/start_time", "/end_time", "/auto_trigger", "/goal", "/strategy",
               "/default_parameters", "/default_parameters/para1", "/description", "/uuid",
               "/status_message", "/audit_type", "/x/y/z", "/", "", "name"]
VERSIONS = [None, "infra-optim 1.0", "infra-optim 1.1", "infra-optim 1.2", "infra-optim 1.4",
            "infra-optim 1.5", "infra-optim 1.7", "infra-optim 1.8", "infra-optim 2.0",
            "infra-optim latest", "infra-optim 1.", "infra-optim", "1.5", "infra-optim x.y",
            "infra-optim 01.000007", "infra-optim -1.5"]
CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "text/javascript",
                 "application/x-www-form-urlencoded", "application/xml", "text/plain", ""]
METHODS = ["GET", "GET", "POST", "POST", "PATCH", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS"]

scalars = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.text(max_size=12) | st.sampled_from(PLAUSIBLE))
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8) | st.sampled_from(FIELDS), children, max_size=4),
    max_leaves=12,
)
resource_bodies = st.dictionaries(st.sampled_from(FIELDS), st.sampled_from(PLAUSIBLE) | json_values,
                                  max_size=6)
patch_operations = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "replace", "remove", "move", "test", "x"]),
     "path": st.sampled_from(PATCH_PATHS) | st.text(max_size=8)},
    optional={"value": st.sampled_from(PLAUSIBLE) | json_values,
              "from": st.sampled_from(PATCH_PATHS)},
)
json_patches = st.lists(patch_operations | json_values, max_size=4)
raw_bodies = (st.binary(max_size=24)
              | st.integers(min_value=30, max_value=3000).map(lambda n: b"[" * n + b"]" * n)
              | st.just(b"a=b&c=d"))
bodies = st.one_of(
    st.none(),
    json_values.map(lambda value: json.dumps(value).encode()),
    resource_bodies.map(lambda value: json.dumps(value).encode()),
    json_patches.map(lambda value: json.dumps(value).encode()),
    raw_bodies,
)
segments = (st.sampled_from(IDENTS).map(parse.quote)
            | st.text(max_size=10).map(lambda t: parse.quote(t.encode("utf-8", "surrogatepass")))
            | st.binary(max_size=6).map(parse.quote_from_bytes)
            | st.sampled_from(["%00", "%F0%AC%AA%88", "%FF", "..", "%2F", "a%00b", "%C0%80"]))
paths = st.one_of(
    st.tuples(st.sampled_from(COLLECTIONS), st.lists(segments, max_size=3)).map(
        lambda parts: "/".join(["/v1", parts[0], *parts[1]])),
    st.lists(segments, max_size=3).map(lambda parts: "/" + "/".join(parts)),
    st.sampled_from(["/", "/v1", "/v1/"]),
)
query_values = st.sampled_from(IDENTS + PLAUSIBLE + ["asc", "desc", "id", "name", "uuid",
                                                     "goal_name", "compute"]) | segments
query_keys = st.sampled_from(["limit", "marker", "sort_key", "sort_dir", "goal", "strategy",
                              "audit_uuid", "action_plan_uuid", "audit", "data_model_type",
                              "detail", "name"]) | segments
queries = st.lists(st.tuples(query_keys, query_values), max_size=3).map(
    lambda pairs: "&".join(f"{key}={value}" for key, value in pairs))
requests = st.fixed_dictionaries({
    "method": st.sampled_from(METHODS),
    "path": paths,
    "query": queries,
    "body": bodies,
    "content_type": st.sampled_from(CONTENT_TYPES),
    "version": st.sampled_from(VERSIONS) | st.text(max_size=12),
})


# Every endpoint, with identifiers of rows that exist; each generated request shape is sent
# to all of them, besides the fully generated requests.
ENDPOINTS = [
    ("GET", "/"), ("GET", "/v1"),
    *[(method, f"/v1/{collection}{suffix}")
      for collection, ident in (("goals", "dummy"), ("strategies", data.DUMMY_STRATEGY),
                                ("scoring_engines", "dummy_scorer"),
                                ("services", "watcher-applier"))
      for method, suffix in (("GET", ""), ("GET", "/detail"), ("GET", f"/{ident}"))],
    ("GET", "/v1/strategies/dummy/state"),
    ("GET", "/v1/audit_templates"), ("GET", "/v1/audit_templates/detail"),
    ("GET", "/v1/audit_templates/generated"), ("POST", "/v1/audit_templates"),
    ("PATCH", "/v1/audit_templates/generated"), ("DELETE", "/v1/audit_templates/generated"),
    ("GET", "/v1/audits"), ("GET", "/v1/audits/detail"), ("GET", f"/v1/audits/{data.DONE_AUDIT}"),
    ("POST", "/v1/audits"), ("PATCH", f"/v1/audits/{data.EVENT_AUDIT}"),
    ("PATCH", f"/v1/audits/{data.RUNNING_AUDIT}"), ("DELETE", f"/v1/audits/{data.EVENT_AUDIT}"),
    ("GET", "/v1/action_plans"), ("GET", "/v1/action_plans/detail"),
    ("GET", f"/v1/action_plans/{data.RECOMMENDED_PLAN}"),
    ("PATCH", f"/v1/action_plans/{data.RECOMMENDED_PLAN}"),
    ("POST", f"/v1/action_plans/{data.RECOMMENDED_PLAN}/start"),
    ("DELETE", f"/v1/action_plans/{data.SUCCEEDED_PLAN}"),
    ("GET", "/v1/actions"), ("GET", "/v1/actions/detail"),
    ("GET", f"/v1/actions/{data.NOP_ACTION}"), ("PATCH", f"/v1/actions/{data.NOP_ACTION}"),
    ("POST", "/v1/actions"), ("DELETE", f"/v1/actions/{data.NOP_ACTION}"),
    ("GET", "/v1/data_model"), ("POST", f"/v1/webhooks/{data.EVENT_AUDIT}"),
]
shapes = st.fixed_dictionaries({
    "query": queries,
    "body": bodies,
    "content_type": st.sampled_from(CONTENT_TYPES),
    "version": st.sampled_from(VERSIONS) | st.text(max_size=12),
})
ODD_PER_EXAMPLE = 4
# Requests per hypothesis example: the shape sent to every endpoint, plus fully generated ones.
PER_EXAMPLE = len(ENDPOINTS) + ODD_PER_EXAMPLE


def _send(application, request: dict):
    headers = {}
    if request["version"] is not None:
        headers["OpenStack-API-Version"] = request["version"]
    path = request["path"] + (f"?{request['query']}" if request["query"] else "")
    return environment.call_raw(application, request["method"], path, request["body"],
                                content_type=request["content_type"], headers=headers)


def _check(api, request: dict) -> bool:
    """Send ``request``; whether it was accepted (and so may have written)."""
    response = _send(api.application, request)
    api.sent += 1
    api.accepted_writes += response.status_int < 400 and request["method"] not in ("GET", "HEAD")
    assert response.status_int < 500, (request, response.text)
    if response.status_int < 400:
        return True
    assert environment.snapshot() == api.last_state, request
    if request["method"] != "HEAD":
        assert "error_message" in response.json, (request, response.text)
    return False


@pytest.fixture(scope="module")
def api(api_on_each_db):
    api_on_each_db.sent = api_on_each_db.accepted_writes = 0
    api_on_each_db.initial_state = api_on_each_db.last_state = environment.snapshot()
    return api_on_each_db


@settings(max_examples=-(-EXAMPLES // PER_EXAMPLE), derandomize=True, database=None,
          deadline=None, phases=(Phase.explicit, Phase.generate, Phase.shrink),
          suppress_health_check=list(HealthCheck))
@given(shape=shapes, odd=st.lists(requests, min_size=ODD_PER_EXAMPLE,
                                  max_size=ODD_PER_EXAMPLE))
def test_no_server_error_and_refusals_change_nothing(api, shape, odd):
    batch = [{"method": method, "path": path, **shape} for method, path in ENDPOINTS] + odd
    try:
        for request in batch:
            # A refusal is compared with the state after the last accepted write.
            if _check(api, request) and request["method"] not in ("GET", "HEAD"):
                api.last_state = environment.snapshot()
    finally:
        # Each example starts from the sample rows (new ids on the servers: snapshot again).
        if api.last_state != api.initial_state:
            api.reload_rows()
            api.initial_state = api.last_state = environment.snapshot()


def test_enough_requests_were_generated(api):
    assert api.sent >= EXAMPLES
    print(f"{api.sent} requests, {api.accepted_writes} accepted writes")
