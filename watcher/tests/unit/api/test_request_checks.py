"""The request checks on their own: which paths, bodies and body shapes they refuse."""

from __future__ import annotations

import datetime
import json

import pytest
import webob
from wsme import types as wtypes

from watcher.api import request_checks
from watcher.api.controllers.v1 import types as api_types


class _Resource(wtypes.Base):
    name = wtypes.text
    start_time = datetime.datetime
    parameters = {wtypes.text: api_types.jsontype}
    uuid = api_types.uuid


def _environ(path: str, query: str = "") -> dict:
    return {"PATH_INFO": path, "QUERY_STRING": query}


@pytest.mark.parametrize(("path", "query"), [
    ("/v1/goals/\x00", ""),
    ("/v1/goals/\xf0\xac\xaa\x88", ""),  # U+2CA88 as WSGI hands it over (latin-1)
    ("/v1/goals/\xff", ""),
    ("/v1/goals", "marker=%00"),
    ("/v1/goals", "sort_key=%F0%9F%98%80"),
    ("/v1/goals", "%C0%80=1"),
])
def test_path_and_query_refused(path, query):
    with pytest.raises(request_checks.Refused) as caught:
        request_checks.check_path_and_query(_environ(path, query))
    assert caught.value.status == 400


@pytest.mark.parametrize(("path", "query"), [
    ("/v1/goals/dummy", ""),
    ("/v1/audits/caf\xc3\xa9", "name=caf%C3%A9&limit=10"),
])
def test_path_and_query_accepted(path, query):
    request_checks.check_path_and_query(_environ(path, query))


def _request(body: bytes, content_type: str = "application/json") -> webob.Request:
    request = webob.Request.blank("/v1/audits", method="POST")
    request.content_type = content_type
    request.body = body
    return request


@pytest.mark.parametrize(("body", "content_type", "status"), [
    (b"[" * 40 + b"]" * 40, "application/json", 400),
    (b"[" * 50000 + b"]" * 50000, "application/json", 400),
    (b'{"name": "a\\u0000b"}', "application/json", 400),
    (b'{"a\\u0000": 1}', "application/json", 400),
    (b"{", "application/json", 400),
    (b'"\xff"', "application/json", 400),
    (b"a=b", "application/x-www-form-urlencoded", 415),
    (b"x" * (request_checks.MAX_BODY_BYTES + 1), "application/json", 413),
])
def test_body_refused(body, content_type, status):
    with pytest.raises(request_checks.Refused) as caught:
        request_checks.parse_body(_request(body, content_type))
    assert caught.value.status == status


def test_body_parsed():
    document = {"a": [[{"b": None}]], "c": "d"}
    assert request_checks.parse_body(_request(json.dumps(document).encode())) == document
    assert request_checks.parse_body(_request(b"")) is None


@pytest.mark.parametrize("value", [
    None, {}, {"name": "x", "start_time": "2030-01-01T00:00:00"},
    {"parameters": {"a": [1, {"b": None}]}}, {"unknown": [1]}, {"name": None},
])
def test_shape_accepted(value):
    request_checks.check_shape("body", _Resource, value)


@pytest.mark.parametrize("value", [
    [], 3, "text", {"name": [1]}, {"start_time": [None]}, {"start_time": 5},
    {"parameters": []}, {"uuid": {"a": 1}},
])
def test_shape_refused(value):
    with pytest.raises(request_checks.Refused):
        request_checks.check_shape("body", _Resource, value)


def test_list_of_resources():
    request_checks.check_shape("patch", wtypes.ArrayType(_Resource), [{"name": "x"}])
    for value in ({"name": "x"}, [1], [[{}]]):
        with pytest.raises(request_checks.Refused):
            request_checks.check_shape("patch", wtypes.ArrayType(_Resource), value)
