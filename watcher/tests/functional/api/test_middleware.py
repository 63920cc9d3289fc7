"""The oslo.middleware layers around the app: CORS, proxy headers, request id, healthcheck."""

from __future__ import annotations

import pytest

from watcher.conf import CONF
from watcher.tests.functional.api import environment


@pytest.fixture
def env():
    api = environment.ApiEnvironment(sample_work=False)
    api.start()
    yield api
    api.stop()


def test_cors_preflight_allows_the_version_header(env):
    # The middlewares register their options when first built.
    assert env.application
    CONF.set_override("allowed_origin", ["https://dashboard.example.com"], group="cors")
    try:
        application = environment.ApiEnvironment().application
        response = environment.call(application, "OPTIONS", "/v1/audits", headers={
            "Origin": "https://dashboard.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "OpenStack-API-Version",
        })
        assert response.status_int == 200
        assert response.headers["Access-Control-Allow-Origin"] == "https://dashboard.example.com"
        assert "OpenStack-API-Version" in response.headers["Access-Control-Allow-Headers"]
        answer = environment.call(application, "GET", "/v1/goals",
                                  headers={"Origin": "https://dashboard.example.com"})
        exposed = answer.headers["Access-Control-Expose-Headers"]
        assert "OpenStack-API-Maximum-Version" in exposed
        refused = environment.call(application, "GET", "/v1/goals",
                                   headers={"Origin": "https://evil.example.com"})
        assert "Access-Control-Allow-Origin" not in refused.headers
    finally:
        CONF.clear_override("allowed_origin", group="cors")


def test_proxy_headers_shape_the_links(env):
    assert env.application
    CONF.set_override("enable_proxy_headers_parsing", True, group="oslo_middleware")
    try:
        application = environment.ApiEnvironment().application
        response = environment.call(application, "GET", "/v1", headers={
            "X-Forwarded-Proto": "https", "X-Forwarded-Host": "optimize.example.com"})
        assert response.json["links"][0]["href"] == "https://optimize.example.com/v1/"
    finally:
        CONF.clear_override("enable_proxy_headers_parsing", group="oslo_middleware")


def test_proxy_headers_are_ignored_unless_enabled(env):
    response = environment.call(env.application, "GET", "/v1",
                                headers={"X-Forwarded-Proto": "https"})
    assert response.json["links"][0]["href"].startswith("http://")


def test_each_response_has_its_own_request_id(env):
    first = environment.call(env.application, "GET", "/v1/goals")
    second = environment.call(env.application, "GET", "/v1/goals/nope")
    assert second.status_int == 404
    ids = {first.headers["X-OpenStack-Request-ID"], second.headers["X-OpenStack-Request-ID"]}
    assert len(ids) == 2
    assert all(value.startswith("req-") for value in ids)


def test_healthcheck_answers_before_the_api(env):
    response = environment.call(env.application, "GET", "/healthcheck")
    assert response.status_int == 200
    assert "OpenStack-API-Version" not in response.headers
