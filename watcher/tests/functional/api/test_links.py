"""Links when the API is mounted under a path prefix (devstack serves it at ``/infra-optim``).

Resource links and ``Location`` keep the prefix; the ``next`` link does not, because
python-watcherclient keeps only the path of ``next`` and appends it to its own endpoint.
"""

from __future__ import annotations

import json

import pytest
import webob

from watcher.tests.functional.api import environment
from watcher.tests.functional.api import sample_data as data

PREFIX = "/infra-optim"


@pytest.fixture(scope="module")
def env():
    api = environment.ApiEnvironment()
    api.start()
    yield api
    api.stop()


def _call(application, method: str, path: str, body=None) -> webob.Response:
    request = webob.Request.blank(path, method=method,
                                  base_url=f"http://controller{PREFIX}")
    request.accept = "application/json"
    if body is not None:
        request.content_type = "application/json"
        request.body = json.dumps(body).encode()
    return request.get_response(application)


def test_resource_links_keep_the_mount_prefix(env):
    response = _call(env.application, "GET", f"/v1/audits/{data.DONE_AUDIT}")
    assert response.status_int == 200
    links = {item["rel"]: item["href"] for item in response.json["links"]}
    assert links["self"] == f"http://controller{PREFIX}/v1/audits/{data.DONE_AUDIT}"
    assert links["bookmark"] == f"http://controller{PREFIX}/audits/{data.DONE_AUDIT}"


def test_next_link_is_the_path_the_client_appends_to_its_endpoint(env):
    response = _call(env.application, "GET", "/v1/actions?limit=1")
    assert response.status_int == 200
    assert response.json["next"] == (
        "http://controller/v1/actions?sort_key=id&sort_dir=asc&limit=1"
        f"&marker={data.NOP_ACTION}"
    )


def test_location_of_a_created_template_keeps_the_prefix(env):
    response = _call(env.application, "POST", "/v1/audit_templates",
                     {"name": "prefixed", "goal": "dummy"})
    assert response.status_int == 201
    assert response.location == (
        f"http://controller{PREFIX}/v1/audit_templates/{response.json['uuid']}"
    )
