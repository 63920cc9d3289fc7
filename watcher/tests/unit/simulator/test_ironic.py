"""Ironic's microversion header rules, checked without a server."""

import pytest
import webob

from watcher.simulator.apps.ironic import MAX_VERSION, MIN_VERSION, IronicMicroversions
from watcher.simulator.wsgi import HTTPError, parse_version

HEADER = "X-OpenStack-Ironic-API-Version"


def _negotiate(value: str | None) -> tuple[int, int]:
    request = webob.Request.blank("/v1/nodes")
    if value is not None:
        request.headers[HEADER] = value
    return IronicMicroversions().negotiate(request)


def test_no_header_means_the_minimum():
    assert _negotiate(None) == parse_version(MIN_VERSION)


def test_latest_and_explicit_versions():
    assert _negotiate("latest") == parse_version(MAX_VERSION)
    assert _negotiate("1.43") == (1, 43)


@pytest.mark.parametrize("value, status", [("1.0", 406), ("1.999", 406), ("2.1", 406),
                                           ("one", 400)])
def test_unsupported_versions_carry_the_range(value, status):
    with pytest.raises(HTTPError) as caught:
        _negotiate(value)
    assert caught.value.status == status
    assert caught.value.headers == {"X-OpenStack-Ironic-API-Minimum-Version": MIN_VERSION,
                                    "X-OpenStack-Ironic-API-Maximum-Version": MAX_VERSION}


def test_response_headers_name_range_and_version():
    headers = dict(IronicMicroversions().headers((1, 31)))
    assert headers[HEADER] == "1.31"
    assert headers["X-OpenStack-Ironic-API-Minimum-Version"] == MIN_VERSION
    assert headers["X-OpenStack-Ironic-API-Maximum-Version"] == MAX_VERSION
    assert headers["Vary"] == HEADER
